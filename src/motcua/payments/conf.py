"""Payment settings, read in settings.py from the environment variables of the same name.

MOTCUA_PAYMENT_SIMULATOR  the built-in local gateway under /thanh-toan/gia-lap/ (default off; on for
                          `make run` and the tests; refused in production, see motcua.production)
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
from django.conf import settings


def _value(name: str) -> str:
    return getattr(settings, name)


def simulator_enabled() -> bool:
    return bool(settings.MOTCUA_PAYMENT_SIMULATOR)


def vnpay_tmn_code() -> str:
    return _value("MOTCUA_VNPAY_TMN_CODE")


def vnpay_hash_secret() -> str:
    return _value("MOTCUA_VNPAY_HASH_SECRET")


def vnpay_pay_url() -> str:
    return _value("MOTCUA_VNPAY_PAY_URL")


def vnpay_api_url() -> str:
    return _value("MOTCUA_VNPAY_API_URL")


def default_gateway() -> str:
    return _value("MOTCUA_PAYMENT_GATEWAY")


def national_partner_code() -> str:
    return _value("MOTCUA_NATIONAL_PAY_PARTNER_CODE")


def national_secret() -> str:
    return _value("MOTCUA_NATIONAL_PAY_SECRET")


def national_pay_url() -> str:
    return _value("MOTCUA_NATIONAL_PAY_URL")


def national_api_url() -> str:
    return _value("MOTCUA_NATIONAL_PAY_API_URL")
