import re
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.dossiers.models import ApplicantKind, Channel, ComponentFile, Dossier, DossierEvent
from motcua.dossiers.services import (
    Applicant, ComponentInput, ConcurrentUpdate, DossierError, open_dossier, transition,
)
from motcua.dossiers.transitions import Action, Actor, Status
from motcua.payments.models import PaymentStatus
from motcua.results import identities
from motcua.results import services as results
from motcua.results.models import SignedDocument
from motcua.units.models import Role
from tests import factories as f
from tests.payments.helpers import pay_in_simulator

pytestmark = pytest.mark.django_db
CITIZEN = Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", f.VALID_PID, phone="0912345678")


@pytest.fixture
def desk():
    return f.desk()


def receive(desk, at=None, **kw):
    return open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=kw.pop("applicant", CITIZEN),
                        channel=Channel.DIRECT, action=Action.RECEIVE, actor=desk["reception"],
                        at=at or f.at(2026, 3, 2, 9, 0), **kw)


def test_desk_reception_fixes_code_appointment_and_first_event(desk):
    first = receive(desk)
    second = receive(desk, at=f.at(2026, 3, 2, 10, 0))
    assert first.code == "STP-260302-0001" and second.code == "STP-260302-0002"
    assert first.status == Status.RECEIVED and first.version == 1
    # Monday 09:00 + 3 working days → Thursday 09:00.
    assert first.appointment_at == f.at(2026, 3, 5, 9, 0) == first.current_appointment_at
    event = first.events.get()
    assert (event.seq, event.action, event.from_status, event.to_status) == (1, "receive", None, 2)
    assert event.actor == desk["reception"] and event.hash == first.event_head_hash


def test_online_submission_outside_hours_counts_from_next_working_period(desk):
    dossier = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=CITIZEN,
                           channel=Channel.ONLINE, action=Action.SUBMIT_ONLINE, role=Actor.APPLICANT,
                           at=f.at(2026, 3, 6, 21, 15))  # Friday evening
    assert dossier.status == Status.SUBMITTED_ONLINE and dossier.received_at is None
    transition(dossier, Action.RECEIVE, actor=desk["reception"], at=f.at(2026, 3, 9, 8, 0))
    assert dossier.received_at == f.at(2026, 3, 9, 7, 30)  # Monday, start of office hours
    assert dossier.appointment_at == f.at(2026, 3, 11, 17, 0)


@pytest.mark.parametrize("identifier, message", [("12345", "12 chữ số"), ("003090001234", "Mã tỉnh")])
def test_bad_applicant_identifier_changes_nothing(desk, identifier, message):
    with pytest.raises(DossierError, match=message):
        receive(desk, applicant=Applicant(ApplicantKind.INDIVIDUAL, "A", identifier))
    assert Dossier.objects.count() == 0 and DossierEvent.objects.count() == 0


def test_full_lifecycle_records_every_fact(desk):
    """Through the real services: the gateway's confirmed payment moves the dossier on, the head
    who completes signs the result (a signed PDF), reception returns it."""
    identities.issue_test_identity(desk["unit"])
    d = receive(desk, at=timezone.now() - timedelta(hours=3), fee_total_vnd=50_000)
    transition(d, Action.START_PROCESSING, actor=desk["processing"], assignee_id=desk["processing"].pk)
    transition(d, Action.REQUEST_PAYMENT, actor=desk["processing"])
    assert pay_in_simulator(d).status == PaymentStatus.PAID
    d.refresh_from_db()
    results.complete(d, actor=desk["head"])  # the worker renders and signs (at once in tests)
    d.refresh_from_db()
    results.return_result(d, actor=desk["reception"])
    d.refresh_from_db()
    assert d.status == Status.RETURNED and d.version == 7 and d.paid_online
    assert d.finished_at == d.events.get(action=Action.COMPLETE).at and d.returned_at == d.last_event_at
    assert d.assignee == desk["processing"] and d.result_signed
    assert SignedDocument.objects.get(dossier=d).sha256 == d.result_sha256  # signed as a file, not as a flag
    assert list(d.events.values_list("to_status", flat=True)) == [2, 4, 6, 4, 9, 9, 10]


def test_supplement_pauses_the_clock_and_second_request_needs_acknowledgement(desk):
    d = receive(desk)  # appointment Thu 5 Mar 09:00
    transition(d, Action.START_PROCESSING, actor=desk["processing"], at=f.at(2026, 3, 2, 10, 0))
    transition(d, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    transition(d, Action.RECEIVE_SUPPLEMENT, actor=desk["reception"], at=f.at(2026, 3, 5, 9, 0))
    # Two working days paused: the current appointment moves, the original stays for the index.
    assert d.appointment_at == f.at(2026, 3, 5, 9, 0)
    assert d.current_appointment_at == f.at(2026, 3, 9, 9, 0)
    assert d.events.get(seq=4).data["new_appointment_at"] == f.at(2026, 3, 9, 9, 0).isoformat()
    before = d.version
    with pytest.raises(DossierError, match="lần hai") as exc:
        transition(d, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 6, 9, 0))
    assert exc.value.code == "second_supplement"
    assert Dossier.objects.get(pk=d.pk).version == before
    transition(d, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 6, 9, 0),
               acknowledge_overdue=True)
    assert Dossier.objects.get(pk=d.pk).supplement_count == 2


def test_officer_of_another_unit_and_provincial_office_cannot_act(desk):
    d = receive(desk)
    other = f.officer(f.unit(code="SXD", name="Sở Xây dựng"), Role.PROCESSING)
    with pytest.raises(DossierError, match="đơn vị mình"):
        transition(d, Action.START_PROCESSING, actor=other)
    office = f.officer(f.unit(code="VP", name="Văn phòng UBND tỉnh"), Role.PROVINCIAL_OFFICE)
    office.unit = desk["unit"]
    with pytest.raises(DossierError, match="chỉ được xem"):
        transition(d, Action.START_PROCESSING, actor=office)
    assert Dossier.objects.get(pk=d.pk).status == Status.RECEIVED and d.events.count() == 1


def test_stale_version_is_refused_and_nothing_is_written(desk):
    d = receive(desk)
    stale = Dossier.objects.get(pk=d.pk)
    transition(d, Action.START_PROCESSING, actor=desk["processing"], at=f.at(2026, 3, 2, 10, 0))
    with pytest.raises(ConcurrentUpdate):
        transition(stale, Action.STOP, actor=desk["head"], at=f.at(2026, 3, 2, 11, 0), reason="x")
    fresh = Dossier.objects.get(pk=d.pk)
    assert fresh.status == Status.IN_PROCESS and fresh.events.count() == 2


def test_time_cannot_go_backwards(desk):
    d = receive(desk, at=f.at(2026, 3, 2, 10, 0))
    with pytest.raises(DossierError, match="sớm hơn"):
        transition(d, Action.START_PROCESSING, actor=desk["processing"], at=f.at(2026, 3, 2, 9, 0))


def test_component_files_are_content_addressed_and_never_overwritten(desk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scan = b"%PDF-1.4 scan of the application form"
    d = receive(desk, components=[
        ComponentInput("Tờ khai", content=scan, original_name="to-khai.pdf"),
        ComponentInput("Bản sao CCCD", reused=True),
    ])
    receive(desk, components=[ComponentInput("Tờ khai", content=scan)])
    files = ComponentFile.objects.all()
    assert files.count() == 2 and len({f_.path for f_ in files}) == 1
    stored = files.first()
    assert re.fullmatch(r"components/[0-9a-f]{2}/[0-9a-f]{64}", stored.path)
    assert (tmp_path / stored.path).read_bytes() == scan
    components = {c.name: c for c in d.components.all()}
    assert components["Tờ khai"].digitized and not components["Tờ khai"].reused
    assert components["Bản sao CCCD"].reused and components["Bản sao CCCD"].digitized


def test_rejected_upload_leaves_no_dossier(desk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(DossierError, match="không được chấp nhận"):
        receive(desk, components=[ComponentInput("Tờ khai", content=b"MZ...", content_type="application/x-msdownload")])
    assert Dossier.objects.count() == 0 and DossierEvent.objects.count() == 0


def test_every_state_change_enters_the_national_outbox(desk):
    from motcua.dossiers.models import OutboxMessage

    d = receive(desk, fee_total_vnd=30_000)
    transition(d, Action.START_PROCESSING, actor=desk["processing"], at=f.at(2026, 3, 2, 10, 0))
    messages = list(OutboxMessage.objects.order_by("id"))
    assert [m.event.seq for m in messages] == [1, 2]
    first, second = (m.payload for m in messages)
    assert first["MaHoSo"] == d.code and first["TrangThai"] == 2 and first["KenhThucHien"] == 1
    assert first["NgayTiepNhan"] == "20260302090000" and first["NgayHenTra"] == "20260305090000"
    assert second["TrangThai"] == 4 and second["MaSuKien"] == d.event_head_hash
    assert all(m.acknowledged_at is None and m.attempts == 0 for m in messages)


def test_a_step_gets_its_share_of_the_time_limit(desk):
    from motcua.catalogue.models import ProcessStep

    d = receive(desk)  # 3 working days: appointment Thu 5 Mar 09:00
    review = ProcessStep.objects.get(procedure=desk["procedure"], name="Thẩm định")  # 60 %
    transition(d, Action.START_PROCESSING, actor=desk["processing"], at=f.at(2026, 3, 2, 10, 0),
               current_step_id=review.pk, assignee_id=desk["processing"].pk)
    # 60 % of 3 working days = 1.8 working days = 13.5 office hours from Mon 10:00:
    # 5 h on Monday, 7.5 h on Tuesday, 1 h on Wednesday → Wed 08:30.
    assert d.step_deadline_at == f.at(2026, 3, 4, 8, 30)
    assert d.events.last().data["step_deadline_at"] == f.at(2026, 3, 4, 8, 30).isoformat()


def test_the_same_bytes_stored_twice_at_once_leave_one_file(settings, tmp_path, monkeypatch):
    from django.core.files.storage import default_storage

    from motcua.dossiers.files import store_bytes

    settings.MEDIA_ROOT = tmp_path
    first = store_bytes(b"%PDF-1.4 same scan", "application/pdf")
    # A second request that checked before the first one saved: the storage renames its copy.
    real_exists, calls = default_storage.exists, []

    def exists_once_stale(path):
        calls.append(path)
        return False if len(calls) == 1 else real_exists(path)

    monkeypatch.setattr(default_storage, "exists", exists_once_stale)
    second = store_bytes(b"%PDF-1.4 same scan", "application/pdf")
    assert second == first and len(calls) > 1  # the storage did look for a free name
    assert [p.name for p in (tmp_path / first.path).parent.iterdir()] == [first.sha256]
