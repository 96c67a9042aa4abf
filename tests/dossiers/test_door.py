"""Attacks on the door: each is refused with its own clear message, and nothing changes — not the
row, not the event chain, not the national portal's outbox, not the applicant's notices."""
import pytest

from motcua.dossiers.door import HistoryImport
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import ApplicantKind, Channel, Dossier, OutboxMessage, PaymentChannel
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action, Actor, Status
from motcua.notify.models import ApplicantMessage
from motcua.payments.services import pay_cash
from motcua.results import identities
from motcua.results import services as results
from motcua.results.models import SignedDocument
from tests import factories as f

pytestmark = pytest.mark.django_db
CITIZEN = Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", f.VALID_PID, phone="0912345678")


@pytest.fixture
def desk():
    return f.desk()


def received(desk, fee=0):
    d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=CITIZEN, channel=Channel.DIRECT,
                     action=Action.RECEIVE, actor=desk["reception"], at=f.at(2026, 3, 2, 9, 0), fee_total_vnd=fee)
    return transition(d, Action.START_PROCESSING, actor=desk["processing"], at=f.at(2026, 3, 2, 10, 0),
                      assignee_id=desk["processing"].pk)


def state(d):
    row = Dossier.objects.get(pk=d.pk)
    return (row.status, row.version, row.event_head_hash, row.result_signed, row.result_file, row.paid_at,
            row.events.count(), OutboxMessage.objects.filter(dossier=d).count(),
            ApplicantMessage.objects.filter(dossier=d).count())


def refused(d, code, match, action, **kwargs):
    before = state(d)
    with pytest.raises(DossierError, match=match) as exc:
        transition(d, action, **kwargs)
    assert exc.value.code == code
    assert state(d) == before
    return exc.value


def test_an_unknown_parameter_is_refused_by_name(desk):
    d = received(desk)
    refused(d, "unknown_param",
            r"«Yêu cầu bổ sung» không nhận tham số colour \(tham số nhận được: acknowledge_overdue\)",
            Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0), colour="red")


def test_a_parameter_of_the_wrong_type_is_refused(desk):
    d = received(desk)
    refused(d, "param_type", "Tham số to_unit_id của thao tác «Chuyển đơn vị \\(liên thông\\)» sai kiểu",
            Action.TRANSFER, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0), to_unit_id=str(desk["unit"].pk))


def test_a_stale_version_is_refused_by_the_door_itself(desk):
    d = received(desk)
    seen = d.version - 1  # what the officer saw before someone else started processing
    refused(d, "stale_version", "vừa được người khác cập nhật", Action.STOP, actor=desk["head"],
            at=f.at(2026, 3, 3, 9, 0), reason="Không đủ điều kiện", expected_version=seen)
    transition(d, Action.STOP, actor=desk["head"], at=f.at(2026, 3, 3, 9, 0), reason="Không đủ điều kiện",
               expected_version=d.version)
    assert Dossier.objects.get(pk=d.pk).status == Status.STOPPED


def test_completing_cannot_claim_a_signed_result(desk):
    d = received(desk)
    refused(d, "unknown_param", "không nhận tham số result_signed", Action.COMPLETE, actor=desk["head"],
            at=f.at(2026, 3, 3, 9, 0), result_file="results/x.pdf", result_signed=True)


def test_signing_needs_the_signed_document(desk):
    d = received(desk)
    results.complete(d, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    refused(d, "no_signed_document", "Chỉ thao tác ký số mới ghi nhận kết quả đã ký", Action.SIGN_RESULT,
            actor=desk["head"], at=f.at(2026, 3, 3, 10, 0), result_file=d.result_file, result_sha256=d.result_sha256)


def test_an_unsigned_document_result_is_not_returned(desk):
    d = received(desk)
    results.complete(d, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    refused(d, "result_not_signed", "phải được ký số", Action.RETURN_RESULT, actor=desk["reception"],
            at=f.at(2026, 3, 3, 10, 0))


def test_a_payment_is_not_confirmed_without_a_payment_record(desk):
    d = received(desk, fee=50_000)
    transition(d, Action.REQUEST_PAYMENT, actor=desk["processing"], at=f.at(2026, 3, 2, 11, 0))
    for channel in (PaymentChannel.CASH, PaymentChannel.PROVINCE_GATEWAY):
        refused(d, "payment_not_recorded", "Chưa có khoản thanh toán nào được ghi nhận", Action.CONFIRM_PAYMENT,
                role=Actor.SYSTEM, at=f.at(2026, 3, 2, 11, 5), payment_channel=channel)
    pay_cash(d, desk["reception"], amount_vnd=50_000, at=f.at(2026, 3, 2, 11, 10))  # the receipt moves it on
    assert Dossier.objects.get(pk=d.pk).status == Status.IN_PROCESS


def test_the_real_walk_signs_a_file_and_returns_it(desk):
    identities.issue_test_identity(desk["unit"])
    d = received(desk)
    results.complete(d, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    results.sign_result(d, actor=desk["head"], at=f.at(2026, 3, 3, 10, 0))  # the worker signs (at once in tests)
    d.refresh_from_db()
    results.return_result(d, actor=desk["reception"], at=f.at(2026, 3, 3, 11, 0))
    row = Dossier.objects.get(pk=d.pk)
    assert row.status == Status.RETURNED and row.result_signed
    assert SignedDocument.objects.get(dossier=d).sha256 == row.result_sha256


def test_history_is_marked_as_imported_and_tells_nobody(desk):
    history = HistoryImport("sổ theo dõi giấy 2025")
    d = received(desk)
    transition(d, Action.COMPLETE, actor=desk["head"], at=f.at(2026, 3, 3, 9, 0), history=history,
               result_signed=True, result_paper=True)
    transition(d, Action.RETURN_RESULT, actor=desk["reception"], at=f.at(2026, 3, 3, 10, 0), history=history)
    row = Dossier.objects.get(pk=d.pk)
    assert row.status == Status.RETURNED and row.result_signed
    assert [e.data.get("imported_from") for e in row.events.order_by("seq")] == [
        None, None, "sổ theo dõi giấy 2025", "sổ theo dõi giấy 2025"]
    assert not ApplicantMessage.objects.filter(dossier=d).exists()
    # History checks the table, the parameters and time all the same.
    refused(d, "status_not_allowed", "Không thể", Action.COMPLETE, actor=desk["head"], at=f.at(2026, 3, 3, 11, 0),
            history=history)
    refused(received(desk), "unknown_param", "không nhận tham số colour", Action.WITHDRAW, role=Actor.APPLICANT,
            at=f.at(2026, 3, 3, 11, 0), history=history, colour="red")
    with pytest.raises(DossierError, match="nguồn"):
        HistoryImport(" ")
