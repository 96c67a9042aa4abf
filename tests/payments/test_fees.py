import pytest

from motcua.catalogue.models import Fee
from motcua.payments.fees import Tiers, fee_lines, tiered_copy_fee
from motcua.payments.models import PageTariff
from motcua.payments.services import PaymentError, request_obligation


@pytest.mark.parametrize("pages, expected", [
    (0, 0), (1, 2_000), (2, 4_000), (3, 5_000), (10, 12_000),
    (198, 200_000), (199, 200_000), (500, 200_000),
])
def test_certified_copy_schedule(pages, expected):
    assert tiered_copy_fee(pages) == expected


def test_tiers_are_configurable():
    assert tiered_copy_fee(5, Tiers(first_pages=1, first_page_vnd=3_000, later_page_vnd=500, max_per_copy_vnd=0)) == 5_000
    assert tiered_copy_fee(5, Tiers(max_per_copy_vnd=6_000)) == 6_000
    with pytest.raises(ValueError):
        tiered_copy_fee(-1)


@pytest.mark.django_db
def test_lines_from_the_fee_schedule(waiting_dossier):
    proc = waiting_dossier.procedure
    flat = Fee.objects.create(procedure=proc, name="Lệ phí", amount_vnd=30_000)
    copy = Fee.objects.create(procedure=proc, name="Phí chứng thực bản sao", amount_vnd=0, per_page=True)
    PageTariff.objects.create(fee=copy, source="Thông tư 226/2016/TT-BTC")
    plain = Fee.objects.create(procedure=proc, name="Phí sao y", amount_vnd=500, per_page=True)
    lines = fee_lines(proc.fees.all(), pages=3, copies=2)
    assert [(line.name, line.amount_vnd) for line in lines] == [
        (flat.name, 30_000), (copy.name, 2 * 5_000), (plain.name, 2 * 3 * 500)]

    obligation = request_obligation(waiting_dossier, pages=3, copies=2)
    assert obligation.amount_vnd == 30_000 + 10_000 + 3_000
    assert obligation.lines[1] == {"name": copy.name, "amount_vnd": 10_000, "pages": 3, "copies": 2}
    assert obligation.is_open


@pytest.mark.django_db
def test_no_fee_no_obligation(waiting_dossier):
    with pytest.raises(PaymentError) as exc:
        request_obligation(waiting_dossier)
    assert exc.value.code == "no_fee"
    Fee.objects.create(procedure=waiting_dossier.procedure, name="x", amount_vnd=1_000, per_page=True)
    with pytest.raises(PaymentError) as exc:
        request_obligation(waiting_dossier, copies=0)
    assert exc.value.code == "bad_quantity"


@pytest.mark.django_db
def test_a_refusal_at_reception_owes_no_fee(waiting_dossier):
    """One rule for the desk page and the API (both open through `open_dossier_owing_fees`)."""
    from motcua.dossiers.transitions import Action
    from motcua.payments.services import fee_on_opening

    proc = waiting_dossier.procedure
    Fee.objects.create(procedure=proc, name="Lệ phí", amount_vnd=30_000)
    Fee.objects.create(procedure=proc, name="Phí thẩm định", amount_vnd=20_000)
    expected = sum(proc.fees.values_list("amount_vnd", flat=True))
    assert fee_on_opening(proc, Action.RECEIVE) == fee_on_opening(proc, Action.SUBMIT_ONLINE) == expected
    assert fee_on_opening(proc, Action.REFUSE) == fee_on_opening(proc, "refuse") == 0
