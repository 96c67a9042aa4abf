"""System checks of the dossiers app: a malformed `MOTCUA_EVENT_KEYS` stops the server, the worker
and every command at start, instead of the first transition failing at the desk."""
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from motcua.dossiers.event_keys import configured_keys


@register()
def event_keys_check(app_configs, **kwargs):
    try:
        configured_keys()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="motcua.E801")]
    return []
