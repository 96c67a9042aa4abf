"""`motcua backup` then `motcua restore` into an empty installation: every dossier, event chain,
stored file and key comes back as it was, and the restored installation goes on working."""
import tarfile

import pytest
from django.contrib.auth import authenticate
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from motcua.dossiers.files import store_bytes
from motcua.dossiers.models import ApplicantKind, Channel, Dossier, DossierEvent
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from motcua.units.models import Officer
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def installation(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_KEY_DIR = tmp_path / "keys"
    return tmp_path


def receive(desk, day, steps):
    d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], channel=Channel.DIRECT, action=Action.RECEIVE,
                     actor=desk["reception"], at=f.at(2026, 3, day, 9, 0),
                     applicant=Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", f.VALID_PID))
    script = [(Action.START_PROCESSING, "processing", {"assignee_id": desk["processing"].pk}),
              (Action.COMPLETE, "head", {}), (Action.RETURN_RESULT, "reception", {})]
    for hour, (action, who, extra) in enumerate(script[:steps], start=10):
        transition(d, action, actor=desk[who], at=f.at(2026, 3, day, hour, 0), **extra)
    return d


def state():
    dossiers = {d.code: (d.status, d.version, d.unit_id, d.applicant_name) for d in Dossier.objects.all()}
    events = sorted(DossierEvent.objects.values_list("dossier__code", "seq", "hash", "prev_hash", "actor_id"))
    return dossiers, events


def files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_backup_restores_into_an_empty_installation_intact(installation, capsys):
    desk = f.desk()
    desk["procedure"].result_is_document = False  # a paper decision: returned by plain transitions
    desk["procedure"].save(update_fields=["result_is_document"])
    for day, steps in ((2, 0), (3, 1), (4, 3)):
        receive(desk, day, steps)
    scan = store_bytes(b"%PDF-1.7 scan of the application form", "application/pdf")
    call_command("pki", "init")
    before, media, keys = state(), files(installation / "media"), files(installation / "keys")
    assert len(before[1]) == 1 + 2 + 4 and keys  # events of the three dossiers, the test CA's keys

    archive = installation / "backup" / "motcua.tar.gz"
    call_command("backup", "--out", str(archive))
    assert "Đã sao lưu vào" in capsys.readouterr().out
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"manifest.json", "database.jsonl", f"media/{scan.path}"} <= set(names)

    # The disaster: an empty database, no files, no keys.
    call_command("flush", "--noinput")
    for root in (installation / "media", installation / "keys"):
        for path in sorted(root.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    assert not Dossier.objects.exists()

    call_command("restore", str(archive))
    assert state() == before
    assert files(installation / "media") == media and files(installation / "keys") == keys
    assert default_storage.open(scan.path).read() == b"%PDF-1.7 scan of the application form"
    call_command("verify-events")
    assert "Nhật ký sự kiện toàn vẹn." in capsys.readouterr().out
    # Officers sign in with their passwords; new dossiers and events follow on (sequences restored).
    officer = Officer.objects.get(pk=desk["reception"].pk)
    assert authenticate(username=officer.username, password="x-pass-123") == officer  # tests.factories.officer
    after = receive(desk, 5, 1)
    assert Dossier.objects.count() == 4 and after.events.count() == 2

    # Restoring again over data is refused and changes nothing.
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        call_command("restore", str(archive))
    assert Dossier.objects.count() == 4


def test_a_file_that_is_not_a_backup_is_refused(installation, tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        tar.add(__file__, "database.jsonl")
    with pytest.raises(CommandError, match="không phải bản sao lưu"):
        call_command("restore", str(bogus))
