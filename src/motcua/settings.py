"""Project wiring. Every knob is an environment variable: DATABASE_URL and MOTCUA_*."""
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("MOTCUA_DATA_DIR", PROJECT_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded SQLite database lives here
DEBUG = env_bool("MOTCUA_DEBUG", True)
SECRET_KEY = os.environ.get("MOTCUA_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
ALLOWED_HOSTS = os.environ.get("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
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
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
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
# The address printed in QR codes on slips and signed results.
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")
# Early warning: at risk below this many working days, or this share of the current step left.
MOTCUA_AT_RISK_WORKING_DAYS = os.environ.get("MOTCUA_AT_RISK_WORKING_DAYS", "1")
MOTCUA_AT_RISK_STEP_SHARE = os.environ.get("MOTCUA_AT_RISK_STEP_SHARE", "0.2")
# Catalogue findings are due this many working days after detection.
MOTCUA_FINDING_DUE_WORKING_DAYS = int(os.environ.get("MOTCUA_FINDING_DUE_WORKING_DAYS", "5"))
# Index dashboard: units below this total are training candidates (the page can ask for another).
MOTCUA_TRAINING_THRESHOLD = float(os.environ.get("MOTCUA_TRAINING_THRESHOLD", "50"))
# The national public service portal (a local stand-in answers at /_quoc-gia/ in the demo).
MOTCUA_NATIONAL_ENDPOINT = os.environ.get("MOTCUA_NATIONAL_ENDPOINT", "http://127.0.0.1:8000/_quoc-gia/dong-bo/")
MOTCUA_NATIONAL_TOKEN = os.environ.get("MOTCUA_NATIONAL_TOKEN", "")
# Signing: the server's key directory (private keys encrypted with the passphrase). With the test
# PKI on, a unit without a certificate gets one from the local test CA when it first signs.
MOTCUA_KEY_DIR = Path(os.environ.get("MOTCUA_KEY_DIR", DATA_DIR / "keys"))
MOTCUA_KEY_PASSPHRASE = os.environ.get("MOTCUA_KEY_PASSPHRASE", "dev-only-key-passphrase-change-me")
MOTCUA_TEST_PKI = env_bool("MOTCUA_TEST_PKI", True)
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
}
# Tests on PostgreSQL must run, not skip, when this is set (CI sets it).
MOTCUA_REQUIRE_POSTGRES = env_bool("MOTCUA_REQUIRE_POSTGRES", False)
# Input hardening (issue 12, engineer "payin"): the longest petition, supplied information or
# rating comment a citizen may send, in characters.
MOTCUA_FEEDBACK_MAX_CHARS = int(os.environ.get("MOTCUA_FEEDBACK_MAX_CHARS", "5000"))
