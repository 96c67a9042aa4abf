"""PAdES B-T signatures with pyHanko: the unit's key signs, the local TSA timestamps.

`sign_pdf` is pure (bytes in, bytes out); `validate_pdf` checks every embedded signature against
the trusted roots without fetching anything (revocation checks are soft: the test PKI publishes no
CRL or OCSP).
"""
import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from asn1crypto import cms as asn1_cms
from asn1crypto import core as asn1_core
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import as_signing_certificate, simple_cms_attribute
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko.sign.validation.status import TimestampSignatureStatus
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from motcua.results.pki import KeyPair

FIELD_NAME = "ChuKySo"


def _run(coroutine):
    """Run one of pyHanko's coroutines to completion from synchronous code, also when this thread
    already runs an event loop (an ASGI server, Playwright's sync API in the browser tests)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _asn1_key(pair: KeyPair) -> asn1_keys.PrivateKeyInfo:
    return asn1_keys.PrivateKeyInfo.load(pair.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


# The signature container of a unit's certificate and chain with the TSA's token is about 6 KB;
# reserving room up front spares pyHanko a whole trial signature (and timestamp) to measure it.
SIGNATURE_RESERVE = 32 * 1024


class _KeptKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses its private key again for every signature; this one keeps the
    parsed key (a tenth of a signature's time)."""

    def __init__(self, key, **kwargs):
        super().__init__(**kwargs)
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(hash_algorithm))
        return self._key.sign(data, PKCS1v15(), hash_algorithm)  # SimpleSigner's default for RSA


class _KeptKeyTimeStamper(DummyTimeStamper):
    """pyHanko's in-process RFC 3161 timestamper (the local TSA, no HTTP round trip), keeping its
    parsed RSA key like `_KeptKeySigner`."""

    def __init__(self, key, **kwargs):
        super().__init__(**kwargs)
        self._key = key

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt: datetime):
        # pyHanko's own method (dummy_client.py) with the kept key in place of a parse per token.
        hash_algorithm = get_pyca_cryptography_hash(md_algorithm)
        digest = hashes.Hash(hash_algorithm)
        digest.update(tst_info_data)
        signed_attrs = asn1_cms.CMSAttributes([
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute("signing_time", asn1_cms.Time({"utc_time": asn1_core.UTCTime(dt)})),
            simple_cms_attribute("signing_certificate", as_signing_certificate(self.tsa_cert)),
            simple_cms_attribute("message_digest", digest.finalize()),
        ])
        return self._key.sign(signed_attrs.dump(), PKCS1v15(), hash_algorithm), signed_attrs


@dataclass(frozen=True)
class Signer:
    """A unit's signer and the TSA that timestamps its signatures (PAdES B-T)."""

    signer: signers.Signer
    timestamper: DummyTimeStamper


def load_timestamper(tsa_pair: KeyPair) -> DummyTimeStamper:
    """The local TSA (pyHanko's in-process RFC 3161 timestamper) with its key and chain."""
    return _KeptKeyTimeStamper(tsa_pair.key, tsa_cert=_asn1_cert(tsa_pair.certificate), tsa_key=_asn1_key(tsa_pair),
                            certs_to_embed=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in tsa_pair.chain]))


def load_signer(unit_pair: KeyPair, tsa_pair: KeyPair) -> Signer:
    chain = [_asn1_cert(c) for c in unit_pair.chain]
    signer = _KeptKeySigner(unit_pair.key, signing_cert=_asn1_cert(unit_pair.certificate),
                            signing_key=_asn1_key(unit_pair), cert_registry=SimpleCertificateStore.from_certs(chain))
    return Signer(signer, load_timestamper(tsa_pair))


def timestamp_token(stamper: DummyTimeStamper, digest: bytes) -> bytes:
    """An RFC 3161 timestamp token (DER) over the SHA-256 `digest`."""
    return _run(stamper.async_timestamp(digest, "sha256")).dump()


def _tst_info(token: bytes):
    return asn1_cms.ContentInfo.load(token)["content"]["encap_content_info"]["content"].parsed


def token_time(token: bytes) -> datetime:
    """The time (genTime) the TSA put in `token`."""
    return _tst_info(token)["gen_time"].native


def token_covers(token: bytes, digest: bytes) -> bool:
    """Whether `token` timestamps the SHA-256 `digest` (its imprint only: no signature check)."""
    try:
        imprint = _tst_info(token)["message_imprint"]
        return (imprint["hash_algorithm"]["algorithm"].native == "sha256"
                and imprint["hashed_message"].native == digest)
    except Exception:  # a malformed token covers nothing, whatever the parser raises
        return False


@dataclass(frozen=True)
class TokenCheck:
    """What a timestamp token says about a digest."""

    timestamped_at: datetime | None
    covers_digest: bool  # the token's message imprint is the digest
    valid: bool  # the TSA's signature is correct and its certificate chains to a trusted root

    @property
    def ok(self) -> bool:
        return self.covers_digest and self.valid


def check_timestamp_token(token: bytes, digest: bytes, trusted_roots: list[x509.Certificate]) -> TokenCheck:
    """Check `token` against the SHA-256 `digest` and the trusted roots (offline)."""
    context = ValidationContext(trust_roots=[_asn1_cert(c) for c in trusted_roots], allow_fetching=False,
                                revocation_mode="soft-fail")
    try:
        signed_data = asn1_cms.ContentInfo.load(token)["content"]
        status = TimestampSignatureStatus(**_run(validate_tst_signed_data(signed_data, context,
                                                                          lambda _algorithm: digest)))
    except Exception:  # a malformed token proves nothing, whatever the parser raises
        return TokenCheck(None, False, False)
    return TokenCheck(status.timestamp, covers_digest=status.intact, valid=status.valid and status.trusted)


def _append_pages(writer: IncrementalPdfFileWriter, extra: bytes) -> None:
    """The pages of `extra` added at the end of `writer`'s document."""
    reader = PdfFileReader(BytesIO(extra), strict=False)
    for index in range(int(reader.root["/Pages"]["/Count"])):
        page_ref, resources = reader.find_page_for_modification(index)
        page = page_ref.get_object()
        del page["/Parent"]  # insert_page sets the writer's own; the reader is thrown away
        page["/Resources"] = resources  # possibly inherited from `extra`'s page tree
        writer.insert_page(writer.import_object(page))


def sign_pdf(pdf: bytes, signer: Signer, *, reason: str, location: str, contact: str = "",
             appended: bytes | None = None) -> bytes:
    """`pdf`, followed by the pages of `appended` when given, signed PAdES B-T (an invisible
    signature field, SHA-256, timestamp from the TSA). The pages are added in the revision that
    carries the signature, so the signature covers them and the PDF is written once."""
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES, reason=reason,
                                        location=location, contact_info=contact or None)
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    if appended is not None:
        _append_pages(writer, appended)
    pdf_signer = signers.PdfSigner(meta, signer=signer.signer, timestamper=signer.timestamper)
    return _run(pdf_signer.async_sign_pdf(writer, bytes_reserved=SIGNATURE_RESERVE)).getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """What one embedded signature says, and whether it holds."""

    signer: str
    issuer: str
    serial: str
    signed_at: datetime | None  # from the timestamp token when there is one
    timestamped: bool
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature is correct
    trusted: bool  # the certificate chains to a trusted root
    covers_whole_file: bool  # nothing was added after signing

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.covers_whole_file


@dataclass(frozen=True)
class PdfCheck:
    sha256: str
    readable: bool
    signatures: tuple = ()

    @property
    def ok(self) -> bool:
        return self.readable and bool(self.signatures) and all(s.ok for s in self.signatures)


def _common_name(name) -> str:
    return name.native.get("common_name") or name.human_friendly


def validate_pdf(pdf: bytes, trusted_roots: list[x509.Certificate]) -> PdfCheck:
    """Check every signature in `pdf` against `trusted_roots` (offline)."""
    digest = hashlib.sha256(pdf).hexdigest()
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError):
        return PdfCheck(digest, readable=False)
    context = ValidationContext(trust_roots=[_asn1_cert(c) for c in trusted_roots], allow_fetching=False,
                                revocation_mode="soft-fail")
    checks = []
    for sig in embedded:
        try:
            status = _run(async_validate_pdf_signature(sig, signer_validation_context=context,
                                                       ts_validation_context=context))
        except Exception:  # a malformed signature is an invalid one, whatever pyHanko raises
            checks.append(SignatureCheck("", "", "", None, False, False, False, False, False))
            continue
        cert = status.signing_cert
        ts = status.timestamp_validity
        checks.append(SignatureCheck(
            signer=_common_name(cert.subject) if cert is not None else "",
            issuer=_common_name(cert.issuer) if cert is not None else "",
            serial=format(cert.serial_number, "x") if cert is not None else "",
            signed_at=ts.timestamp if ts is not None else status.signer_reported_dt,
            timestamped=ts is not None and ts.valid and ts.intact,
            intact=status.intact, valid=status.valid, trusted=status.trusted,
            covers_whole_file=status.coverage.name == "ENTIRE_FILE"))
    return PdfCheck(digest, readable=True, signatures=tuple(checks))
