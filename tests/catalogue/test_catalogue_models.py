from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import inlineformset_factory

from motcua.catalogue.admin import StepFormSet
from motcua.catalogue.models import (
    MANDATORY_PARTS,
    Component,
    Fee,
    Procedure,
    ProcedureLevel,
    ProcessStep,
    check_step_shares,
)
from motcua.catalogue.selectors import with_details


def test_complete_procedure_has_all_mandatory_parts(make_procedure):
    proc = make_procedure()
    assert proc.has_mandatory_parts() and proc.missing_mandatory_parts() == []
    assert len(MANDATORY_PARTS) == 7


@pytest.mark.parametrize("part", MANDATORY_PARTS)
def test_each_missing_part_is_detected(make_procedure, part):
    proc = make_procedure()
    if part == "name":
        proc.name = "  "
    elif part in ("steps", "methods", "components"):
        getattr(proc, part).all().delete()
    elif part == "time_limit":
        proc.time_limit, proc.time_unit = None, ""
    elif part == "subjects":
        proc.subjects = []
    elif part == "agency":
        proc.agency, proc.implementing_agency_text = None, ""
    proc.save()
    proc = Procedure.objects.get(pk=proc.pk)
    assert not proc.has_mandatory_parts()
    assert proc.missing_mandatory_parts() == [part]


def test_components_need_a_count(make_procedure):
    proc = make_procedure()
    Component.objects.create(procedure=proc, order=3, name="Giấy tờ không ghi số lượng")
    assert proc.missing_mandatory_parts() == ["components"]


def test_agency_by_text_or_commune_level(make_procedure):
    by_text = make_procedure("1.000001", agency=None, implementing_agency_text="Sở Nội vụ")
    commune = make_procedure("2.000001", level=ProcedureLevel.COMMUNE, implementing_agency_text="")
    assert by_text.has_mandatory_parts() and commune.has_mandatory_parts()


def test_helpers(make_procedure):
    proc = make_procedure(subjects=["organisation"], online_level="none")
    assert proc.is_fee_bearing and not proc.offered_online and not proc.for_individuals
    Fee.objects.filter(procedure=proc).update(amount_vnd=0)
    proc.methods.update(fee_vnd=0)
    free = with_details(Procedure.objects.filter(pk=proc.pk)).get()
    assert not free.is_fee_bearing
    proc.subjects, proc.online_level = ["individual"], "full"
    assert proc.for_individuals and proc.offered_online


def test_helpers_use_prefetched_rows(make_procedure, django_assert_num_queries):
    make_procedure("1.000001")
    make_procedure("1.000002")
    procedures = list(with_details())
    with django_assert_num_queries(0):
        assert all(p.has_mandatory_parts() and p.is_fee_bearing for p in procedures)


def test_step_shares_sum():
    assert check_step_shares([]) is None
    assert check_step_shares([Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]) is None
    assert check_step_shares([Decimal(50), Decimal(40)]) == Decimal(90)


def test_model_clean(make_procedure, units):
    proc = make_procedure(level=ProcedureLevel.COMMUNE)
    proc.agency = units["commune"]
    proc.time_unit = ""
    with pytest.raises(ValidationError) as info:
        proc.full_clean()
    assert set(info.value.message_dict) == {"agency", "time_unit"}
    proc.subjects = ["alien"]
    with pytest.raises(ValidationError) as info:
        proc.full_clean()
    assert "subjects" in info.value.message_dict


def step_formset(proc, shares, delete_last=False):
    FormSet = inlineformset_factory(Procedure, ProcessStep, formset=StepFormSet,
                                    fields=("order", "name", "share_percent", "role"), extra=0, can_delete=True)
    steps = list(proc.steps.all())
    data = {"steps-TOTAL_FORMS": str(len(shares)), "steps-INITIAL_FORMS": str(len(steps)),
            "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "1000"}
    for i, share in enumerate(shares):
        data.update({f"steps-{i}-order": str(i + 1), f"steps-{i}-name": f"Bước {i + 1}",
                     f"steps-{i}-share_percent": str(share), f"steps-{i}-role": "processing",
                     f"steps-{i}-procedure": str(proc.pk)})
        if i < len(steps):
            data[f"steps-{i}-id"] = str(steps[i].pk)
    if delete_last:
        data[f"steps-{len(shares) - 1}-DELETE"] = "on"
    return FormSet(data, instance=proc, prefix="steps")


def test_admin_step_formset_requires_shares_summing_to_100(make_procedure):
    proc = make_procedure()
    bad = step_formset(proc, [10, 60, 20, 5])
    assert not bad.is_valid()
    assert "phải bằng 100% (hiện là 95%)" in str(bad.non_form_errors())
    assert step_formset(proc, [10, 60.5, 19.5, 10]).is_valid()
    # a deleted step does not count
    assert step_formset(proc, [10, 60.5, 29.5, 10], delete_last=True).is_valid()
