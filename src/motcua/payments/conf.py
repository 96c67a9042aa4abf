"""Payment settings: each `MOTCUA_*` name may be set in settings.py, else read from the environment.

MOTCUA_PAYMENT_SIMULATOR  the built-in local gateway under /thanh-toan/gia-lap/ (default on: demo, dev, tests)
MOTCUA_VNPAY_TMN_CODE     merchant code (vnp_TmnCode)
MOTCUA_VNPAY_HASH_SECRET  shared secret for HMAC-SHA512 (vnp_HashSecret)
MOTCUA_VNPAY_PAY_URL      the gateway's payment page; empty: the simulator's
MOTCUA_VNPAY_API_URL      the gateway's API (transaction query, refund); empty: the simulator answers
MOTCUA_PAYMENT_GATEWAY    the online gateway when no route (payments.GatewayRoute) names one: vnpay | national
MOTCUA_NATIONAL_PAY_PARTNER_CODE  merchant code at the national payment platform (maDoiTac)
MOTCUA_NATIONAL_PAY_SECRET        shared secret for HMAC-SHA256 (chuKy)
MOTCUA_NATIONAL_PAY_URL           the platform's payment page; empty: the simulator's
MOTCUA_NATIONAL_PAY_API_URL       the platform's API base (…/truy-van, …/hoan-tien); empty: the simulator
"""
import os

from django.conf import settings

DEV_SECRET = "motcua-dev-vnpay-secret-not-for-production"
NATIONAL_DEV_SECRET = "motcua-dev-national-pay-secret-not-for-production"


def _value(name: str, default: str) -> str:
    return getattr(settings, name, None) or os.environ.get(name, default)


def simulator_enabled() -> bool:
    value = getattr(settings, "MOTCUA_PAYMENT_SIMULATOR", None)
    if value is None:
        value = os.environ.get("MOTCUA_PAYMENT_SIMULATOR", "1").strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def vnpay_tmn_code() -> str:
    return _value("MOTCUA_VNPAY_TMN_CODE", "MOTCUA01")


def vnpay_hash_secret() -> str:
    return _value("MOTCUA_VNPAY_HASH_SECRET", DEV_SECRET)


def vnpay_pay_url() -> str:
    return _value("MOTCUA_VNPAY_PAY_URL", "")


def vnpay_api_url() -> str:
    return _value("MOTCUA_VNPAY_API_URL", "")


def default_gateway() -> str:
    return _value("MOTCUA_PAYMENT_GATEWAY", "vnpay")


def national_partner_code() -> str:
    return _value("MOTCUA_NATIONAL_PAY_PARTNER_CODE", "MOTCUA-DVC")


def national_secret() -> str:
    return _value("MOTCUA_NATIONAL_PAY_SECRET", NATIONAL_DEV_SECRET)


def national_pay_url() -> str:
    return _value("MOTCUA_NATIONAL_PAY_URL", "")


def national_api_url() -> str:
    return _value("MOTCUA_NATIONAL_PAY_API_URL", "")
