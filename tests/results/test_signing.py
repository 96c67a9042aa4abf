"""PAdES B-T signatures checked by pyHanko and, independently, by poppler's pdfsig; PKCS#12 import."""
import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from weasyprint import HTML

from motcua.results import identities, pki, signers, signing
from motcua.results.models import IdentitySource, SigningIdentity
from tests import factories as f
from tests.results.conftest import pdfsig, tamper


@pytest.fixture(scope="module")
def ca():
    root = pki.new_root()
    return root, pki.new_tsa(root), pki.new_unit_pair(root, "UBND Xã Đại Sơn")


@pytest.fixture(scope="module")
def signed(ca):
    root, tsa, unit = ca
    pdf = HTML(string="<p>Giấy khai sinh — Nguyễn Thị Lan</p>").write_pdf()
    return signing.sign_pdf(pdf, signing.load_signer(unit, tsa), reason="Ký số kết quả", location="Bắc Ninh")


def test_pyhanko_finds_one_intact_trusted_timestamped_signature(ca, signed):
    check = signing.validate_pdf(signed, [ca[0].certificate])
    assert check.ok and len(check.signatures) == 1
    sig = check.signatures[0]
    assert sig.signer == "UBND Xã Đại Sơn" and sig.issuer == pki.ROOT_NAME
    assert sig.timestamped and sig.covers_whole_file and sig.signed_at is not None


def test_pdfsig_says_the_signature_is_valid(tmp_path, signed):
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(signed)
    out = pdfsig(path)
    assert "Signature Validation: Signature is Valid." in out
    assert "Signer Certificate Common Name: UBND Xã Đại Sơn" in out and "Total document signed" in out
    assert "ETSI.CAdES.detached" in out  # PAdES


def test_a_file_changed_after_signing_is_invalid_for_both(tmp_path, ca, signed):
    changed = tamper(signed)
    check = signing.validate_pdf(changed, [ca[0].certificate])
    assert not check.ok and not check.signatures[0].intact
    path = tmp_path / "sua.pdf"
    path.write_bytes(changed)
    out = pdfsig(path)
    assert "Signature is Valid." not in out and "Digest Mismatch" in out


def test_an_unknown_root_is_not_trusted(signed):
    check = signing.validate_pdf(signed, [pki.new_root().certificate])
    assert check.signatures[0].intact and not check.signatures[0].trusted and not check.ok


def test_something_that_is_not_a_pdf_is_unreadable():
    assert not signing.validate_pdf(b"not a pdf", []).readable


def test_keys_are_stored_encrypted_and_need_the_passphrase(tmp_path, ca):
    keys = pki.KeyDirectory(tmp_path, "mat-khau")
    keys.save("units/x", ca[2])
    assert b"ENCRYPTED PRIVATE KEY" in (tmp_path / "units/x.key.pem").read_bytes()
    assert keys.load("units/x").certificate == ca[2].certificate
    with pytest.raises(pki.PkiError, match="sai MOTCUA_KEY_PASSPHRASE"):
        pki.KeyDirectory(tmp_path, "sai").load("units/x")
    with pytest.raises(pki.PkiError, match="Chưa đặt MOTCUA_KEY_PASSPHRASE"):
        pki.KeyDirectory(tmp_path, "")


@pytest.mark.django_db
def test_a_pkcs12_import_replaces_the_unit_identity_and_its_root_becomes_trusted(ca):
    unit = f.unit()
    first = identities.issue_test_identity(unit)
    other_root = pki.new_root()
    pair = pki.new_unit_pair(other_root, "Sở Tư pháp (thật)")
    p12 = pkcs12.serialize_key_and_certificates(b"stp", pair.key, pair.certificate, [other_root.certificate],
                                                BestAvailableEncryption(b"p12-pass"))
    with pytest.raises(pki.PkiError, match="sai mật khẩu"):
        identities.import_pkcs12(unit, p12, "wrong")
    assert SigningIdentity.objects.get(active=True) == first
    imported = identities.import_pkcs12(unit, p12, "p12-pass")
    assert imported.source == IdentitySource.PKCS12 and "Sở Tư pháp (thật)" in imported.subject
    assert identities.active_identity(unit) == imported
    assert other_root.certificate in identities.trusted_roots()
    pdf = HTML(string="<p>x</p>").write_pdf()
    signed = signing.sign_pdf(pdf, signers.signer_for(imported), reason="r", location="l")
    assert signing.validate_pdf(signed, identities.trusted_roots()).ok


def test_signing_and_checking_work_while_this_thread_runs_an_event_loop(ca):
    root, tsa, unit = ca

    async def inside_a_loop():
        pdf = HTML(string="<p>Trong vòng lặp sự kiện</p>").write_pdf()
        signed = signing.sign_pdf(pdf, signing.load_signer(unit, tsa), reason="r", location="l")
        return signing.validate_pdf(signed, [root.certificate])

    with ThreadPoolExecutor(max_workers=1) as pool:  # a fresh thread: the browser tests may hold this one's loop
        assert pool.submit(asyncio.run, inside_a_loop()).result().ok
