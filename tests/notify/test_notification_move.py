"""Migrations dossiers 0009 / notify 0004 move the officers' notices (`Notification`) to notify
without touching the database: a notice written before the move is read after it."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from motcua.notify.models import Notification
from motcua.units.models import Role
from tests import factories as f

BEFORE = [("dossiers", "0008_merge_reception_points_and_dossier_code"), ("notify", "0003_notices_for_refusal_and_stop")]


def migrate(target=None):
    """To `target`, or (None) to the latest state of every app (what the rest of the suite expects)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(target or executor.loader.graph.leaf_nodes()).apps


@pytest.mark.django_db(transaction=True)
def test_a_notice_written_before_the_move_is_read_after_it():
    head = f.officer(f.unit(), Role.HEAD)
    try:
        old = migrate(BEFORE)
        with pytest.raises(LookupError):
            old.get_model("notify", "Notification")
        old.get_model("dossiers", "Notification").objects.create(
            recipient_id=head.pk, kind="publication", message="Thời hạn công bố sắp đến.")
    finally:
        new = migrate()
    with pytest.raises(LookupError):
        new.get_model("dossiers", "Notification")
    notice = Notification.objects.get(recipient=head)
    assert (notice.kind, notice.message, notice.dossier_id) == ("publication", "Thời hạn công bố sắp đến.", None)
    assert Notification._meta.db_table == "dossiers_notification"
