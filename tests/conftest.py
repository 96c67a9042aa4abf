from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

E2E = Path(__file__).parent / "e2e"


def pytest_runtest_setup(item):
    """`@pytest.mark.postgres` tests skip on SQLite, but fail there when PostgreSQL is required (CI)."""
    if item.get_closest_marker("postgres") is None or connection.vendor == "postgresql":
        return
    reason = f"needs PostgreSQL; DATABASE_URL points at {connection.vendor}"
    if settings.MOTCUA_REQUIRE_POSTGRES:
        pytest.fail(f"MOTCUA_REQUIRE_POSTGRES is set but the test database is not PostgreSQL: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def test_settings(tmp_path_factory):
    """Stored files (scans, results) go to a temporary folder, never into the checkout's var/."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), MOTCUA_KEY_DIR=tmp_path_factory.mktemp("keys"),
                           # Tests create many officers: a fast hasher keeps the suite quick.
                           PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                           # The abuse limits stay on, at their real rates, in every test: counted in
                           # memory (no database write per request) and emptied before each test
                           # (`fresh_limits`), so no test inherits another's counters; the attack tests
                           # in tests/limits exceed them, and one runs them on the database cache.
                           CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        yield


@pytest.fixture(autouse=True)
def fresh_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def vietnamese_again():
    """Each test starts in Vietnamese: a request in English (the language cookie) leaves English
    active in the thread, which would otherwise change the messages of the tests after it."""
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_collection_modifyitems(items):
    """Browser tests are marked `e2e` (`-m 'not e2e'` leaves them out)."""
    for item in items:
        if E2E in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
