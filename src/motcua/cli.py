"""The `motcua` console command: Django's management commands under one name."""
import os
import sys

# sysexits.h EX_CONFIG: the service units do not restart a process refused for its configuration.
CONFIGURATION_ERROR = 78


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from motcua.production import require_safe_configuration

    try:
        require_safe_configuration()  # every command: the server, db_worker, schedule, migrate…
    except ImproperlyConfigured as refused:
        print(refused, file=sys.stderr)
        sys.exit(CONFIGURATION_ERROR)
    execute_from_command_line(["motcua", *sys.argv[1:]])


if __name__ == "__main__":
    main()
