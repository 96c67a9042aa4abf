"""The officers' notices (`Notification`) move to the notify app, which delivers them: the model
leaves this app's state only; its table (`dossiers_notification`) and rows stay where they are and
notify 0003 takes them over."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0005_merge_0004_document_access_0004_keyed_event_chain"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Notification")]),
    ]
