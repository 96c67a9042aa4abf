"""Fixed-window counters in Django's cache, per door (lookup, submit, …) and scope (the client's
address, or a target: a dossier code, an identification number, a petition, a phone number).

    check(request, "submit")                                      # counts the client, may refuse
    check(request, "lookup", count_targets=False, dossier=c, identifier=i)
    record_failure("lookup", dossier=c, identifier=i)              # a miss counts against its targets

A refusal raises `Throttled`: the 429 page (middleware) or the API's 429 error, with Retry-After.
The rates are `settings.MOTCUA_RATE_LIMITS[door][scope]`. Windows are aligned to the local clock
(a "d" window is a local day). Target values are keyed by an HMAC, so the cache holds no
identification number. Increments are atomic on Redis and on the project's database cache
(`limits.cache`), so concurrent requests are all counted.
"""
from __future__ import annotations

import ipaddress
import math
import re
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
MESSAGE = "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau {wait}."


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """"20/h" → 20 per hour; "5/15m" → 5 per 15 minutes."""
    match = RATE.match(text.replace(" ", ""))
    if match is None:
        raise ValueError(f"rate {text!r}: expected count/period, e.g. 20/h or 5/15m")
    count, multiple, unit = match.groups()
    return Rate(int(count), int(multiple or 1) * PERIODS[unit])


def wait_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} giây"
    if seconds < 3600:
        return f"{math.ceil(seconds / 60)} phút"
    return f"{math.ceil(seconds / 3600)} giờ"


class Throttled(Exception):
    """A request refused for its rate: answered 429 with Retry-After."""

    def __init__(self, retry_after: int, message: str | None = None):
        self.retry_after = max(1, int(retry_after))
        self.message = message or MESSAGE.format(wait=wait_words(self.retry_after))
        super().__init__(self.message)


def client_address(request) -> str:
    """The client's address (also django-axes'): REMOTE_ADDR, or the header a trusted reverse proxy
    sets (MOTCUA_CLIENT_ADDRESS_HEADER). An IPv6 client is its /64: one subscriber holds a whole /64."""
    header = settings.MOTCUA_CLIENT_ADDRESS_HEADER
    raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "") if header else ""
    raw = raw.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def login_client_address(request) -> str:
    """`client_address` as django-axes stores it, in an IP address column (PostgreSQL's inet refuses
    anything else): an IPv6 client's /64 as the network's first address, a request without a usable
    address (a script's login, Django's test client) as 0.0.0.0."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_network(address, strict=False).network_address)
    except ValueError:
        return "0.0.0.0"


def _offset() -> int:
    """Seconds the local clock is ahead of UTC (windows, hence days, start on the local clock)."""
    return int(timezone.localtime(timezone.now()).utcoffset().total_seconds())


def _counter(door: str, scope: str, value: str, rate: Rate, now: float, increment: bool) -> tuple[int, int]:
    """(count in the current window, seconds until it ends)."""
    local = now + _offset()
    window = int(local // rate.seconds)
    retry_after = math.ceil((window + 1) * rate.seconds - local)
    digest = salted_hmac("motcua.limits", f"{door}|{scope}|{value}").hexdigest()[:32]
    key = f"limit:{door}:{scope}:{rate.seconds}:{window}:{digest}"
    if not increment:
        return cache.get(key, 0), retry_after
    cache.add(key, 0, timeout=retry_after + 1)
    try:
        return cache.incr(key), retry_after
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=retry_after + 1)
        return 1, retry_after


def _rates(door: str) -> dict[str, Rate]:
    return {scope: parse_rate(text) for scope, text in settings.MOTCUA_RATE_LIMITS.get(door, {}).items()}


def check(request, door: str, *, count_targets: bool = True, **targets: str) -> None:
    """Count this request against the client's address (and its targets, unless `count_targets` is
    false: then a target is only checked, its failures being counted by `record_failure`); raise
    `Throttled` when any of them is over its rate for the door."""
    rates, now = _rates(door), time.time()
    scopes = [("client", client_address(request), True)]
    scopes += [(scope, str(value).strip(), count_targets) for scope, value in targets.items() if value]
    waits = []
    for scope, value, increment in scopes:
        rate = rates.get(scope)
        if rate is None:
            continue
        count, retry_after = _counter(door, scope, value, rate, now, increment)
        if count > rate.count or (not increment and count >= rate.count):
            waits.append(retry_after)
    if waits:
        raise Throttled(max(waits))


def record_failure(door: str, **targets: str) -> None:
    """Count a failed attempt (a code and number that do not match) against each target."""
    rates, now = _rates(door), time.time()
    for scope, value in targets.items():
        if value and scope in rates:
            _counter(door, scope, str(value).strip(), rates[scope], now, True)


def seconds_until_local_midnight(now: datetime | None = None) -> int:
    local = timezone.localtime(now or timezone.now())
    return int(86400 - (local.hour * 3600 + local.minute * 60 + local.second))
