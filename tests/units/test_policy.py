"""The role rules of `units.policy`, and the `may` filter that templates read them through."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from motcua.units import policy
from motcua.units.models import Officer, Role

RULES = {  # rule → the roles (with a unit) it allows
    policy.can_receive: {Role.RECEPTION},
    policy.can_take_cash: {Role.RECEPTION},
    policy.can_file_delay_report: {Role.PROCESSING, Role.HEAD},
    policy.can_read_reconciliation: {Role.HEAD, Role.PROVINCIAL_OFFICE, Role.ADMIN},
    policy.can_refund: {Role.HEAD},
    policy.head_of_a_unit: {Role.HEAD},
}


@pytest.mark.parametrize("rule, allowed", RULES.items(), ids=lambda r: getattr(r, "__name__", ""))
def test_each_rule_allows_exactly_its_roles(rule, allowed):
    assert {role for role in Role if rule(Officer(role=role, unit_id=7))} == allowed
    assert not rule(AnonymousUser())


def test_a_unit_is_needed_to_receive_or_act_as_head():
    assert not policy.can_receive(Officer(role=Role.RECEPTION, unit_id=None))
    assert not policy.head_of_a_unit(Officer(role=Role.HEAD, unit_id=None))


def test_copies_are_certified_by_the_head_of_the_dossiers_unit_only():
    head = Officer(role=Role.HEAD, unit_id=7)
    assert policy.can_certify_copies(head, 7) and not policy.can_certify_copies(head, 8)
    assert not policy.can_certify_copies(Officer(role=Role.PROCESSING, unit_id=7), 7)


def test_templates_read_the_rules_through_may():
    page = Template('{% load policy %}{% if user|may:"refund" %}hoàn tiền{% endif %}')
    assert page.render(Context({"user": Officer(role=Role.HEAD, unit_id=7)})) == "hoàn tiền"
    assert page.render(Context({"user": Officer(role=Role.RECEPTION, unit_id=7)})) == ""
    with pytest.raises(KeyError):  # a misspelt rule is an error, not a hidden link
        Template('{% load policy %}{% if user|may:"refnud" %}x{% endif %}').render(Context({"user": AnonymousUser()}))
