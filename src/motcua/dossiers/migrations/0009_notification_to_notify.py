"""The officers' notices (`Notification`) move to the notify app, which delivers them: the model
leaves this app's state only; its table (`dossiers_notification`) and rows stay where they are and
notify 0004 takes them over."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0008_merge_reception_points_and_dossier_code"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Notification")]),
    ]
