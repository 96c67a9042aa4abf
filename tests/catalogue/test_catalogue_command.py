import json

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections

from motcua.catalogue.io import export_json
from motcua.catalogue.models import Procedure

from .test_catalogue_json import snapshot, wipe_catalogue


@pytest.fixture
def catalogue(make_procedure, decision):
    make_procedure("1.001234", decision=decision)
    make_procedure("1.000999", status="abolished")


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_export_then_import(catalogue, tmp_path, capsys, fmt):
    before = export_json()
    target = tmp_path / f"catalogue.{fmt}"
    call_command("catalogue", "export", "--format", fmt, "-o", str(target))
    assert target.stat().st_size > 0
    wipe_catalogue()
    call_command("catalogue", "import", str(target))
    assert "2 thủ tục: 2 mới, 0 cập nhật" in capsys.readouterr().out
    assert export_json() == before


def test_export_format_from_extension_and_filters(catalogue, tmp_path):
    target = tmp_path / "out.json"
    call_command("catalogue", "export", "-o", str(target), "--status", "abolished")
    assert [r["code"] for r in json.loads(target.read_text(encoding="utf-8"))] == ["1.000999"]


def test_import_bad_input_exits_non_zero_and_writes_nothing(catalogue, tmp_path, capsys, monkeypatch):
    # run_from_argv closes the connections when it ends: that would end the test's transaction
    monkeypatch.setattr(connections, "close_all", lambda: None)
    records = export_json()
    records[0]["time_limit"] = "mười"
    records[1]["name"] = "Không được ghi"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    before = snapshot()
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["motcua", "catalogue", "import", str(bad)])
    assert exit_info.value.code not in (0, None)
    err = capsys.readouterr().err
    assert "Bản ghi [0], trường 'time_limit': phải là số" in err
    assert "Có 1 lỗi; không ghi gì vào cơ sở dữ liệu." in err
    assert snapshot() == before


def test_import_rejects_unreadable_files(db, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON không hợp lệ"):
        call_command("catalogue", "import", str(broken))
    with pytest.raises(CommandError, match="định dạng"):
        call_command("catalogue", "import", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="Không có tệp"):
        call_command("catalogue", "import", str(tmp_path / "missing.xlsx"))
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("catalogue", "import", str(fake))


def test_dry_run(db, units, tmp_path):
    source = tmp_path / "new.json"
    source.write_text(json.dumps([{"code": "2.000001", "name": "X", "level": "commune"}]), encoding="utf-8")
    call_command("catalogue", "import", str(source), "--dry-run")
    assert not Procedure.objects.exists()
