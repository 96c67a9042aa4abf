"""Login had no lockout. Now django-axes locks an account after AXES_FAILURE_LIMIT failures, from
any address, and an address after as many failures on any accounts, for the cool-off: the login
page answers 429 (Vietnamese, Retry-After) even to the right password, and nobody is logged in."""
import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.urls import reverse

from motcua.units.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "Mat-khau-dung-2026"


@pytest.fixture
def officer(world):
    person = f.officer(world["commune"], Role.RECEPTION, username="tiepnhan")
    person.set_password(PASSWORD)
    person.save()
    return person


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_an_account_is_locked_after_repeated_failures(officer, client, settings):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = log_in(client, "tiepnhan", f"doan-{n}", address=f"203.0.113.{n}")
        assert wrong.status_code == 200 and "Tên đăng nhập hoặc mật khẩu không đúng" in wrong.content.decode()
    locked = log_in(client, "tiepnhan", "doan-cuoi", address="198.51.100.1")
    assert locked.status_code == 429 and int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME * 3600
    assert "đăng nhập sai quá nhiều lần và tạm bị khóa" in locked.content.decode()
    # The right password, from a fresh address, is refused during the cool-off.
    right = log_in(client, "tiepnhan", PASSWORD, address="198.51.100.2")
    assert right.status_code == 429 and not logged_in(client)
    assert AccessAttempt.objects.filter(username="tiepnhan").exists()  # recorded, for the admin
    # Unlocked (`motcua axes_reset`, or the cool-off ends): the right password logs in.
    reset(username="tiepnhan")
    assert log_in(client, "tiepnhan", PASSWORD).status_code == 302 and logged_in(client)


def test_an_address_that_sprays_passwords_over_accounts_is_locked(officer, client, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"khong-co-{n}", "123456", address="203.0.113.50")
    refused = log_in(client, "tiepnhan", PASSWORD, address="203.0.113.50")
    assert refused.status_code == 429 and not logged_in(client)
    # Other addresses are not affected; the account itself is not locked.
    assert log_in(client, "tiepnhan", PASSWORD, address="198.51.100.3").status_code == 302 and logged_in(client)


def test_a_success_before_the_limit_starts_the_count_again(officer, client, settings):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "tiepnhan", "sai")
    assert log_in(client, "tiepnhan", PASSWORD).status_code == 302
    client.logout()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "tiepnhan", "sai").status_code == 200


def test_authenticating_without_a_request_still_works(officer):
    """A command or a script (the backup test) authenticates without a request: no client to lock."""
    from django.contrib.auth import authenticate

    assert authenticate(username="tiepnhan", password=PASSWORD) == officer
    assert authenticate(username="tiepnhan", password="sai") is None


def test_the_address_axes_stores_is_always_an_ip_address(rf):
    """PostgreSQL's inet column takes nothing else: a login without an address must not fail on it."""
    from motcua.limits.limiter import login_client_address

    assert login_client_address(rf.get("/", REMOTE_ADDR="203.0.113.7")) == "203.0.113.7"
    assert login_client_address(rf.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")) == "2001:db8:1:2::"
    request = rf.get("/")
    del request.META["REMOTE_ADDR"]
    assert login_client_address(request) == "0.0.0.0"
