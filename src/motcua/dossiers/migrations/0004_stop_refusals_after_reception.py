"""Refusals recorded after reception become stops (status 8): see motcua.dossiers.reclassify."""
from django.db import migrations


def forward(apps, schema_editor):
    from motcua.dossiers.reclassify import stop_refusals_after_reception

    stop_refusals_after_reception(apps.get_model("dossiers", "Dossier"), apps.get_model("dossiers", "DossierEvent"),
                                  apps.get_model("dossiers", "OutboxMessage"))


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_alter_dossierevent_action")]

    # Not reversible on purpose: the appended events are part of the append-only, hash-chained log.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
