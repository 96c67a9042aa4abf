import pyarrow.parquet as pq
from django.core.management import call_command


def test_demo_parquet_command_writes_the_tables(tmp_path, capsys):
    call_command("demo", "parquet", "--rows", "3000", "--out", str(tmp_path), "--seed", "5")
    assert pq.ParquetFile(tmp_path / "dossiers.parquet").metadata.num_rows == 3000
    assert {p.name for p in tmp_path.iterdir()} >= {"dossiers.parquet", "units.parquet", "procedures.parquet",
                                                   "calendar.parquet"}
    out = capsys.readouterr().out
    assert "3,000/3,000 hồ sơ" in out and "3000 hồ sơ →" in out
