"""The local receiver (stand-in for the national portal): validation, idempotency, token."""
import json

import pytest
from django.test import override_settings

from motcua.dossiers.models import OutboxMessage
from motcua.integrations.models import ReceivedStatusChange
from motcua.integrations.receiver import FIELDS
from tests.integrations.conftest import ENDPOINT_PATH

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.integrations.urls")]


@pytest.fixture
def payload(make_dossier):
    make_dossier()
    return dict(OutboxMessage.objects.get().payload)


def post(client, body, **headers):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(ENDPOINT_PATH, data=data, content_type="application/json", headers=headers)


def test_the_outbox_payload_is_accepted_and_stored(client, payload):
    response = post(client, payload)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "MaSuKien": payload["MaSuKien"]}
    stored = ReceivedStatusChange.objects.get()
    assert (stored.dossier_code, stored.status, stored.event_key) == (payload["MaHoSo"], 2, payload["MaSuKien"])
    assert stored.payload == payload and stored.deliveries == 1


def test_a_repeated_change_is_acknowledged_again_and_stored_once(client, payload):
    assert post(client, payload).status_code == 200
    again = post(client, payload)
    assert again.status_code == 200 and again.json()["MaSuKien"] == payload["MaSuKien"]
    assert ReceivedStatusChange.objects.count() == 1 and ReceivedStatusChange.objects.get().deliveries == 2


def test_the_same_key_with_other_content_is_a_conflict(client, payload):
    post(client, payload)
    response = post(client, {**payload, "TrangThai": 4})
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "conflict"
    assert ReceivedStatusChange.objects.get().status == 2


def errors_of(response):
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    return {(e["field"], e["code"]) for e in body["errors"]}


@pytest.mark.parametrize("change, expected", [
    ({"TrangThai": 0}, ("TrangThai", "out_of_range")),
    ({"TrangThai": 11}, ("TrangThai", "out_of_range")),
    ({"TrangThai": "2"}, ("TrangThai", "type")),
    ({"TrangThai": True}, ("TrangThai", "type")),
    ({"KenhThucHien": 4}, ("KenhThucHien", "invalid_choice")),
    ({"NgayTiepNhan": "2026-03-02 09:00"}, ("NgayTiepNhan", "time_format")),
    ({"NgayHenTra": "20260231090000"}, ("NgayHenTra", "time_format")),  # 31 February
    ({"ThoiDiemSuKien": None}, ("ThoiDiemSuKien", "required")),
    ({"MaHoSo": ""}, ("MaHoSo", "type")),
    ({"MaHoSo": "X" * 41}, ("MaHoSo", "too_long")),
    ({"PhiLePhi": -1}, ("PhiLePhi", "out_of_range")),
    ({"ThanhToanTrucTuyen": "false"}, ("ThanhToanTrucTuyen", "type")),
])
def test_bad_fields_get_a_machine_readable_400(client, payload, change, expected):
    assert expected in errors_of(post(client, {**payload, **change}))
    assert ReceivedStatusChange.objects.count() == 0


def test_every_missing_field_is_named(client, payload):
    found = errors_of(post(client, {"MaSuKien": payload["MaSuKien"]}))
    assert found == {(name, "required") for name in FIELDS if name != "MaSuKien"}


def test_nullable_times_may_be_null_but_must_be_present(client, payload):
    assert post(client, {**payload, "NgayKetThucXuLy": None}).status_code == 200
    missing = {k: v for k, v in payload.items() if k != "NgayKetThucXuLy"}
    assert errors_of(post(client, {**missing, "MaSuKien": "khac"})) == {("NgayKetThucXuLy", "required")}


@pytest.mark.parametrize("body, code", [(b"{not json", "invalid_json"), (b"\xff\xfe", "invalid_json"),
                                        (b"[1, 2]", "not_an_object")])
def test_a_body_that_is_not_a_json_object(client, body, code):
    assert errors_of(post(client, body)) == {(None, code)}


def test_only_post(client):
    response = client.get(ENDPOINT_PATH)
    assert response.status_code == 405 and response.json()["errors"][0]["code"] == "method_not_allowed"


@override_settings(MOTCUA_NATIONAL_TOKEN="bi-mat")
@pytest.mark.parametrize("authorization", [None, "Bearer sai", "bi-mat", "Basic bi-mat"])
def test_a_configured_token_is_required(client, payload, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = post(client, payload, **headers)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert ReceivedStatusChange.objects.count() == 0


@override_settings(MOTCUA_NATIONAL_TOKEN="bi-mat")
def test_the_right_token_is_accepted(client, payload):
    assert post(client, payload, Authorization="Bearer bi-mat").status_code == 200


@override_settings(MOTCUA_NATIONAL_TOKEN="bi-mat")
def test_the_in_process_transport_sends_the_token(payload):
    from motcua.integrations.transports import InProcessTransport

    assert InProcessTransport().send(payload).acknowledges(payload["MaSuKien"])
    assert InProcessTransport(token="sai").send(payload).status == 401
