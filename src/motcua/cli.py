"""The `motcua` console command: Django's management commands under one name."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from motcua.production import require_safe_configuration

    try:
        require_safe_configuration()  # every command: the server, db_worker, schedule, migrate…
    except ImproperlyConfigured as refused:
        sys.exit(str(refused))  # the message on stderr, exit status 1
    execute_from_command_line(["motcua", *sys.argv[1:]])


if __name__ == "__main__":
    main()
