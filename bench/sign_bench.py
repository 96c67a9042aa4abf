"""Signed results per second (render, sign, store) next to render-only, on 2 processes.

    .venv/bin/python bench/sign_bench.py [--seconds 20] [--processes 2]

Each process renders results of a commune's dossier with the same code path as the desk:
the result drawn from the procedure's template and the verification page (WeasyPrint, DejaVu,
QR), and — in the "signed" phase — appends the page, signs PAdES B-T with the unit's ECDSA key and
a timestamp from the local TSA (pyHanko), and stores the file content-addressed under a temporary
MOTCUA_DATA_DIR. Both phases run for --seconds in this one run; the table gives documents per
second, the mean per document, and the signing share. Nothing touches a database.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def _setup(data_dir: str) -> None:
    os.environ["MOTCUA_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()


def _sample():
    """An unsaved commune dossier with its procedure and head (the renderers only read them)."""
    from django.utils import timezone

    from motcua.catalogue.models import Procedure
    from motcua.dossiers.models import Dossier
    from motcua.units.models import Officer, Role, Unit, UnitKind

    unit = Unit(code="07627", name="Xã Đại Sơn", kind=UnitKind.COMMUNE)
    procedure = Procedure(code="1.001193", name="Đăng ký khai sinh", result_name="Giấy khai sinh", level="commune")
    now = timezone.now()
    dossier = Dossier(code="07627-261127-0001", procedure=procedure, unit=unit, received_unit=unit,
                      applicant_kind="individual", applicant_name="Nguyễn Thị Lan", applicant_id="024090001234",
                      channel="direct", status=9, received_at=now)
    return dossier, Officer(username="x07627.head", first_name="Lan", last_name="Trần", role=Role.HEAD), now


def _worker(args) -> tuple[int, float, float]:
    phase, seconds, data_dir = args
    _setup(data_dir)
    import hashlib

    from motcua.dossiers.files import store_bytes
    from motcua.results import documents, pki, signing

    dossier, head, at = _sample()
    root = pki.new_root()
    signer = signing.load_signer(pki.new_unit_pair(root, dossier.unit.name), pki.new_tsa(root))
    done, sign_time, start = 0, 0.0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        draft = documents.result_draft_pdf(dossier, at, head)
        code = documents.new_code()
        page = documents.verification_page_pdf(code, dossier, dossier.unit, head, at,
                                               draft_sha256=hashlib.sha256(draft).hexdigest(), draft_pages=1)
        if phase == "signed":
            t = time.perf_counter()
            signed = signing.sign_pdf(documents.append_pdf(draft, page), signer, reason="Ký số kết quả",
                                      location=dossier.unit.name)
            store_bytes(signed, "application/pdf", folder="results")
            sign_time += time.perf_counter() - t
        done += 1
    return done, time.perf_counter() - start, sign_time


def run(phase: str, seconds: float, processes: int, data_dir: str) -> dict:
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.map(_worker, [(phase, seconds, data_dir)] * processes)
    count = sum(r[0] for r in results)
    wall = max(r[1] for r in results)
    return {"phase": phase, "documents": count, "per_second": count / wall,
            "ms_per_doc": 1000 * sum(r[1] for r in results) / count,
            "sign_ms": 1000 * sum(r[2] for r in results) / count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--processes", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        rows = [run(phase, options.seconds, options.processes, data_dir) for phase in ("render-only", "signed")]
        signed_files = sum(1 for _ in Path(data_dir, "media", "results").rglob("*") if _.is_file())
    print(f"{options.processes} processes, {options.seconds:g} s a phase, {os.cpu_count()} cores")
    print(f"{'phase':<12} {'documents':>9} {'docs/s':>8} {'ms/doc':>8} {'sign+store ms':>14}")
    for r in rows:
        print(f"{r['phase']:<12} {r['documents']:>9} {r['per_second']:>8.2f} {r['ms_per_doc']:>8.1f}"
              f" {r['sign_ms']:>14.1f}")
    print(f"signed results per second: {rows[1]['per_second']:.2f} "
          f"({rows[1]['per_second'] / rows[0]['per_second']:.0%} of render-only); {signed_files} files stored")


if __name__ == "__main__":
    main()
