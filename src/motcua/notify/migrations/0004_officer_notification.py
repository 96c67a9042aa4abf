"""The officers' notices (`Notification`) arrive from the dossiers app with their table
(`dossiers_notification`, kept by name) and rows: state only, nothing in the database changes."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("notify", "0003_notices_for_refusal_and_stop"),
        ("dossiers", "0009_notification_to_notify"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="Notification",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("kind", models.CharField(max_length=20, verbose_name="loại")),
                    ("message", models.TextField(verbose_name="nội dung")),
                    ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="lúc")),
                    ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="đã đọc lúc")),
                    ("emailed_at", models.DateTimeField(blank=True, null=True, verbose_name="đã gửi thư lúc")),
                    ("dossier", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                                  related_name="+", to="dossiers.dossier")),
                    ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                    related_name="notifications", to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    "verbose_name": "thông báo",
                    "verbose_name_plural": "thông báo",
                    "ordering": ["-created_at"],
                    "db_table": "dossiers_notification",
                    "constraints": [models.UniqueConstraint(fields=("recipient", "dossier", "kind"),
                                                            name="one_notice_per_kind")],
                },
            ),
        ]),
    ]
