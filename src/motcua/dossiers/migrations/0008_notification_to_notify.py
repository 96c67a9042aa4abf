"""The officers' notices (`Notification`) move to the notify app, which delivers them: the model
leaves this app's state only; its table (`dossiers_notification`) and rows stay where they are and
notify 0004 takes them over."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        # after both of the app's latest migrations (it merges them: the move touches neither)
        ("dossiers", "0006_dossier_return_point_and_sending_to_resolver"),
        ("dossiers", "0007_dossier_code_fits_agency_identifier"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Notification")]),
    ]
