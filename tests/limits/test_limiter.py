"""The limiter itself: rates, the client's address, fixed windows on the local clock, Retry-After."""
from unittest import mock

import pytest
from django.test import RequestFactory, override_settings

from motcua.limits import limiter
from motcua.limits.limiter import Rate, Throttled, check, client_address, parse_rate, record_failure


def request(address="203.0.113.7", **meta):
    return RequestFactory().get("/", REMOTE_ADDR=address, **meta)


def test_rates():
    assert parse_rate("20/h") == Rate(20, 3600) and parse_rate("5/15m") == Rate(5, 900)
    assert parse_rate("10/d") == Rate(10, 86400) and parse_rate("3 / s") == Rate(3, 1)
    with pytest.raises(ValueError):
        parse_rate("20 per hour")


def test_the_client_address():
    assert client_address(request("203.0.113.7")) == "203.0.113.7"
    # One IPv6 subscriber holds a /64: it is one client.
    assert client_address(request("2001:db8:1:2:aaaa::1")) == client_address(request("2001:db8:1:2:bbbb::9"))
    assert client_address(request("2001:db8:1:2::1")) == "2001:db8:1:2::/64"
    assert client_address(request("::ffff:203.0.113.7")) == "203.0.113.7"
    # A client-supplied header is ignored unless a reverse proxy is declared to set it.
    assert client_address(request(HTTP_X_REAL_IP="198.51.100.1")) == "203.0.113.7"
    with override_settings(MOTCUA_CLIENT_ADDRESS_HEADER="X-Real-IP"):
        assert client_address(request(HTTP_X_REAL_IP="198.51.100.1")) == "198.51.100.1"
        assert client_address(request()) == "203.0.113.7"


@override_settings(MOTCUA_RATE_LIMITS={"door": {"client": "3/m", "code": "2/h"}})
def test_a_window_refuses_past_its_count_until_it_ends():
    now = 1_800_000_000.0  # local windows: +7 h
    with mock.patch.object(limiter.time, "time", return_value=now):
        for _ in range(3):
            check(request(), "door")
        with pytest.raises(Throttled) as refused:
            check(request(), "door")
        check(request("198.51.100.1"), "door")  # another client
    minute_left = 60 - (now + 7 * 3600) % 60
    assert refused.value.retry_after == minute_left and "Vui lòng thử lại sau" in refused.value.message
    with mock.patch.object(limiter.time, "time", return_value=now + 60):
        check(request(), "door")  # the next window


@override_settings(MOTCUA_RATE_LIMITS={"door": {"code": "2/h"}})
def test_targets_checked_without_counting_refuse_after_their_failures():
    for _ in range(5):
        check(request(), "door", count_targets=False, code="A-1")  # hits do not count
    record_failure("door", code="A-1")
    record_failure("door", code="A-1")
    with pytest.raises(Throttled) as refused:
        check(request("198.51.100.1"), "door", count_targets=False, code=" A-1 ")
    assert 0 < refused.value.retry_after <= 3600
    check(request(), "door", count_targets=False, code="A-2")


def test_wait_words():
    assert limiter.wait_words(30) == "30 giây" and limiter.wait_words(61) == "2 phút"
    assert limiter.wait_words(7200) == "2 giờ"
