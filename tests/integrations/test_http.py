"""The HTTP transport end to end against a live server running the local receiver."""
import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from motcua.dossiers.models import Dossier, OutboxMessage
from motcua.integrations.models import ReceivedStatusChange
from motcua.integrations.outbox import push_pending
from motcua.integrations.transports import HttpTransport
from tests.integrations.conftest import ENDPOINT_PATH

pytestmark = pytest.mark.urls("tests.integrations.urls")


def test_http_push_end_to_end(live_server, make_dossier):
    d = make_dossier(steps=3)
    result = push_pending(HttpTransport(endpoint=live_server.url + ENDPOINT_PATH))
    assert (result.acknowledged, result.failed, result.dossiers_synced) == (4, 0, 1)
    assert Dossier.objects.get(pk=d.pk).synced_national
    assert list(ReceivedStatusChange.objects.order_by("id").values_list("status", flat=True)) == [2, 4, 9, 10]
    assert [r.payload for r in ReceivedStatusChange.objects.order_by("id")] == \
        [m.payload for m in OutboxMessage.objects.order_by("id")]


def test_push_command_over_http_with_a_token(live_server, make_dossier, capsys):
    make_dossier(steps=1)
    with override_settings(MOTCUA_NATIONAL_ENDPOINT=live_server.url + ENDPOINT_PATH, MOTCUA_NATIONAL_TOKEN="bi-mat"):
        call_command("sync", "push")
    assert "Đã gửi 2: 2 được xác nhận" in capsys.readouterr().out
    assert ReceivedStatusChange.objects.count() == 2


def test_a_wrong_token_stops_the_run(live_server, make_dossier):
    make_dossier(steps=1)
    with override_settings(MOTCUA_NATIONAL_TOKEN="bi-mat"):
        result = push_pending(HttpTransport(endpoint=live_server.url + ENDPOINT_PATH, token="sai"))
    assert result.failed == 1 and result.held_back == 0 and "HTTP 401" in result.stopped
    assert list(OutboxMessage.objects.order_by("id").values_list("attempts", flat=True)) == [1, 0]
    assert ReceivedStatusChange.objects.count() == 0


def test_a_server_error_backs_off_and_a_later_run_delivers(live_server, make_dossier):
    d = make_dossier()
    now = timezone.now()
    result = push_pending(HttpTransport(endpoint=live_server.url + "/_thu/loi-500/"), now=now)
    assert result.failed == 1 and not result.stopped
    message = OutboxMessage.objects.get()
    assert message.last_error.startswith("HTTP 500") and message.next_attempt_at == now + timedelta(minutes=1)
    later = push_pending(HttpTransport(endpoint=live_server.url + ENDPOINT_PATH), now=now + timedelta(minutes=1))
    assert later.acknowledged == 1 and Dossier.objects.get(pk=d.pk).synced_national


@pytest.mark.parametrize("path, status", [(ENDPOINT_PATH.rstrip("/"), "HTTP 301"),  # APPEND_SLASH redirect
                                          ("/_quoc-gia/khong-co/", "HTTP 404")])
def test_a_wrong_address_is_not_followed_and_stops_the_run(live_server, make_dossier, path, status):
    make_dossier()
    make_dossier()
    result = push_pending(HttpTransport(endpoint=live_server.url + path))
    assert result.failed == 1 and result.stopped.startswith(status)
    assert list(OutboxMessage.objects.order_by("id").values_list("attempts", flat=True)) == [1, 0]
    assert ReceivedStatusChange.objects.count() == 0


@pytest.mark.django_db
def test_an_unreachable_endpoint_is_recorded_and_stops_the_run(make_dossier):
    make_dossier(steps=1)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the send: nothing listens there
    result = push_pending(HttpTransport(endpoint=f"http://127.0.0.1:{port}/_quoc-gia/dong-bo/", timeout=2))
    assert result.failed == 1 and "không kết nối được" in result.stopped
    assert OutboxMessage.objects.filter(attempts=1, last_error__contains="không kết nối").count() == 1


def test_only_http_endpoints():
    with pytest.raises(ValueError):
        HttpTransport(endpoint="file:///etc/passwd")
