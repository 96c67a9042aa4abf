"""Which key signs for a unit: its active signing identity, the local TSA, the trusted roots.

With `MOTCUA_TEST_PKI` on (the demo, the tests), the local test CA and TSA are created when
missing and a unit that has no certificate gets one from the test CA the first time it signs.
"""
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.dossiers.errors import DossierError
from motcua.results import pki, signing
from motcua.results.models import IdentitySource, SigningIdentity


def key_directory() -> pki.KeyDirectory:
    try:
        return pki.KeyDirectory(settings.MOTCUA_KEY_DIR, settings.MOTCUA_KEY_PASSPHRASE)
    except pki.PkiError as exc:
        raise DossierError(str(exc), "key_passphrase_missing") from exc


def ensure_test_ca(keys: pki.KeyDirectory) -> tuple[pki.KeyPair, bool]:
    """The local test root CA (created with its TSA when missing) and whether it was created."""
    if keys.exists(pki.ROOT_FILE) and keys.exists(pki.TSA_FILE):
        return keys.load(pki.ROOT_FILE), False
    root = pki.new_root()
    keys.save(pki.ROOT_FILE, root)
    keys.save(pki.TSA_FILE, pki.new_tsa(root))
    keys.trust(root.certificate)
    return root, True


def _record(unit, pair: pki.KeyPair, source: str, keys: pki.KeyDirectory) -> SigningIdentity:
    cert = pair.certificate
    serial = format(cert.serial_number, "x")
    key_name = f"{pki.UNIT_DIR}/{unit.code}-{serial[:16]}"
    keys.save(key_name, pair)
    with transaction.atomic():
        SigningIdentity.objects.filter(unit=unit, active=True).update(active=False)
        return SigningIdentity.objects.create(
            unit=unit, source=source, key_name=key_name, subject=cert.subject.rfc4514_string(),
            issuer=cert.issuer.rfc4514_string(), serial=serial, not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc, certificate_pem=pki.pem(cert))


def issue_test_identity(unit, keys: pki.KeyDirectory | None = None) -> SigningIdentity:
    """A certificate for `unit` from the local test CA (which is created if missing)."""
    keys = keys or key_directory()
    root, _created = ensure_test_ca(keys)
    return _record(unit, pki.new_unit_pair(root, unit.name), IdentitySource.TEST_CA, keys)


def import_pkcs12(unit, data: bytes, password: str) -> SigningIdentity:
    """The unit's certificate and key from a PKCS#12 file; the chain's root becomes trusted."""
    keys = key_directory()
    pair = pki.read_pkcs12(data, password)
    now = timezone.now()
    if not pair.certificate.not_valid_before_utc <= now <= pair.certificate.not_valid_after_utc:
        raise pki.PkiError("Chứng thư số trong tệp PKCS#12 không còn (hoặc chưa có) hiệu lực.")
    ensure_test_ca(keys)  # the local TSA timestamps the signatures
    for cert in pair.chain:
        if pki.is_self_signed(cert):
            keys.trust(cert)
    return _record(unit, pair, IdentitySource.PKCS12, keys)


def active_identity(unit) -> SigningIdentity:
    identity = SigningIdentity.objects.filter(unit=unit, active=True).first()
    if identity is None and settings.MOTCUA_TEST_PKI:
        identity = issue_test_identity(unit)
    if identity is None:
        raise DossierError(f"{unit.name} chưa có chứng thư số: nhập bằng «motcua pki import-p12».", "no_identity")
    if identity.not_after < timezone.now():
        raise DossierError(f"Chứng thư số của {unit.name} đã hết hạn.", "identity_expired")
    return identity


def timestamper():
    """The configured TSA: the local one in the key directory (created with the test CA when the
    test PKI is on), the same that timestamps the signed results."""
    keys = key_directory()
    if settings.MOTCUA_TEST_PKI:
        ensure_test_ca(keys)
    try:
        return signing.load_timestamper(keys.load(pki.TSA_FILE))
    except pki.PkiError as exc:
        raise DossierError(str(exc), "key_unavailable") from exc


def trusted_roots() -> list:
    return key_directory().trusted_roots()
