"""Settings of the integrations, read where they are used.

Each is read from Django settings first (``getattr(settings, name)``), then from the environment
variable of the same name, then the default — so a deployment can set them either way until
``settings.py`` lists them.
"""
import os

from django.conf import settings

DEFAULT_NATIONAL_ENDPOINT = "http://127.0.0.1:8000/_quoc-gia/dong-bo/"
DEFAULTS = {
    # Where `motcua sync push` sends status changes (the local receiver by default).
    "MOTCUA_NATIONAL_ENDPOINT": DEFAULT_NATIONAL_ENDPOINT,
    # How the scheduled push sends: "http" (to the endpoint) or "in-process" (straight into the local receiver).
    "MOTCUA_SYNC_TRANSPORT": "http",
    # Bearer token sent by the pusher and required by the local receiver ("" = none).
    "MOTCUA_NATIONAL_TOKEN": "",
    # Seconds the HTTP transport waits for the endpoint (connect and read).
    "MOTCUA_NATIONAL_TIMEOUT": "10",
    # Back-off after a failed send: base × 2^(attempts − 1), capped.
    "MOTCUA_SYNC_BACKOFF_SECONDS": "60",
    "MOTCUA_SYNC_BACKOFF_MAX_SECONDS": str(6 * 3600),
    # Status changes one run of the scheduled push sends before it queues its own continuation, so
    # that a long backlog (the demo's year of history) does not hold the worker from the other tasks.
    "MOTCUA_SYNC_TASK_BATCH": "500",
    # The population-database adapter (dotted path of a class taking no arguments); empty: the
    # local stand-in when MOTCUA_POPULATION_STAND_IN is on.
    "MOTCUA_POPULATION_ADAPTER": "",
}


def setting(name: str):
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS[name])
    return value


def float_setting(name: str) -> float:
    return float(setting(name))
