"""The models and the migrations agree: a model change without its migration fails here (CI's
`makemigrations --check`)."""
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db  # makemigrations checks the applied history too
def test_no_model_change_lacks_its_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # --check exits with 1 when a migration is missing
        raise AssertionError(f"a model change has no migration:\n{out.getvalue()}") from exit_
