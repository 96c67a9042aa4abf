"""Project wiring. Every knob is an environment variable: DATABASE_URL and MOTCUA_*."""
import json
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
    "motcua.desk",  # the officers' desk: on top of dossiers, payments and results
    "motcua.demo",
    "motcua.notify",
    "motcua.scheduling",
    "motcua.operations",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "motcua.limits",  # abuse limits: rate limits on the public doors, the cache table
    "axes",  # login lockout
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
    "motcua.limits.middleware.ThrottledMiddleware",  # a refused public request: the 429 page
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
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
                "motcua.demo.context.demo_history",
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
STATICFILES_DIRS = [BASE_DIR / "static"]  # the site's own CSS, script and fonts
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
# The unit that owns the findings and alerts of commune-level procedures (the provincial office).
MOTCUA_PROVINCIAL_OFFICE_UNIT = os.environ.get("MOTCUA_PROVINCIAL_OFFICE_UNIT", "VPUB")
# A publication deadline not met is alerted from this many working days before it, and again once overdue.
MOTCUA_PUBLICATION_ALERT_WORKING_DAYS = int(os.environ.get("MOTCUA_PUBLICATION_ALERT_WORKING_DAYS", "3"))
# Index dashboard: units below this total are training candidates (the page can ask for another).
MOTCUA_TRAINING_THRESHOLD = float(os.environ.get("MOTCUA_TRAINING_THRESHOLD", "50"))
# The national public service portal. Its local stand-in answers at /_quoc-gia/ only when
# MOTCUA_NATIONAL_STAND_IN is on (development), and is then the default endpoint.
MOTCUA_NATIONAL_STAND_IN = env_bool("MOTCUA_NATIONAL_STAND_IN", False)
MOTCUA_NATIONAL_ENDPOINT = os.environ.get("MOTCUA_NATIONAL_ENDPOINT") or (
    f"{MOTCUA_PUBLIC_URL}/_quoc-gia/dong-bo/" if MOTCUA_NATIONAL_STAND_IN else "")
MOTCUA_NATIONAL_TOKEN = os.environ.get("MOTCUA_NATIONAL_TOKEN", "")
MOTCUA_SYNC_TRANSPORT = os.environ.get("MOTCUA_SYNC_TRANSPORT", "http")
# Seconds the sync's HTTP transport waits for the endpoint (connect and read).
MOTCUA_NATIONAL_TIMEOUT = float(os.environ.get("MOTCUA_NATIONAL_TIMEOUT", "10"))
# Back-off after a failed send, of the sync and of applicants' notices: base × 2^(attempts − 1), capped.
MOTCUA_SYNC_BACKOFF_SECONDS = float(os.environ.get("MOTCUA_SYNC_BACKOFF_SECONDS", "60"))
MOTCUA_SYNC_BACKOFF_MAX_SECONDS = float(os.environ.get("MOTCUA_SYNC_BACKOFF_MAX_SECONDS", str(6 * 3600)))
# Status changes one run of the scheduled push sends before it queues its own continuation, so that a
# long backlog (the demo's year of history) does not hold the worker from the other tasks.
MOTCUA_SYNC_TASK_BATCH = int(os.environ.get("MOTCUA_SYNC_TASK_BATCH", "500"))
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
# Who signs the results (results/signers/): the server-held key by default, or a PKCS#11 token.
MOTCUA_SIGNER = os.environ.get("MOTCUA_SIGNER", "motcua.results.signers.server_key.signer")
MOTCUA_PKCS11_LIBRARY = os.environ.get("MOTCUA_PKCS11_LIBRARY", "")
MOTCUA_PKCS11_SLOT = int(os.environ.get("MOTCUA_PKCS11_SLOT", "0"))
MOTCUA_PKCS11_PIN = os.environ.get("MOTCUA_PKCS11_PIN", "")
MOTCUA_PKCS11_LABEL_PREFIX = os.environ.get("MOTCUA_PKCS11_LABEL_PREFIX", "motcua-")
# The tasks backend (an alias of TASKS) that renders and signs document results in the worker, and
# how many times a failed run is retried (1 min, 2, 4, … apart) before it waits for an officer.
MOTCUA_DOCUMENT_TASK_BACKEND = os.environ.get("MOTCUA_DOCUMENT_TASK_BACKEND", "default")
MOTCUA_DOCUMENT_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_DOCUMENT_MAX_ATTEMPTS", "5"))
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
# --- Abuse limits on the public doors (issue 12, deliverable 6) ---------------------------------
# The store of the limits' counters and of the withdrawal codes: Django's cache, by default a table
# in the database (shared by every process, atomic increments; `migrate` creates it), or Redis:
# MOTCUA_CACHE_URL=redis://127.0.0.1:6379/0 (pip install redis).
_cache_url = os.environ.get("MOTCUA_CACHE_URL", "")
CACHES = {"default": (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
    if _cache_url.startswith(("redis://", "rediss://")) else
    # Culling would let an attacker erase counters by creating many keys: keep up to a million rows.
    {"BACKEND": "motcua.limits.cache.DatabaseCache", "LOCATION": "motcua_cache",
     "OPTIONS": {"MAX_ENTRIES": 1_000_000}})}
# The client's address is REMOTE_ADDR, or this request header when a reverse proxy sets it
# (e.g. "X-Real-IP"; only behind a proxy that overwrites it, else clients choose their address).
MOTCUA_CLIENT_ADDRESS_HEADER = os.environ.get("MOTCUA_CLIENT_ADDRESS_HEADER", "")
# door → scope → "count/period" (period s, m, h or d, optionally with a multiple: "5/15m"); windows
# are fixed and days are local days. Scope "client" is the client's address (an IPv6 /64); the
# others are the target of the request. Lookup-like doors count a target only when the code and
# number do not match (a miss): enumeration, not the owner's reloads. MOTCUA_RATE_LIMITS (JSON)
# overrides single entries, e.g. '{"lookup": {"client": "600/h"}}'.
MOTCUA_RATE_LIMITS = {
    "lookup": {"client": "120/h", "identifier": "20/d", "dossier": "20/d"},  # every code + number door
    "withdraw_code": {"client": "10/h", "dossier": "3/h"},  # one-time codes sent
    "withdraw": {"client": "30/h", "dossier": "10/d"},  # dossier: wrong one-time codes
    "supplement": {"client": "20/h", "dossier": "10/h"},
    "submit": {"client": "20/h"},  # and at most MOTCUA_LIMITS["submissions_per_identifier_per_day"]
    "petition": {"client": "10/h", "phone": "5/d"},
    "petition_lookup": {"client": "120/h", "petition": "20/d", "phone": "20/d"},  # misses, as lookup
    "vote": {"client": "60/h", "petition": "300/h"},
    "rate": {"client": "20/h", "dossier": "5/d"},
    "verify": {"client": "30/h"},  # uploads checked at /verify/
}
for _door, _scopes in json.loads(os.environ.get("MOTCUA_RATE_LIMITS", "{}")).items():
    MOTCUA_RATE_LIMITS.setdefault(_door, {}).update(_scopes)
MOTCUA_LIMITS = {
    # Online submissions by one identification number / tax code in a local day (every unit).
    "submissions_per_identifier_per_day": int(os.environ.get("MOTCUA_SUBMISSIONS_PER_ID_PER_DAY", "10")),
    # Codes of a unit's day (9,999) kept for the desk: online submissions stop at 9,999 minus these.
    "desk_reserved_codes": int(os.environ.get("MOTCUA_DESK_RESERVED_CODES", "2000")),
    # Online withdrawal: a one-time code to the applicant's registered channel.
    "withdrawal_code_minutes": int(os.environ.get("MOTCUA_WITHDRAWAL_CODE_MINUTES", "10")),
    "withdrawal_code_tries": int(os.environ.get("MOTCUA_WITHDRAWAL_CODE_TRIES", "5")),
}
# Login (pages and admin): django-axes locks an account, and a client address, after this many
# failures, for the cool-off; every attempt is recorded (admin: Axes). Unlock early:
# `motcua axes_reset_username U` / `motcua axes_reset_ip A`.
AUTHENTICATION_BACKENDS = ["motcua.limits.backends.LoginLockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("MOTCUA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("MOTCUA_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "motcua.limits.limiter.login_client_address"
AXES_LOCKOUT_CALLABLE = "motcua.limits.views.locked_out"
