"""The server-held keys of the event chains (`MOTCUA_EVENT_KEYS`, read in settings.py).

The setting is `id:secret` pairs separated by commas, oldest first: the last pair keys every new
event, every pair still verifies the events it keyed, so a key is rotated by appending a new pair
(and an old one is dropped only once no event names it). Each event stores the id of its key.
Events recorded before the chains were keyed carry `LEGACY_KEY_ID` and a plain SHA-256 link.
"""
import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LEGACY_KEY_ID = "legacy"
MIN_SECRET_LENGTH = 32  # characters: `openssl rand -hex 32` gives 64
_KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,16}$")


@lru_cache(maxsize=4)
def parse_keys(raw: str) -> dict[str, bytes]:
    """{key id: secret}, oldest first; ImproperlyConfigured names what is wrong."""
    keys: dict[str, bytes] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        key_id, sep, secret = item.partition(":")
        if not sep or not _KEY_ID.match(key_id) or key_id == LEGACY_KEY_ID:
            raise ImproperlyConfigured(
                f"MOTCUA_EVENT_KEYS: «{key_id}» không phải mã khóa hợp lệ (1–16 ký tự A–Z, a–z, 0–9, . _ -; "
                f"không dùng «{LEGACY_KEY_ID}»), dạng đúng: mã:bí-mật,mã:bí-mật.")
        if key_id in keys:
            raise ImproperlyConfigured(f"MOTCUA_EVENT_KEYS: mã khóa «{key_id}» lặp lại.")
        if len(secret) < MIN_SECRET_LENGTH:
            raise ImproperlyConfigured(
                f"MOTCUA_EVENT_KEYS: bí mật của khóa «{key_id}» phải dài ít nhất {MIN_SECRET_LENGTH} ký tự.")
        keys[key_id] = secret.encode()
    if not keys:
        raise ImproperlyConfigured("MOTCUA_EVENT_KEYS: chưa cấu hình khóa nào cho nhật ký sự kiện.")
    return keys


def configured_keys() -> dict[str, bytes]:
    return parse_keys(settings.MOTCUA_EVENT_KEYS)


def signing_key() -> tuple[str, bytes]:
    """The newest key: (id, secret)."""
    return next(reversed(configured_keys().items()))
