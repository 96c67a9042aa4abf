"""Signed results per second (render, sign, store) next to render-only, on 2 processes, with the
old path measured in the same run as the baseline.

    .venv/bin/python bench/sign_bench.py [--seconds 20] [--processes 2]

Each process renders results of a commune's dossier with the same code path as the worker
(`results.jobs`): the result drawn from the procedure's template and the verification page
(WeasyPrint, the bundled font, QR), and — in the "signed" phases — signs PAdES B-T with the unit's
ECDSA key and a timestamp from the local TSA (pyHanko, in-process), and stores the file
content-addressed under a temporary MOTCUA_DATA_DIR. The "old" phases are the path before issue 17,
kept here only as the baseline: a font configuration and the font faces loaded for every PDF, the
page appended by a pypdf rewrite, pyHanko's SimpleSigner and DummyTimeStamper parsing their keys at
every signature and signing twice (once to measure the signature's size). Every phase runs for
--seconds in this one run; one signed file of each path is checked with pyHanko and `pdfsig`. The
load average is printed before and after (the machine may be shared). Nothing touches a database.
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


def _old_signer(unit_pair, tsa_pair):
    """pyHanko's own signer and timestamper, as `signing.load_signer` built them before issue 17."""
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from motcua.results import signing

    signer = signers.SimpleSigner(
        signing_cert=signing._asn1_cert(unit_pair.certificate), signing_key=signing._asn1_key(unit_pair),
        cert_registry=SimpleCertificateStore.from_certs([signing._asn1_cert(c) for c in unit_pair.chain]))
    stamper = DummyTimeStamper(tsa_cert=signing._asn1_cert(tsa_pair.certificate), tsa_key=signing._asn1_key(tsa_pair),
                               certs_to_embed=SimpleCertificateStore.from_certs(
                                   [signing._asn1_cert(c) for c in tsa_pair.chain]))
    return signing.Signer(signer, stamper)


def _old_render(template: str, context: dict) -> bytes:
    """`html_to_pdf` before issue 17: a new font configuration and the faces loaded every time."""
    from django.template.loader import render_to_string
    from django.utils import timezone, translation
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    from motcua.common import printing

    with translation.override("vi"), timezone.override(printing.VN):
        html = render_to_string(template, {
            "font_faces": printing.font_faces_css(), "font_family": printing.FONT_FAMILY, **context})
    return HTML(string=html, base_url=printing.FONT_DIR.as_uri() + "/",
                url_fetcher=URLFetcher(allowed_protocols={"file", "data"})).write_pdf(font_config=FontConfiguration())


def _old_sign(draft: bytes, page: bytes, signer) -> bytes:
    """The page appended by a pypdf rewrite, then pyHanko measuring the signature by a trial one."""
    from io import BytesIO

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pypdf import PdfReader, PdfWriter

    from motcua.results import signing

    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(draft)))
    writer.append(PdfReader(BytesIO(page)))
    combined = BytesIO()
    writer.write(combined)
    meta = signers.PdfSignatureMetadata(field_name=signing.FIELD_NAME, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES, reason="Ký số kết quả",
                                        location="Xã Đại Sơn")
    pdf_signer = signers.PdfSigner(meta, signer=signer.signer, timestamper=signer.timestamper)
    incremental = IncrementalPdfFileWriter(BytesIO(combined.getvalue()), strict=False)
    return signing._run(pdf_signer.async_sign_pdf(incremental)).getvalue()


def _worker(args) -> tuple[int, float, float, bytes, bytes]:
    phase, seconds, data_dir = args
    _setup(data_dir)
    import contextlib
    import hashlib
    from unittest import mock

    from cryptography.hazmat.primitives.serialization import Encoding

    from motcua.dossiers import slips
    from motcua.dossiers.files import store_bytes
    from motcua.results import documents, pki, signing

    old = phase.startswith("old")
    dossier, head, at = _sample()
    root = pki.new_root()
    unit_pair, tsa_pair = pki.new_unit_pair(root, dossier.unit.name), pki.new_tsa(root)
    signer = _old_signer(unit_pair, tsa_pair) if old else signing.load_signer(unit_pair, tsa_pair)
    render = mock.patch.object(slips, "html_to_pdf", _old_render) if old else contextlib.nullcontext()
    timing = {"sign": 0.0}

    def one() -> bytes:
        draft = documents.result_draft_pdf(dossier, at, head)
        code = documents.new_code()
        page = documents.verification_page_pdf(code, dossier, dossier.unit, head, at,
                                               draft_sha256=hashlib.sha256(draft).hexdigest(), draft_pages=1)
        if not phase.endswith("signed"):
            return b""
        t = time.perf_counter()
        signed = (_old_sign(draft, page, signer) if old else
                  signing.sign_pdf(draft, signer, reason="Ký số kết quả", location=dossier.unit.name, appended=page))
        store_bytes(signed, "application/pdf", folder="results")
        timing["sign"] += time.perf_counter() - t
        return signed

    with render:
        one()  # warms the process up (templates, fonts, imports), uncounted
        done, timing["sign"], start = 0, 0.0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            signed = one()
            done += 1
    return done, time.perf_counter() - start, timing["sign"], signed, root.certificate.public_bytes(Encoding.PEM)


def _checked(signed: bytes, root_pem: bytes) -> str:
    """pyHanko's verdict and pdfsig's on one signed file of the phase."""
    import subprocess

    from cryptography import x509

    from motcua.results import signing

    check = signing.validate_pdf(signed, [x509.load_pem_x509_certificate(root_pem)])
    pyhanko = "pyHanko ok, B-T" if check.ok and all(s.timestamped for s in check.signatures) else "pyHanko FAILED"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(signed)
        f.flush()
        out = subprocess.run(["pdfsig", f.name], capture_output=True, text=True).stdout
    poppler = ("pdfsig valid" if "Signature is Valid." in out and "Total document signed" in out
               else "pdfsig FAILED")
    return f"{pyhanko}; {poppler}"


def run(phase: str, seconds: float, processes: int, data_dir: str) -> dict:
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.map(_worker, [(phase, seconds, data_dir)] * processes)
    count = sum(r[0] for r in results)
    wall = max(r[1] for r in results)
    row = {"phase": phase, "documents": count, "per_second": count / wall,
           "ms_per_doc": 1000 * sum(r[1] for r in results) / count,
           "sign_ms": 1000 * sum(r[2] for r in results) / count, "check": ""}
    if phase.endswith("signed"):
        _setup(data_dir)
        row["check"] = _checked(results[0][3], results[0][4])
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--processes", type=int, default=2)
    options = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as data_dir:
        rows = [run(phase, options.seconds, options.processes, data_dir)
                for phase in ("old render-only", "old signed", "render-only", "signed")]
    load_after = os.getloadavg()
    print(f"{options.processes} processes, {options.seconds:g} s a phase, {os.cpu_count()} cores; load average "
          f"before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    print(f"{'phase':<16} {'documents':>9} {'docs/s':>8} {'ms/doc':>8} {'sign+store ms':>14}  signature")
    for r in rows:
        print(f"{r['phase']:<16} {r['documents']:>9} {r['per_second']:>8.2f} {r['ms_per_doc']:>8.1f}"
              f" {r['sign_ms']:>14.1f}  {r['check']}")
    old, new = rows[1]["per_second"], rows[3]["per_second"]
    print(f"signed results per second: {new:.2f} (baseline, the old path in this run: {old:.2f}; {new / old:.2f}×; "
          f"goal 20)")


if __name__ == "__main__":
    main()
