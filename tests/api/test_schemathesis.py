"""Schemathesis against the served OpenAPI schema, in-process through Django's WSGI application:
the public endpoints (and the officer ones, as a logged-in reception officer) never answer 5xx,
and every answer conforms to the schema (status code, content type, headers, body), for
schema-valid and schema-violating input alike (the latter must be refused with a 4xx).

The schema is loaded when the module is collected (schemathesis' lazy `from_fixture` does not run
under pytest 9), so the WSGI application routes with tests/api/urls.py by itself."""
import pytest
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings

from motcua.dossiers.models import ApplicantKind, Channel, Dossier
from motcua.dossiers.services import Applicant, open_dossier
from motcua.dossiers.transitions import Action
from motcua.units.models import Role
from tests.factories import VALID_PID

schemathesis = pytest.importorskip("schemathesis")

# Every check schemathesis has, on the whole schema (public and officer operations): no 5xx; status
# code, content type, headers and body as documented; schema-violating input refused with a 4xx;
# unsupported methods refused; an officer operation refused without (or with a forged) session.
# A schema-valid request may still be refused on its meaning (an identifier whose checksum is wrong,
# a procedure that does not exist, an action's missing reason) with the documented 400 — but never
# by the schema's own validation: what the validator refuses, the schema must say (the check below).
ACCEPTED_WHEN_VALID = ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
SCHEMA_REFUSAL = "Dữ liệu gửi lên chưa hợp lệ."  # motcua.api.on_validation_error's message


def schema_valid_input_passes_validation(ctx, response, case):
    """A schema-valid request is not refused by the API's input validation (its 400 `validation`
    with the generic message): a rule the schema does not state, e.g. no control characters."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 400:
        return None
    error = response.json().get("error", {})
    if error.get("code") == "validation" and error.get("message") == SCHEMA_REFUSAL:
        raise AssertionError(f"schema-valid input refused by validation: {error.get('fields')}")
    return None


class ApiApplication(WSGIHandler):
    """The project's WSGI application, routing with the test URLs (the API mounted at /api/v1/)."""

    def get_response(self, request):
        request.urlconf = "tests.api.urls"
        return super().get_response(request)


def load(tag: str):
    """The served schema's operations of `tag`: valid and invalid input both, the same examples on
    every run (no example database to keep), every check on."""
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", ApiApplication()).include(tag=tag)
    loaded.config.generation.update(modes=["positive", "negative"], deterministic=True, database="none")
    loaded.config.checks.positive_data_acceptance.expected_statuses = ACCEPTED_WHEN_VALID
    return loaded


schema = load("public")


@pytest.fixture(autouse=True)
def keep_test_connection(world):
    """Requests share the test's database connection and transaction, as with Django's test client."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_public_endpoints_conform_and_never_fail(case):
    case.call_and_validate(additional_checks=[schema_valid_input_passes_validation])


# The officer endpoints, as a logged-in reception officer. The session is the schema's declared
# credential (`OfficerSession`), supplied by an auth provider: schemathesis then also sends each
# operation without it and with a forged one, and expects a 401.
officer_schema = load("officers")
officer_schema.config.generation.update(with_security_parameters=False)
SESSION: dict[str, str] = {}  # the current test's officer session (set by the `officer_session` fixture)


@officer_schema.auth(refresh_interval=None)  # a new session for each test: never cached across them
class OfficerSession:
    def get(self, case, ctx):
        return SESSION.get("id")  # none while the tests are collected

    def set(self, case, data, ctx):
        case.cookies = {**(case.cookies or {}), django_settings.SESSION_COOKIE_NAME: data}


@pytest.fixture
def officer_session(world, client):
    """A reception officer's session (for the auth provider), and the CSRF cookie and header, as a
    browser sends them."""
    client.force_login(world[Role.RECEPTION])
    SESSION["id"] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    token = get_random_string(32)  # a CSRF secret: 32 letters and digits
    yield {"cookies": {django_settings.CSRF_COOKIE_NAME: token}, "headers": {"X-CSRFToken": token}}
    SESSION.clear()


@pytest.fixture
def dossier_code(world):
    return open_dossier(procedure=world["procedure"], unit=world["unit"], channel=Channel.DIRECT,
                        applicant=Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", VALID_PID),
                        action=Action.RECEIVE, actor=world[Role.RECEPTION]).code


@officer_schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_officer_endpoints_conform_and_never_fail(case, officer_session, dossier_code):
    if case.path_parameters and "code" in case.path_parameters and case.meta.generation.mode.is_positive:
        # Reach the dossier, as it now is, not only the 404 and the 409 of a stale version.
        case.path_parameters["code"] = dossier_code
        if isinstance(case.body, dict) and "version" in case.body:
            case.body["version"] = Dossier.objects.get(code=dossier_code).version
    case.call_and_validate(**officer_session, additional_checks=[schema_valid_input_passes_validation])
