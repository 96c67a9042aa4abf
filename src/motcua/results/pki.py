"""Keys and certificates (pure, with `cryptography`): the local test PKI and PKCS#12 import.

The demo and the tests use a local root CA that issues a timestamp authority (TSA) certificate and
one signing certificate per unit (ECDSA P-256). Real units import their certificate and key from a
PKCS#12 file (`motcua pki import-p12`). Private keys are written only into the key directory
(`MOTCUA_KEY_DIR`), PKCS#8 PEM encrypted with `MOTCUA_KEY_PASSPHRASE`.

A USB token or HSM (PKCS#11) is used through pyHanko instead of a key file: see
`results/signers/pkcs11.py` (`MOTCUA_SIGNER`).
"""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ROOT_NAME = "motcua Test Root CA"
ROOT_FILE, TSA_FILE = "root-ca", "tsa"
TRUST_DIR = "trust"  # the roots the verification trusts, one PEM each
UNIT_DIR = "units"


class PkiError(Exception):
    """A key or certificate problem; the message is for people (Vietnamese)."""


@dataclass(frozen=True)
class KeyPair:
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple = ()  # the issuers, nearest first


def _name(common_name: str, organisation: str = "motcua") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _issue(subject: x509.Name, key, issuer: KeyPair | None, *, days: int, ca: bool, usage: str,
           now: datetime | None = None) -> x509.Certificate:
    now = now or datetime.now(UTC)
    signer_key = issuer.key if issuer else key
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(issuer.certificate.subject if issuer else subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True)
    else:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=usage == "sign", key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        if usage == "timestamp":
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(signer_key, hashes.SHA256())


def new_root(now: datetime | None = None) -> KeyPair:
    key = ec.generate_private_key(ec.SECP256R1())
    return KeyPair(key, _issue(_name(ROOT_NAME), key, None, days=3650, ca=True, usage="", now=now))


def new_tsa(root: KeyPair, now: datetime | None = None) -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's local TSA signs RSA only
    cert = _issue(_name("motcua Test TSA"), key, root, days=3650, ca=False, usage="timestamp", now=now)
    return KeyPair(key, cert, (root.certificate,))


def new_unit_pair(root: KeyPair, unit_name: str, *, days: int = 1825, now: datetime | None = None) -> KeyPair:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _issue(_name(unit_name, unit_name), key, root, days=days, ca=False, usage="sign", now=now)
    return KeyPair(key, cert, (root.certificate,))


def read_pkcs12(data: bytes, password: str) -> KeyPair:
    """The key, certificate and chain of a PKCS#12 file, or PkiError."""
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
    except ValueError as exc:
        raise PkiError("Không đọc được tệp PKCS#12: sai mật khẩu hoặc tệp hỏng.") from exc
    if key is None or cert is None:
        raise PkiError("Tệp PKCS#12 không chứa khóa bí mật và chứng thư số.")
    return KeyPair(key, cert, tuple(extra or ()))


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def is_self_signed(cert: x509.Certificate) -> bool:
    return cert.issuer == cert.subject


class KeyDirectory:
    """The server's key directory: encrypted private keys and the certificates next to them."""

    def __init__(self, root: Path, passphrase: str):
        if not passphrase:
            raise PkiError("Chưa đặt MOTCUA_KEY_PASSPHRASE: không thể mã hóa khóa bí mật.")
        self.root = Path(root)
        self.passphrase = passphrase.encode()

    def _paths(self, name: str) -> tuple[Path, Path]:
        return self.root / f"{name}.key.pem", self.root / f"{name}.crt.pem"

    def exists(self, name: str) -> bool:
        return all(p.is_file() for p in self._paths(name))

    def save(self, name: str, pair: KeyPair) -> Path:
        key_path, cert_path = self._paths(name)
        key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key_pem = pair.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.BestAvailableEncryption(self.passphrase))
        key_path.write_bytes(key_pem)
        key_path.chmod(0o600)
        cert_path.write_text(pem(pair.certificate) + "".join(pem(c) for c in pair.chain))
        return key_path

    def load(self, name: str) -> KeyPair:
        key_path, cert_path = self._paths(name)
        if not key_path.is_file():
            raise PkiError(f"Không tìm thấy khóa '{name}' trong thư mục khóa {self.root}.")
        try:
            key = serialization.load_pem_private_key(key_path.read_bytes(), self.passphrase)
        except (ValueError, TypeError) as exc:
            raise PkiError(f"Không mở được khóa '{name}': sai MOTCUA_KEY_PASSPHRASE?") from exc
        certs = x509.load_pem_x509_certificates(cert_path.read_bytes())
        return KeyPair(key, certs[0], tuple(certs[1:]))

    def trust(self, cert: x509.Certificate) -> None:
        """Add a root the verification trusts (named by its fingerprint, so adding twice is harmless)."""
        folder = self.root / TRUST_DIR
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{cert.fingerprint(hashes.SHA256()).hex()[:16]}.pem").write_text(pem(cert))

    def trusted_roots(self) -> list[x509.Certificate]:
        folder = self.root / TRUST_DIR
        return [x509.load_pem_x509_certificate(p.read_bytes()) for p in sorted(folder.glob("*.pem"))] \
            if folder.is_dir() else []
