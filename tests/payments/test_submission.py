"""Fee obligations from submission: online on the portal (page and API) and at the desk; the
applicant pays at once, and a payment outside status 6 records the dossier's facts, no status."""
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalogue.models import Fee
from motcua.dossiers.models import Dossier, PaymentChannel
from motcua.dossiers.services import transition
from motcua.dossiers.transitions import Action, Status
from motcua.payments.models import FeeObligation, PageTariff, Payment, PaymentStatus
from motcua.payments.selectors import can_pay_online
from motcua.payments.services import (
    PaymentError, handle_ipn, obligation_to_pay, pay_cash, settle_pending, sync_dossier_payment_facts,
)
from motcua.units.models import Role
from tests import factories as f
from tests.dossiers.test_desk_views import desk, post_reception  # noqa: F401 (fixture)
from tests.payments.helpers import ipn_params
from tests.portal.test_citizen import commune_procedure, submit  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator_on")]


def test_online_submission_creates_the_obligation_and_offers_payment_at_once(commune_procedure, client):
    proc = commune_procedure["procedure"]
    Fee.objects.create(procedure=proc, name="Lệ phí đăng ký", amount_vnd=8_000)
    copies = Fee.objects.create(procedure=proc, name="Phí cấp bản sao", amount_vnd=0, per_page=True)
    PageTariff.objects.create(fee=copies)  # 2,000 a page for pages 1–2
    page = submit(client, proc, commune_procedure["commune"])
    d = Dossier.objects.get()
    obligation = FeeObligation.objects.get(dossier=d)
    assert (obligation.amount_vnd, d.fee_total_vnd, d.status) == (10_000, 10_000, Status.SUBMITTED_ONLINE)
    assert [line["amount_vnd"] for line in obligation.lines] == [8_000, 2_000]
    tracking = client.get(page.url)
    assert "Thanh toán trực tuyến" in tracking.content.decode()
    started = client.post(reverse("payments:start"), {"ma": d.code, "so": f.VALID_PID})
    assert urlsplit(started["Location"]).path == "/thanh-toan/gia-lap/"
    payment = Payment.objects.get()
    assert handle_ipn(ipn_params(payment))["RspCode"] == "00"
    d = Dossier.objects.get()
    assert d.status == Status.SUBMITTED_ONLINE and d.events.count() == 1  # a fact, not a status change
    assert d.paid_online and d.payment_channel == PaymentChannel.PROVINCE_GATEWAY
    assert "Thanh toán trực tuyến" not in client.get(page.url).content.decode()  # nothing left to pay


def test_a_procedure_without_fees_creates_no_obligation(commune_procedure, client):
    submit(client, commune_procedure["procedure"], commune_procedure["commune"])
    d = Dossier.objects.get()
    assert not FeeObligation.objects.exists() and d.fee_total_vnd == 0
    assert "Thanh toán trực tuyến" not in client.get(
        reverse("portal:lookup"), {"ma": d.code, "so": f.VALID_PID}).content.decode()


def test_api_submission_creates_the_obligation(commune_procedure, client):
    proc = commune_procedure["procedure"]
    Fee.objects.create(procedure=proc, name="Lệ phí", amount_vnd=15_000)
    answer = client.post("/api/v1/submissions", {
        "procedure_code": proc.code, "unit_id": commune_procedure["commune"].pk, "applicant_kind": "individual",
        "applicant_name": "Đinh Văn H", "applicant_id": f.VALID_PID,
        "component_ids": [proc.components.get().pk],
        "files": [SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4 x", "application/pdf")]})
    assert answer.status_code == 201, answer.content
    assert FeeObligation.objects.get(dossier__code=answer.json()["code"]).amount_vnd == 15_000


def test_desk_intake_creates_the_obligation_and_cash_is_taken_at_once(desk):
    post_reception(desk)
    d = Dossier.objects.get()
    assert FeeObligation.objects.get(dossier=d).amount_vnd == 50_000
    client = desk["client"]
    detail = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert "Thu tiền và in biên lai" in detail
    paid = client.post(reverse("payments:cash", args=[d.code]), {"amount_vnd": "50.000"})
    payment = Payment.objects.get()
    assert paid.status_code == 302 and paid.url == reverse("payments:receipt", args=[payment.txn_ref])
    d = Dossier.objects.get()
    assert (d.status, d.payment_channel, d.paid_at) == (Status.RECEIVED, PaymentChannel.CASH, payment.paid_at)
    assert not d.paid_online and d.events.count() == 1
    # Once paid, status 6 asks nothing more: the fee on the dossier is covered; the settlement
    # job moves the dossier on.
    transition(d, Action.START_PROCESSING, actor=desk[Role.PROCESSING])
    transition(d, Action.REQUEST_PAYMENT, actor=desk[Role.PROCESSING])
    d = Dossier.objects.get()
    with pytest.raises(PaymentError) as exc:
        obligation_to_pay(d)
    assert exc.value.code == "nothing_to_pay" and FeeObligation.objects.count() == 1
    assert not can_pay_online(d)
    assert settle_pending()["confirmed"] == 1
    d = Dossier.objects.get()
    event = d.events.order_by("seq").last()
    assert d.status == Status.IN_PROCESS and event.action == Action.CONFIRM_PAYMENT and event.actor_role == "system"
    assert (d.payment_channel, d.paid_at) == (PaymentChannel.CASH, payment.paid_at)
    assert event.data["txn_ref"] == payment.txn_ref
    assert settle_pending()["confirmed"] == 0


def test_status_6_asks_only_the_part_not_covered(desk):
    post_reception(desk)
    d = Dossier.objects.get()
    Dossier.objects.filter(pk=d.pk).update(fee_total_vnd=70_000)  # arrange: the officer fixed a higher fee
    transition(d, Action.START_PROCESSING, actor=desk[Role.PROCESSING])
    transition(d, Action.REQUEST_PAYMENT, actor=desk[Role.PROCESSING])
    first = obligation_to_pay(Dossier.objects.get())
    assert first.amount_vnd == 50_000  # the open one from the intake
    FeeObligation.objects.filter(pk=first.pk).update(paid_at=f.at(2026, 6, 2, 9))
    assert obligation_to_pay(Dossier.objects.get()).amount_vnd == 20_000
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 0


def test_a_fee_raised_at_status_6_is_kept_until_paid(desk):
    post_reception(desk)
    d = Dossier.objects.get()
    pay_cash(d, desk[Role.RECEPTION], amount_vnd=50_000)
    transition(Dossier.objects.get(), Action.START_PROCESSING, actor=desk[Role.PROCESSING])
    transition(Dossier.objects.get(), Action.REQUEST_PAYMENT, actor=desk[Role.PROCESSING])
    Dossier.objects.filter(pk=d.pk).update(fee_total_vnd=70_000)  # arrange: the officer fixed a higher fee
    sync_dossier_payment_facts(d.pk)
    d = Dossier.objects.get()
    assert (d.fee_total_vnd, d.paid_at) == (70_000, None) and can_pay_online(d)
    assert settle_pending()["confirmed"] == 0
    second = pay_cash(d, desk[Role.RECEPTION], amount_vnd=20_000)
    d = Dossier.objects.get()
    assert (d.status, d.fee_total_vnd, d.paid_at) == (Status.IN_PROCESS, 70_000, second.paid_at)
