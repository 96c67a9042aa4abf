"""The form set each apology slip (Mẫu 04) was issued with: reports filed before Circular
03/2025/TT-VPCP took over (15/9/2025, Asia/Ho_Chi_Minh) keep the 2018 form."""
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations, models

CHANGE = datetime(2025, 9, 15, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def mark_older_reports(apps, schema_editor):
    apps.get_model("dossiers", "DelayReport").objects.filter(filed_at__lt=CHANGE).update(form_version="TT01/2018")


class Migration(migrations.Migration):

    dependencies = [("dossiers", "0005_merge_0004_document_access_0004_keyed_event_chain")]

    operations = [
        migrations.AddField(
            model_name="delayreport", name="form_version",
            field=models.CharField(default="TT03/2025", help_text="Bộ biểu mẫu phiếu được lập theo, ví dụ TT03/2025",
                                   max_length=12, verbose_name="phiên bản mẫu"),
            preserve_default=False),
        migrations.RunPython(mark_older_reports, migrations.RunPython.noop),
    ]
