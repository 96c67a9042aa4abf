"""Project wiring. Every knob is an environment variable: DATABASE_URL and MOTCUA_*."""
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from motcua.production import development_value

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("MOTCUA_DATA_DIR", PROJECT_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded SQLite database lives here
# Production unless development is asked for (`make run`, the tests): motcua.production refuses a
# production start that keeps a development secret or a stand-in.
DEBUG = env_bool("MOTCUA_DEBUG", False)
SECRET_KEY = os.environ.get("MOTCUA_SECRET_KEY", development_value("SECRET_KEY"))
ALLOWED_HOSTS = os.environ.get("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "motcua.common",
    "motcua.workdays",
    "motcua.units",
    "motcua.catalogue",
    "motcua.dossiers",
    "motcua.index",
    "motcua.integrations",
    "motcua.portal",
    "motcua.payments",
    "motcua.feedback",
    "motcua.results",
    "motcua.demo",
    "motcua.notify",
    "motcua.scheduling",
    "motcua.operations",
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Production serves the collected static files (hashed names); runserver serves them in development.
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "motcua.common.public_url.RequestBaseMiddleware",
    "motcua.encoding.RefuseNonUtf8Middleware",  # input hardening (issue 12): non-UTF-8 refused, not turned into �
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],  # the site's layout; each app keeps its own pages
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes share the file (the server, the background sync push, cron jobs): readers
    # never block the writer (WAL), and a transaction takes the write lock when it begins, so it
    # waits its turn instead of failing with "database is locked" when it starts writing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=30, transaction_mode="IMMEDIATE", init_command="PRAGMA journal_mode=WAL;")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "units.Officer"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/mot-cua/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the site's own CSS, fonts and vendored htmx
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"

EMAIL_BACKEND = os.environ.get(
    "MOTCUA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)

# Working time (rules are data: these are the defaults of one-stop.md).
MOTCUA_OFFICE_HOURS = os.environ.get("MOTCUA_OFFICE_HOURS", "07:30-11:30,13:30-17:00")
MOTCUA_SAME_DAY_CUTOFF = os.environ.get("MOTCUA_SAME_DAY_CUTOFF", "15:00")
MOTCUA_CALENDAR_YEARS = os.environ.get("MOTCUA_CALENDAR_YEARS", "2024-2028")
MOTCUA_PROVINCE_CODE = int(os.environ.get("MOTCUA_PROVINCE_CODE", "24"))
# The public address printed in QR codes and links (slips, results, notices); empty: the address of
# the request being served (motcua.common.public_url).
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "")
# Early warning: at risk below this many working days, or this share of the current step left.
MOTCUA_AT_RISK_WORKING_DAYS = os.environ.get("MOTCUA_AT_RISK_WORKING_DAYS", "1")
MOTCUA_AT_RISK_STEP_SHARE = os.environ.get("MOTCUA_AT_RISK_STEP_SHARE", "0.2")
# Catalogue findings are due this many working days after detection.
MOTCUA_FINDING_DUE_WORKING_DAYS = int(os.environ.get("MOTCUA_FINDING_DUE_WORKING_DAYS", "5"))
# Index dashboard: units below this total are training candidates (the page can ask for another).
MOTCUA_TRAINING_THRESHOLD = float(os.environ.get("MOTCUA_TRAINING_THRESHOLD", "50"))
# The national public service portal. Its local stand-in answers at /_quoc-gia/ only when
# MOTCUA_NATIONAL_STAND_IN is on (development), and is then the default endpoint.
MOTCUA_NATIONAL_STAND_IN = env_bool("MOTCUA_NATIONAL_STAND_IN", False)
MOTCUA_NATIONAL_ENDPOINT = os.environ.get("MOTCUA_NATIONAL_ENDPOINT") or (
    f"{MOTCUA_PUBLIC_URL}/_quoc-gia/dong-bo/" if MOTCUA_NATIONAL_STAND_IN else "")
MOTCUA_NATIONAL_TOKEN = os.environ.get("MOTCUA_NATIONAL_TOKEN", "")
MOTCUA_SYNC_TRANSPORT = os.environ.get("MOTCUA_SYNC_TRANSPORT", "http")
# The population database: an adapter class, or (development) the local stand-in registry.
MOTCUA_POPULATION_ADAPTER = os.environ.get("MOTCUA_POPULATION_ADAPTER", "")
MOTCUA_POPULATION_STAND_IN = env_bool("MOTCUA_POPULATION_STAND_IN", False)
# Applicants' SMS / Zalo notices: an adapter class each, or (development) the local recorder.
MOTCUA_SMS_ADAPTER = os.environ.get("MOTCUA_SMS_ADAPTER", "")
MOTCUA_ZALO_ADAPTER = os.environ.get("MOTCUA_ZALO_ADAPTER", "")
MOTCUA_TEXT_STAND_IN = env_bool("MOTCUA_TEXT_STAND_IN", False)
# Signing: the server's key directory (private keys encrypted with the passphrase). With the test
# PKI on, a unit without a certificate gets one from the local test CA when it first signs.
MOTCUA_KEY_DIR = Path(os.environ.get("MOTCUA_KEY_DIR", DATA_DIR / "keys"))
MOTCUA_KEY_PASSPHRASE = os.environ.get("MOTCUA_KEY_PASSPHRASE", development_value("MOTCUA_KEY_PASSPHRASE"))
MOTCUA_TEST_PKI = env_bool("MOTCUA_TEST_PKI", False)
# Online payment (see payments/conf.py). The simulator plays both gateways (development only).
MOTCUA_PAYMENT_SIMULATOR = env_bool("MOTCUA_PAYMENT_SIMULATOR", False)
MOTCUA_PAYMENT_GATEWAY = os.environ.get("MOTCUA_PAYMENT_GATEWAY", "vnpay")
MOTCUA_VNPAY_TMN_CODE = os.environ.get("MOTCUA_VNPAY_TMN_CODE", "MOTCUA01")
MOTCUA_VNPAY_HASH_SECRET = os.environ.get("MOTCUA_VNPAY_HASH_SECRET", development_value("MOTCUA_VNPAY_HASH_SECRET"))
MOTCUA_VNPAY_PAY_URL = os.environ.get("MOTCUA_VNPAY_PAY_URL", "")
MOTCUA_VNPAY_API_URL = os.environ.get("MOTCUA_VNPAY_API_URL", "")
MOTCUA_NATIONAL_PAY_PARTNER_CODE = os.environ.get("MOTCUA_NATIONAL_PAY_PARTNER_CODE", "MOTCUA-DVC")
MOTCUA_NATIONAL_PAY_SECRET = os.environ.get("MOTCUA_NATIONAL_PAY_SECRET",
                                            development_value("MOTCUA_NATIONAL_PAY_SECRET"))
MOTCUA_NATIONAL_PAY_URL = os.environ.get("MOTCUA_NATIONAL_PAY_URL", "")
MOTCUA_NATIONAL_PAY_API_URL = os.environ.get("MOTCUA_NATIONAL_PAY_API_URL", "")
# Background work: the Django tasks API, tasks kept in this database and run by `motcua db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("MOTCUA_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Periodic tasks (motcua.scheduling.tasks.PERIODIC) and their period in minutes, enqueued by `motcua schedule`.
MOTCUA_SCHEDULE = {
    "sync-push": 5,
    "notify-applicants": 5,
    "scan-deadlines": 15,
    "settle-payments": 15,
    "population-checks": 60,
    "index-current-month": 60,
    "publication-alerts": 60,
    "checkpoint-events": 60,
}
# Crash recovery of background tasks (scheduling): `motcua db_worker` beats every tenth of the lease;
# a task RUNNING under a worker silent for a whole lease is recorded as failed and retried by
# `motcua schedule`, at most MOTCUA_TASK_MAX_RETRIES times in a row.
MOTCUA_TASK_LEASE_SECONDS = int(os.environ.get("MOTCUA_TASK_LEASE_SECONDS", "300"))
MOTCUA_TASK_MAX_RETRIES = int(os.environ.get("MOTCUA_TASK_MAX_RETRIES", "3"))
# Tests on PostgreSQL must run, not skip, when this is set (CI sets it).
MOTCUA_REQUIRE_POSTGRES = env_bool("MOTCUA_REQUIRE_POSTGRES", False)

# -- Serving in production (issue 12): static files, TLS behind the reverse proxy, security headers --
# Static files with hashed names, compressed, served by WhiteNoise after `motcua collectstatic`;
# development (runserver, the tests) keeps the plain storage that needs no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# TLS ends at the reverse proxy (docs/deploy.md), which must set X-Forwarded-Proto and drop any
# copy the client sent. Plain HTTP is redirected, except the local health probe.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("MOTCUA_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True  # pages send the CSRF token from the template, not the cookie
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [origin for origin in os.environ.get("MOTCUA_CSRF_TRUSTED_ORIGINS", "").split(",") if origin]
# Content-Security-Policy (django-csp): no inline script, nothing from another site; forms may
# also go to the configured payment pages (the browser is redirected there from a form post).
_payment_origins = sorted({f"{u.scheme}://{u.netloc}" for u in map(urlsplit, (MOTCUA_VNPAY_PAY_URL, MOTCUA_NATIONAL_PAY_URL))
                           if u.scheme in ("http", "https")})
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *_payment_origins],
    },
}

# Event log (issue 12): the HMAC keys of the dossiers' event chains, "id:secret" pairs separated by
# commas, oldest first; the last keys new events, all verify (rotation: append a pair). Secrets of
# 32+ characters (`openssl rand -hex 32`). The default is for development only.
MOTCUA_EVENT_KEYS = os.environ.get("MOTCUA_EVENT_KEYS", "dev:dev-only-event-key-change-me-in-production")
# Input hardening (issue 12, engineer "payin"): the longest petition, supplied information or
# rating comment a citizen may send, in characters.
MOTCUA_FEEDBACK_MAX_CHARS = int(os.environ.get("MOTCUA_FEEDBACK_MAX_CHARS", "5000"))
