"""A production start refuses development defaults: the one check, run by every way in (wsgi.py, cli.py).

With `MOTCUA_DEBUG` off (the default), the web server, `motcua db_worker`, `motcua schedule` and
every other `motcua` command stop before doing anything while a secret is a development value or
empty, the test PKI is on, or a stand-in is on; one message lists every problem. Whatever the debug
mode, a stand-in is refused beside the real gateway or endpoint it stands in for (the simulator
would otherwise sign payments with the real merchant secret).

Only the development values live here; settings.py reads the environment and uses them as defaults.
"""
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# setting name → (environment variable, development value)
DEVELOPMENT_SECRETS = {
    "SECRET_KEY": ("MOTCUA_SECRET_KEY", "dev-only-insecure-key-change-me-in-production"),
    "MOTCUA_VNPAY_HASH_SECRET": ("MOTCUA_VNPAY_HASH_SECRET", "motcua-dev-vnpay-secret-not-for-production"),
    "MOTCUA_NATIONAL_PAY_SECRET": ("MOTCUA_NATIONAL_PAY_SECRET", "motcua-dev-national-pay-secret-not-for-production"),
    "MOTCUA_KEY_PASSPHRASE": ("MOTCUA_KEY_PASSPHRASE", "dev-only-key-passphrase-change-me"),
    # id:secret pairs: the development pair anywhere in the list would still verify forged events
    "MOTCUA_EVENT_KEYS": ("MOTCUA_EVENT_KEYS", "dev:dev-only-event-key-change-me-in-production"),
}

# Each stand-in setting → (what it stands in for, the settings naming the real thing it must not sit beside)
STAND_INS = {
    "MOTCUA_PAYMENT_SIMULATOR": ("trình giả lập cổng thanh toán (/thanh-toan/gia-lap/)",
                                 ("MOTCUA_VNPAY_PAY_URL", "MOTCUA_VNPAY_API_URL",
                                  "MOTCUA_NATIONAL_PAY_URL", "MOTCUA_NATIONAL_PAY_API_URL")),
    "MOTCUA_NATIONAL_STAND_IN": ("bộ nhận giả lập của Cổng DVC quốc gia (/_quoc-gia/)", ()),
    "MOTCUA_POPULATION_STAND_IN": ("CSDL dân cư giả lập", ("MOTCUA_POPULATION_ADAPTER",)),
    "MOTCUA_TEXT_STAND_IN": ("bộ ghi tin SMS/Zalo giả lập", ("MOTCUA_SMS_ADAPTER", "MOTCUA_ZALO_ADAPTER")),
}
PLACEHOLDER = "CHANGE-ME"  # what deploy/motcua.env.example leaves to fill in
TEST_PKI = "MOTCUA_TEST_PKI"
NATIONAL_STAND_IN_PATH = "/_quoc-gia/"


def development_value(setting: str) -> str:
    return DEVELOPMENT_SECRETS[setting][1]


def _real_national_endpoint(endpoint: str) -> bool:
    """An endpoint that is not the local receiver's own path is the real portal (or another server)."""
    return bool(endpoint) and not urlsplit(endpoint).path.startswith(NATIONAL_STAND_IN_PATH)


def problems(settings) -> list[str]:
    """Every reason this configuration must not start, in Vietnamese, naming the variable to set."""
    found = []
    for name, (stand_in, real_settings) in STAND_INS.items():
        if not getattr(settings, name, False):
            continue
        real = [real for real in real_settings if getattr(settings, real, "")]
        if name == "MOTCUA_NATIONAL_STAND_IN" and _real_national_endpoint(settings.MOTCUA_NATIONAL_ENDPOINT):
            real.append("MOTCUA_NATIONAL_ENDPOINT")
        if real:
            found.append(f"{name} đang bật ({stand_in}) cùng lúc với hệ thống thật ({', '.join(real)}): tắt {name}.")
        elif not settings.DEBUG:
            found.append(f"{name} đang bật ({stand_in}): chỉ dùng khi phát triển, đặt {name}=0.")
    if settings.DEBUG:
        return found
    for name, (variable, development) in DEVELOPMENT_SECRETS.items():
        value = getattr(settings, name, "")
        if not value:
            found.append(f"{variable} trống: đặt một giá trị bí mật riêng.")
        elif development in value:
            found.append(f"{variable} đang là giá trị phát triển ghi trong mã nguồn: đặt một giá trị bí mật riêng.")
        elif PLACEHOLDER in value:
            found.append(f"{variable} còn là chỗ trống {PLACEHOLDER} của tệp mẫu: đặt một giá trị bí mật riêng.")
    if getattr(settings, TEST_PKI, False):
        found.append(f"{TEST_PKI} đang bật (CA thử nghiệm cấp chứng thư cho đơn vị): nhập chứng thư thật "
                     f"(motcua pki import-p12) và đặt {TEST_PKI}=0.")
    if getattr(settings, "MOTCUA_SYNC_TRANSPORT", "http") == "in-process":
        found.append("MOTCUA_SYNC_TRANSPORT=in-process gửi vào bộ nhận giả lập: đặt MOTCUA_SYNC_TRANSPORT=http.")
    return found


def message(found: list[str]) -> str:
    lines = "\n".join(f"  - {problem}" for problem in found)
    return (f"motcua không khởi động: {len(found)} vấn đề cấu hình (MOTCUA_DEBUG tắt là chế độ vận hành thật):\n"
            f"{lines}\nSửa trong tệp môi trường (xem docs/deploy.md); khi phát triển, đặt MOTCUA_DEBUG=1.")


def require_safe_configuration() -> None:
    """Raise ImproperlyConfigured listing every problem (the caller decides how to stop)."""
    from django.conf import settings

    found = problems(settings)
    if found:
        raise ImproperlyConfigured(message(found))
