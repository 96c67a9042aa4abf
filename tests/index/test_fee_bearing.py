"""One definition of a fee-bearing procedure: `Procedure.is_fee_bearing` (a fee or charge above zero
in the fee schedule or on any submission method) is what the live index reads as `fee_bearing`
for PAID_ONLINE, FEE_PROCEDURES_PAID_ONLINE and FEE_PROCEDURES_INTEGRATED."""
import pytest

from motcua.catalogue.models import Fee, Method, Procedure, ProcedureMethod
from motcua.index.live import live_inputs
from tests import factories

pytestmark = pytest.mark.django_db

CASES = {  # code: (fee schedule amounts, method fees, fee-bearing?)
    "1.000001": ([50_000], [], True),
    "1.000002": ([], [25_000], True),  # a fee only on one submission method still bears a fee
    "1.000003": ([10_000, 0], [0, 5_000], True),
    "1.000004": ([0], [0, 0], False),
    "1.000005": ([], [], False),
}


def test_the_model_and_the_index_agree_on_fee_bearing_procedures():
    for code, (fees, method_fees, _) in CASES.items():
        procedure = factories.procedure(code=code)
        for i, amount in enumerate(fees):
            Fee.objects.create(procedure=procedure, name=f"Lệ phí {i}", amount_vnd=amount)
        for method, amount in zip(Method.values, method_fees, strict=False):
            ProcedureMethod.objects.create(procedure=procedure, method=method, fee_vnd=amount)
    model = {p.code: p.is_fee_bearing for p in Procedure.objects.prefetch_related("fees", "methods")}
    ids = dict(Procedure.objects.values_list("pk", "code"))
    index = {ids[r["procedure_id"]]: r["fee_bearing"]
             for r in live_inputs().procedures.to_pyarrow().to_pylist()}
    expected = {code: bearing for code, (_, _, bearing) in CASES.items()}
    assert model == expected
    assert index == expected
