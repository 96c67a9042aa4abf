"""The attack: a company's dossiers found from its public tax code by trying sequential codes (963
requests, then withdrawn). Now every code + number door refuses a number (or a code) that has
missed too often today — 429, Vietnamese, Retry-After — before looking, so the refusal tells
nothing, and a client that asks too often is refused whatever it asks."""
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from motcua.dossiers.models import ApplicantKind, Dossier
from motcua.dossiers.transitions import Status
from tests import factories as f
from tests.limits.conftest import TAX_CODE, assert_throttled_api, assert_throttled_page, submitted

pytestmark = pytest.mark.django_db
MISSES = 20  # settings.MOTCUA_RATE_LIMITS["lookup"]["identifier"] = "20/d"


def codes_of_the_day(dossier, count):
    """Sequential guesses `<unit>-<yymmdd>-<nnnn>` after the real one."""
    prefix = dossier.code.rsplit("-", 1)[0]
    return [f"{prefix}-{n:04d}" for n in range(2, 2 + count)]


def test_enumerating_codes_with_a_tax_code_is_stopped_on_the_page(world, client):
    dossier = submitted(world, identifier=TAX_CODE, kind=ApplicantKind.ORGANISATION)
    guesses = codes_of_the_day(dossier, MISSES)
    for code in guesses:
        page = client.get(reverse("portal:lookup"), {"ma": code, "so": TAX_CODE}, REMOTE_ADDR="203.0.113.7")
        assert page.status_code == 200 and "Không tìm thấy hồ sơ" in page.content.decode()
    # The next guess is refused — and so is the real pair: the refusal reveals nothing.
    refused = client.get(reverse("portal:lookup"), {"ma": dossier.code, "so": TAX_CODE}, REMOTE_ADDR="203.0.113.7")
    text = assert_throttled_page(refused)
    assert "quá nhiều yêu cầu" in text and dossier.applicant_name not in text
    # From another address too (the target is the tax code), and on every other code + number door.
    elsewhere = {"REMOTE_ADDR": "198.51.100.9"}
    assert_throttled_page(client.get(reverse("portal:lookup"), {"ma": dossier.code, "so": TAX_CODE}, **elsewhere))
    for name in ("portal:withdrawal_code", "portal:withdraw", "portal:supplement", "payments:start", "feedback:rate"):
        assert_throttled_page(client.post(reverse(name), {"ma": dossier.code, "so": TAX_CODE, "otp": "000000"},
                                          **elsewhere))
    assert_throttled_page(client.get(reverse("results:applicant_download"), {"ma": dossier.code, "so": TAX_CODE},
                                     **elsewhere))
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED_ONLINE
    # Another applicant's lookup from the same addresses is unaffected.
    other = submitted(world)
    found = client.post(reverse("portal:lookup"), {"ma": other.code, "so": f.VALID_PID}, **elsewhere)
    assert found.status_code == 302 and found.url.startswith(reverse("portal:lookup") + "?t=")


def test_enumerating_codes_over_the_api_is_stopped(world, client):
    dossier = submitted(world, identifier=TAX_CODE, kind=ApplicantKind.ORGANISATION)
    for code in codes_of_the_day(dossier, MISSES):
        assert client.get("/api/v1/lookup", {"code": code, "id": TAX_CODE}).status_code == 404
    message = assert_throttled_api(client.get("/api/v1/lookup", {"code": dossier.code, "id": TAX_CODE}))
    assert "Vui lòng thử lại sau" in message
    withdraw = client.post("/api/v1/lookup/withdraw/code", {"code": dossier.code, "id": TAX_CODE},
                           content_type="application/json")
    assert_throttled_api(withdraw)


def test_trying_numbers_against_one_code_is_stopped(world, client):
    dossier = submitted(world)
    for n in range(MISSES):
        assert client.get("/api/v1/lookup", {"code": dossier.code, "id": f"0240900{n:05d}"}).status_code == 404
    assert_throttled_api(client.get("/api/v1/lookup", {"code": dossier.code, "id": f.VALID_PID}))


def test_a_client_that_asks_too_often_is_refused_whatever_it_asks(world, client):
    dossier = submitted(world)
    for _ in range(120):  # MOTCUA_RATE_LIMITS["lookup"]["client"] = "120/h": the owner reloading, all hits
        assert client.get("/api/v1/lookup", {"code": dossier.code, "id": f.VALID_PID}).status_code == 200
    assert_throttled_api(client.get("/api/v1/lookup", {"code": dossier.code, "id": f.VALID_PID}))
    assert client.get("/api/v1/lookup", {"code": dossier.code, "id": f.VALID_PID},
                      REMOTE_ADDR="198.51.100.9").status_code == 200


@override_settings(CACHES={"default": {"BACKEND": "motcua.limits.cache.DatabaseCache",
                                       "LOCATION": "motcua_cache", "OPTIONS": {"MAX_ENTRIES": 1_000_000}}})
def test_the_default_store_is_the_database_cache_created_by_migrate(world, client):
    """The attack again on the production default: the cache table that `migrate` creates (the
    tests' own database was made with the in-memory cache, so it has none until then)."""
    call_command("migrate", verbosity=0)
    assert "motcua_cache" in connection.introspection.table_names()
    dossier = submitted(world, identifier=TAX_CODE, kind=ApplicantKind.ORGANISATION)
    for code in codes_of_the_day(dossier, MISSES):
        assert client.get("/api/v1/lookup", {"code": code, "id": TAX_CODE}).status_code == 404
    assert_throttled_api(client.get("/api/v1/lookup", {"code": dossier.code, "id": TAX_CODE}))
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM motcua_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys and not any(TAX_CODE in key for key in keys)  # numbers are keyed by an HMAC
