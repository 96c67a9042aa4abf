"""Pushing the outbox with the in-process transport and with scripted failures."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent, OutboxMessage
from motcua.integrations.models import ReceivedStatusChange
from motcua.common.retry import backoff
from motcua.integrations.outbox import push_pending, sync_status
from motcua.integrations.transports import Delivery, InProcessTransport

pytestmark = pytest.mark.django_db
NOW = timezone.now()


class Recording:
    """Delegates to the in-process receiver, remembering what was sent; fails while `failing(payload)`."""

    def __init__(self, failing=lambda payload: False, failure="raise"):
        self.sent, self.failing, self.failure = [], failing, failure
        self.inner = InProcessTransport()

    def send(self, payload):
        self.sent.append((payload["MaHoSo"], payload["TrangThai"], payload["MaSuKien"]))
        if self.failing(payload):
            if self.failure == "raise":
                raise ConnectionResetError("mất kết nối giữa chừng")
            return Delivery(500, "Internal Server Error")
        return self.inner.send(payload)


def messages(dossier):
    return list(OutboxMessage.objects.filter(dossier=dossier).order_by("event__seq"))


def test_in_process_push_acknowledges_and_flags_the_dossier_only_when_all_events_are_acked(make_dossier):
    d = make_dossier(steps=2)  # receive, start processing, complete: 3 events
    version = Dossier.objects.get(pk=d.pk).version

    first = push_pending(InProcessTransport(), now=NOW, limit=2)
    assert (first.acknowledged, first.failed, first.dossiers_synced) == (2, 0, 0)
    assert [m.acknowledged_at is not None for m in messages(d)] == [True, True, False]
    assert not Dossier.objects.get(pk=d.pk).synced_national

    second = push_pending(InProcessTransport(), now=NOW)
    assert (second.acknowledged, second.dossiers_synced) == (1, 1)
    stored = Dossier.objects.get(pk=d.pk)
    assert stored.synced_national
    # The flag is not a state change: no new event, no new version.
    assert stored.version == version and DossierEvent.objects.filter(dossier=d).count() == 3
    assert all(m.acknowledged_at == NOW and m.attempts == 1 for m in messages(d))
    received = list(ReceivedStatusChange.objects.order_by("id").values_list("dossier_code", "status", "deliveries"))
    assert received == [(d.code, 2, 1), (d.code, 4, 1), (d.code, 9, 1)]


def test_a_new_event_after_sync_is_pushed_and_keeps_the_flag(make_dossier, desk):
    from motcua.dossiers.services import transition
    from motcua.dossiers.transitions import Action
    from tests import factories as f

    d = make_dossier(steps=0)
    push_pending(InProcessTransport(), now=NOW)
    assert Dossier.objects.get(pk=d.pk).synced_national
    transition(Dossier.objects.get(pk=d.pk), Action.START_PROCESSING, actor=desk["processing"],
               at=f.at(2026, 3, 2, 10, 0))
    assert push_pending(InProcessTransport(), now=NOW).acknowledged == 1
    assert OutboxMessage.objects.filter(acknowledged_at__isnull=True).count() == 0


@pytest.mark.parametrize("failure", ["raise", "http-500"])
def test_failures_back_off_exponentially_lose_nothing_and_a_later_success_acks(make_dossier, failure):
    d = make_dossier(steps=1)
    down = Recording(failing=lambda p: True, failure=failure)

    r1 = push_pending(down, now=NOW)
    assert (r1.acknowledged, r1.failed, r1.held_back) == (0, 1, 1)  # the second event waits for the first
    first = messages(d)[0]
    assert first.attempts == 1 and first.next_attempt_at == NOW + timedelta(minutes=1)
    assert ("mất kết nối" if failure == "raise" else "HTTP 500") in first.last_error

    # Not due yet: nothing is sent.
    assert push_pending(down, now=NOW + timedelta(seconds=59)).sent == 0
    assert len(down.sent) == 1

    waits = []
    moment = NOW
    for _ in range(4):
        moment = messages(d)[0].next_attempt_at
        push_pending(down, now=moment)
        m = messages(d)[0]
        waits.append(m.next_attempt_at - moment)
    assert waits == [timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8), timedelta(minutes=16)]
    assert messages(d)[0].attempts == 5
    assert OutboxMessage.objects.filter(dossier=d).count() == 2  # nothing lost
    assert not Dossier.objects.get(pk=d.pk).synced_national

    up = Recording()
    later = messages(d)[0].next_attempt_at
    result = push_pending(up, now=later)
    assert (result.acknowledged, result.failed, result.dossiers_synced) == (2, 0, 1)
    assert [s[1] for s in up.sent] == [2, 4]
    first = messages(d)[0]
    assert first.attempts == 6 and first.acknowledged_at == later
    assert Dossier.objects.get(pk=d.pk).synced_national


def test_backoff_is_capped_at_six_hours():
    assert backoff(1) == timedelta(minutes=1)
    assert backoff(9) == timedelta(minutes=256)
    assert backoff(10) == backoff(500) == timedelta(hours=6)


def test_a_dossier_is_sent_in_order_and_one_failing_dossier_does_not_hold_the_others(make_dossier):
    a = make_dossier(steps=3)  # 4 events
    b = make_dossier(steps=2)  # 3 events, interleaved by id with nothing (created after a)
    flaky = Recording(failing=lambda p: p["MaHoSo"] == a.code and p["TrangThai"] == 4)

    result = push_pending(flaky, now=NOW)
    # a: event 1 acked, event 2 fails, events 3-4 held back; b: all three acked.
    assert (result.acknowledged, result.failed, result.held_back) == (4, 1, 2)
    assert [s[1] for s in flaky.sent if s[0] == a.code] == [2, 4]
    assert [s[1] for s in flaky.sent if s[0] == b.code] == [2, 4, 9]
    assert [m.acknowledged_at is not None for m in messages(a)] == [True, False, False, False]
    assert Dossier.objects.get(pk=b.pk).synced_national and not Dossier.objects.get(pk=a.pk).synced_national

    healed = Recording()
    push_pending(healed, now=NOW + timedelta(hours=1))
    assert [s[1] for s in healed.sent] == [4, 9, 10]
    # Across both runs, every change of `a` reached the receiver in event order.
    keys = [m.payload["MaSuKien"] for m in messages(a)]
    order = list(ReceivedStatusChange.objects.filter(dossier_code=a.code).order_by("id").values_list("event_key", flat=True))
    assert order == keys
    assert Dossier.objects.get(pk=a.pk).synced_national


def test_a_later_event_waits_while_an_earlier_one_is_backing_off(make_dossier, desk):
    from motcua.dossiers.services import transition
    from motcua.dossiers.transitions import Action
    from tests import factories as f

    d = make_dossier(steps=0)
    push_pending(Recording(failing=lambda p: True), now=NOW)  # event 1 now waits a minute
    transition(Dossier.objects.get(pk=d.pk), Action.START_PROCESSING, actor=desk["processing"],
               at=f.at(2026, 3, 2, 10, 0))
    spy = Recording()
    result = push_pending(spy, now=NOW + timedelta(seconds=30))  # event 2 is due, event 1 is not
    assert spy.sent == [] and result.held_back == 1


def test_pushing_twice_sends_nothing_twice(make_dossier):
    make_dossier(steps=3)
    make_dossier(steps=1)
    spy = Recording()
    assert push_pending(spy, now=NOW).acknowledged == 6
    again = push_pending(spy, now=NOW + timedelta(days=1))
    assert again.sent == 0 and len(spy.sent) == 6 and len({s[2] for s in spy.sent}) == 6
    assert set(ReceivedStatusChange.objects.values_list("deliveries", flat=True)) == {1}


def test_an_answer_that_does_not_acknowledge_the_key_is_a_failure(make_dossier):
    d = make_dossier()

    class WrongKey:
        def send(self, payload):
            return Delivery(200, {"ok": True, "MaSuKien": "khac"})

    result = push_pending(WrongKey(), now=NOW)
    assert result.failed == 1 and "không xác nhận" in messages(d)[0].last_error
    assert messages(d)[0].acknowledged_at is None


def test_an_unreachable_endpoint_stops_the_run_without_touching_the_rest(make_dossier):
    make_dossier()
    make_dossier()

    class Unreachable:
        calls = 0

        def send(self, payload):
            Unreachable.calls += 1
            return Delivery(None, error="Connection refused", unreachable=True)

    result = push_pending(Unreachable(), now=NOW)
    assert Unreachable.calls == 1 and result.failed == 1 and "Connection refused" in result.stopped
    assert list(OutboxMessage.objects.order_by("id").values_list("attempts", flat=True)) == [1, 0]


def test_status_counts_and_command(make_dossier, capsys):
    make_dossier(steps=1)
    d = make_dossier()
    push_pending(Recording(failing=lambda p: p["MaHoSo"] == d.code), now=NOW)
    s = sync_status(now=timezone.now() + timedelta(hours=2))
    assert (s.unsent, s.failing, s.acknowledged, s.pending, s.dossiers_synced, s.dossiers) == (0, 1, 2, 1, 1, 2)
    assert s.oldest_pending_age >= timedelta(hours=2)
    call_command("sync", "status")
    out = capsys.readouterr().out
    assert "đang lỗi (đã gửi, chưa được xác nhận): 1" in out and "đã xác nhận: 2" in out
    assert "chờ lâu nhất" in out and d.code in out


def test_push_command_with_the_in_process_transport(make_dossier, capsys):
    make_dossier(steps=2)
    call_command("sync", "push", "--transport", "in-process", "--limit", "2")
    assert "Đã gửi 2: 2 được xác nhận" in capsys.readouterr().out
    call_command("sync", "push", "--transport", "in-process")
    assert "1 hồ sơ đã đồng bộ đủ" in capsys.readouterr().out
    assert OutboxMessage.objects.filter(acknowledged_at__isnull=True).count() == 0


def test_on_sqlite_a_second_push_run_steps_aside(make_dossier, data_dir, capsys):
    import fcntl

    from django.db import connection

    if connection.features.has_select_for_update_skip_locked:
        pytest.skip("row locks make concurrent pushers safe: no file lock on this database")
    make_dossier()
    with open(data_dir / "sync-push.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another run is going on
        call_command("sync", "push", "--transport", "in-process")
    assert "bỏ qua" in capsys.readouterr().out
    assert OutboxMessage.objects.get().attempts == 0
