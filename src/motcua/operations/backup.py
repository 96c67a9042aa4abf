"""Backup and restore of an installation: the database, the stored files (MEDIA_ROOT) and the key
folder (MOTCUA_KEY_DIR), in one .tar.gz.

Why Django's dumpdata/loaddata and not pg_dump or SQLite's backup API: one format for both engines
(a province can move from SQLite to PostgreSQL through a backup), no client binary whose version
must match the server's, and the restore goes through the models into a database that `migrate`
built, so the schema is exactly the code's. Every primary key is kept (events, results and logs
refer to officers and dossiers by id); only content types and permissions, which `migrate`
recreates, travel by natural key. The dump is read in one transaction (REPEATABLE READ on
PostgreSQL; SQLite's immediate transaction holds writers off), so it is one consistent moment;
the files are copied after it, so every file a row names is there (files are stored before the
row that names them and never rewritten). Not kept: sessions and the task queue (the scheduler
enqueues the periodic work again). The price: a large database restores slower than pg_restore
would; docs/deploy.md says when to prefer PostgreSQL's own tools.

A backup restores only into an empty installation of the same version (same migrations): then
`motcua migrate` upgrades it like any other database.
"""
import io
import json
import tarfile
import tempfile
from contextlib import contextmanager
from datetime import datetime
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
DATABASE = "database.jsonl"
MANIFEST = "manifest.json"
FOLDERS = {"media": "MEDIA_ROOT", "keys": "MOTCUA_KEY_DIR"}  # folder in the archive → setting
# Not backed up: recreated by `migrate` (content types, permissions), or transient.
EXCLUDED = ("contenttypes", "auth.Permission", "sessions", "django_tasks_database")
# Filled by `migrate` itself: present in an "empty" installation.
FILLED_BY_MIGRATE = ("contenttypes.ContentType", "auth.Permission", "workdays.CalendarDay")


class BackupError(Exception):
    """A restore refused: nothing was changed."""


def _version() -> str:
    try:
        return metadata.version("motcua")
    except metadata.PackageNotFoundError:
        return "unknown"


def applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _data_models():
    excluded = {label.lower() for label in EXCLUDED + FILLED_BY_MIGRATE}
    for model in apps.get_models():
        if model._meta.app_label not in excluded and model._meta.label_lower not in excluded:
            yield model


@contextmanager
def _snapshot():
    """One transaction that sees one moment of the database."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def create(out: Path, *, now: datetime | None = None) -> dict:
    """Write the backup to `out`; return its manifest (counts of rows per model, files per folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DATABASE
        with _snapshot():
            call_command("dumpdata", "--natural-foreign", "--format", "jsonl", "--output", str(dump),
                         *(f"--exclude={label}" for label in EXCLUDED), verbosity=0)
            rows = {model._meta.label: model._default_manager.count() for model in _data_models()}
            migrations = applied_migrations()
        manifest = {"format": FORMAT, "motcua": _version(), "created_at": (now or timezone.now()).isoformat(),
                    "engine": connection.vendor, "migrations": migrations,
                    "rows": {label: count for label, count in rows.items() if count}, "files": {}}
        out.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(out, "w:gz") as tar:
            tar.add(dump, DATABASE)
            for folder, setting in FOLDERS.items():
                root = Path(getattr(settings, setting))
                files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
                for path in files:
                    tar.add(path, f"{folder}/{path.relative_to(root).as_posix()}")
                manifest["files"][folder] = len(files)
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(body), int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(body))
    return manifest


def _refuse_unless_empty() -> None:
    filled = [model._meta.label for model in _data_models() if model._default_manager.exists()]
    if filled:
        raise BackupError(f"Cơ sở dữ liệu đã có dữ liệu ({', '.join(filled[:5])}…): chỉ khôi phục vào một "
                          "cài đặt trống (cơ sở dữ liệu mới, đã chạy migrate).")
    for folder, setting in FOLDERS.items():
        root = Path(getattr(settings, setting))
        if root.is_dir() and any(p.is_file() for p in root.rglob("*")):
            raise BackupError(f"Thư mục {setting} ({root}) đã có tệp: chỉ khôi phục vào thư mục trống.")


def restore(archive: Path) -> dict:
    """Migrate, check the installation is empty and of the backup's version, load the database,
    then unpack the files. Raises BackupError (nothing changed) when it must not."""
    with tarfile.open(archive, "r:gz") as tar:
        try:
            manifest = json.load(tar.extractfile(MANIFEST))
        except (KeyError, ValueError) as exc:
            raise BackupError(f"{archive} không phải bản sao lưu của motcua ({exc}).") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Định dạng sao lưu {manifest.get('format')!r} không được hỗ trợ.")
        call_command("migrate", "--noinput", verbosity=0)
        code, backed_up = set(applied_migrations()), set(manifest["migrations"])
        if code != backed_up:
            newer, older = sorted(backed_up - code), sorted(code - backed_up)
            raise BackupError(
                f"Bản sao lưu của phiên bản {manifest['motcua']} có migration khác mã nguồn hiện tại "
                f"(chỉ trong bản sao lưu: {newer[:3]}; chỉ trong mã nguồn: {older[:3]}): khôi phục bằng đúng "
                "phiên bản đã sao lưu, rồi nâng cấp bằng `motcua migrate`.")
        _refuse_unless_empty()
        with tempfile.TemporaryDirectory() as tmp:
            tar.extract(DATABASE, tmp, filter="data")
            call_command("loaddata", str(Path(tmp) / DATABASE), verbosity=0)
        for folder, setting in FOLDERS.items():
            root = Path(getattr(settings, setting))
            root.mkdir(parents=True, exist_ok=True)
            prefix = f"{folder}/"
            members = [m for m in tar.getmembers() if m.isfile() and m.name.startswith(prefix)]
            for member in members:
                member.name = member.name[len(prefix):]
            tar.extractall(root, members=members, filter="data")  # refuses absolute paths and ../
    return manifest
