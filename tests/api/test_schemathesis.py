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
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance  # noqa: E402

# Every check schemathesis runs by default (no 5xx; status code, content type, headers and body
# as documented; schema-violating input rejected with a 4xx; unsupported methods refused) but one:
# a schema-valid request may still be refused on its meaning (an identifier whose checksum is
# wrong, a procedure that does not exist), with a documented 400.
EXCLUDED_CHECKS = []


class ApiApplication(WSGIHandler):
    """The project's WSGI application, routing with the test URLs (the API mounted at /api/v1/)."""

    def get_response(self, request):
        request.urlconf = "tests.api.urls"
        return super().get_response(request)


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", ApiApplication()).include(tag="public")
# Valid and invalid input both; the same examples on every run (no example database to keep).
schema.config.generation.update(modes=["positive", "negative"], deterministic=True, database="none")


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
    case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)


# The officer endpoints, as a logged-in reception officer. The session is supplied, not generated:
# schemathesis neither drops nor forges it (401 without a session is tested in test_officers.py).
officer_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", ApiApplication()).include(tag="officers")
officer_schema.config.generation.update(modes=["positive", "negative"], deterministic=True, database="none",
                                        with_security_parameters=False)


@pytest.fixture
def officer_session(world, client):
    """A reception officer's session and CSRF cookies, and the CSRF header, as a browser sends them."""
    client.force_login(world[Role.RECEPTION])
    token = get_random_string(32)  # a CSRF secret: 32 letters and digits
    cookies = {django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value,
               django_settings.CSRF_COOKIE_NAME: token}
    return {"cookies": cookies, "headers": {"X-CSRFToken": token}}


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
    case.call_and_validate(**officer_session, excluded_checks=EXCLUDED_CHECKS)
