"""The per-unit, per-day reconciliation: figures per channel, Excel, the page (scoped per role),
refunds from it, and `motcua payments reconcile`."""
from datetime import timedelta
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from motcua.catalogue.models import Fee
from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services import Applicant, open_dossier
from motcua.dossiers.transitions import Action
from motcua.payments.models import Payment, PaymentStatus
from motcua.payments.reconciliation import ReconciliationError, parse_day, reconcile
from motcua.payments.services import handle_ipn, pay_cash, refund, request_submission_obligation
from motcua.units.models import Role, Unit, UnitKind
from tests import factories as f
from tests.payments.helpers import ipn_params, pay_in_simulator, start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator_on")]
FEE = 50_000


def _dossier(unit, procedure, reception):
    d = open_dossier(procedure=procedure, unit=unit, channel=Channel.DIRECT, action=Action.RECEIVE, actor=reception,
                     applicant=Applicant(ApplicantKind.INDIVIDUAL, "Phạm D", f.VALID_PID))
    request_submission_obligation(d)
    return d


@pytest.fixture
def day(db):
    """Today at the Sở Tư pháp: cash 1, VNPAY 2 paid (1 refunded), 1 mismatch, 1 unsettled,
    national 1; and one cash payment at the Sở Y tế."""
    province = Unit.objects.create(code="24", name="Bắc Ninh", kind=UnitKind.PROVINCE)
    units = {code: f.unit(code, name, parent=province) for code, name in (("STP", "Sở Tư pháp"), ("SYT", "Sở Y tế"))}
    people = {}
    for i, (code, unit) in enumerate(units.items(), start=1):
        procedure = f.procedure(code=f"1.00000{i}", agency=unit)
        Fee.objects.create(procedure=procedure, name="Lệ phí", amount_vnd=FEE)
        people[code] = {r: f.officer(unit, r) for r in (Role.RECEPTION, Role.HEAD, Role.PROCESSING)}
        people[code]["procedure"] = procedure
    stp, syt = people["STP"], people["SYT"]

    def new(code="STP"):
        return _dossier(units[code], people[code]["procedure"], people[code][Role.RECEPTION])

    pay_cash(new(), stp[Role.RECEPTION], amount_vnd=FEE)
    pay_in_simulator(new())
    refund(pay_in_simulator(new()), stp[Role.HEAD], reason="Thu nhầm")
    mismatch, _ = start(new())
    handle_ipn(ipn_params(mismatch, amount_vnd=FEE - 1))
    start(new())  # the payer never came back: unsettled
    pay_in_simulator(new(), "national")
    pay_cash(new("SYT"), syt[Role.RECEPTION], amount_vnd=FEE)
    office = f.officer(province, Role.PROVINCIAL_OFFICE, username="vp-ubnd")
    return {"today": timezone.localdate(), "units": units, "people": people, "office": office}


def _figures(report):
    return {(line.unit_code, line.channel): (line.paid_count, line.paid_vnd, line.refunded_count, line.refunded_vnd,
                                             line.net_vnd, line.mismatch_count, line.unsettled_count)
            for line in report.lines}


def test_the_day_per_unit_and_channel(day):
    report = reconcile(day["today"])
    assert _figures(report) == {
        ("STP", "cash"): (1, FEE, 0, 0, FEE, 0, 0),
        ("STP", "province"): (2, 2 * FEE, 1, FEE, FEE, 1, 1),
        ("STP", "national"): (1, FEE, 0, 0, FEE, 0, 0),
        ("SYT", "cash"): (1, FEE, 0, 0, FEE, 0, 0),
    }
    assert [line.channel for line in report.lines[:3]] == ["cash", "province", "national"]
    assert report.total("net_vnd") == 4 * FEE and len(report.payments) == 7
    assert reconcile(day["today"] - timedelta(days=1)).lines == []


def test_each_role_sees_its_scope(day):
    stp = day["people"]["STP"]
    assert {line.unit_code for line in reconcile(day["today"], user=stp[Role.HEAD]).lines} == {"STP"}
    assert {line.unit_code for line in reconcile(day["today"], user=day["office"]).lines} == {"STP", "SYT"}
    one = reconcile(day["today"], user=day["office"], unit_id=day["units"]["SYT"].pk)
    assert {line.unit_code for line in one.lines} == {"SYT"}
    # a head asking for another unit gets nothing of it
    assert reconcile(day["today"], user=stp[Role.HEAD], unit_id=day["units"]["SYT"].pk).lines == []
    for role in (Role.RECEPTION, Role.PROCESSING):
        assert reconcile(day["today"], user=stp[role]).lines == []


def test_the_page_and_its_workbook(day, client):
    stp = day["people"]["STP"]
    for role in (Role.RECEPTION, Role.PROCESSING):
        client.force_login(stp[role])
        assert client.get(reverse("payments:reconciliation")).status_code == 404
    client.force_login(stp[Role.HEAD])
    page = client.get(reverse("payments:reconciliation"), {"ngay": day["today"].isoformat()})
    html = page.content.decode()
    assert page.status_code == 200 and "Sở Tư pháp" in html and "Sở Y tế" not in html
    assert "Nền tảng thanh toán quốc gia" in html and "Hoàn tiền" in html
    bad = client.get(reverse("payments:reconciliation"), {"ngay": "31/02/2026"})
    assert "Ngày không hợp lệ" in bad.content.decode()
    download = client.get(reverse("payments:reconciliation"), {"ngay": day["today"].isoformat(), "xlsx": "1"})
    assert download["Content-Disposition"].endswith(f'doi-soat-thu-phi-{day["today"]:%Y-%m-%d}.xlsx"')
    book = openpyxl.load_workbook(BytesIO(download.content))
    rows = list(book["Đối soát"].iter_rows(min_row=4, values_only=True))
    assert rows[1][:8] == ("STP", "Sở Tư pháp", "Cổng thanh toán của tỉnh", 2, 2 * FEE, 1, FEE, FEE)
    assert rows[-1][2:8] == ("Tổng cộng", 4, 4 * FEE, 1, FEE, 3 * FEE)
    details = list(book["Giao dịch"].iter_rows(min_row=2, values_only=True))
    assert len(details) == 6 and {r[6] for r in details} >= {"Đã hoàn tiền", "Sai lệch — cần đối soát"}
    assert next(r for r in details if r[6] == "Đã hoàn tiền")[13] == "Thu nhầm"


def test_refund_from_the_page(day, client):
    stp = day["people"]["STP"]
    paid = Payment.objects.filter(status=PaymentStatus.PAID, gateway="vnpay").get()
    url = reverse("payments:refund", args=[paid.txn_ref])
    client.force_login(day["office"])
    refused = client.post(url, {"reason": "x"}, follow=True)
    assert "Chỉ lãnh đạo đơn vị" in refused.content.decode()
    client.force_login(stp[Role.HEAD])
    empty = client.post(url, {"reason": " ", "ngay": day["today"].isoformat()}, follow=True)
    assert "Cần ghi lý do hoàn tiền" in empty.content.decode()
    assert Payment.objects.get(pk=paid.pk).status == PaymentStatus.PAID
    done = client.post(url, {"reason": "Hồ sơ bị từ chối", "ngay": day["today"].isoformat()})
    assert done.status_code == 302 and Payment.objects.get(pk=paid.pk).status == PaymentStatus.REFUNDED
    other = Payment.objects.get(obligation__dossier__unit__code="SYT")
    assert client.post(reverse("payments:refund", args=[other.txn_ref]), {"reason": "x"}).status_code == 404


def test_the_command_writes_the_workbook(day, tmp_path):
    out = StringIO()
    path = tmp_path / "doi-soat.xlsx"
    call_command("payments", "reconcile", "--date", day["today"].isoformat(), "--unit", "STP", "--out", str(path),
                 stdout=out)
    assert "thực thu 150,000 đồng" in out.getvalue() and path.exists()
    rows = list(openpyxl.load_workbook(path)["Đối soát"].iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in rows[:-1]] == ["STP", "STP", "STP"]
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("payments", "reconcile", "--date", "hôm qua")
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("payments", "reconcile", "--date", "2026-06-01", "--unit", "XYZ")


def test_parse_day():
    assert parse_day(" 2026-06-01 ").isoformat() == "2026-06-01"
    with pytest.raises(ReconciliationError):
        parse_day("")
