import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

from motcua.production import require_safe_configuration  # noqa: E402

# A worker that raises here fails to boot, and gunicorn stops with the list of problems in its log.
require_safe_configuration()
application = get_wsgi_application()
