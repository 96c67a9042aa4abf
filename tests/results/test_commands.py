"""`motcua pki init [--if-missing]` and `motcua pki import-p12`."""
import pytest
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from django.core.management import CommandError, call_command

from motcua.results import pki
from motcua.results.models import IdentitySource, SigningIdentity
from motcua.units.models import UnitKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_init_gives_every_unit_but_the_province_a_certificate_once(capsys, settings):
    dept, commune = f.unit(), f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE)
    call_command("pki", "init", "--if-missing")
    assert set(SigningIdentity.objects.values_list("unit_id", flat=True)) == {dept.pk, commune.pk}
    keys = pki.KeyDirectory(settings.MOTCUA_KEY_DIR, settings.MOTCUA_KEY_PASSPHRASE)
    assert keys.exists(pki.ROOT_FILE) and keys.exists(pki.TSA_FILE) and len(keys.trusted_roots()) == 1
    call_command("pki", "init", "--if-missing")
    assert SigningIdentity.objects.count() == 2 and "Đã cấp 0 chứng thư" in capsys.readouterr().out
    call_command("pki", "init")  # without --if-missing: new certificates, the old ones retired
    assert SigningIdentity.objects.filter(active=True).count() == 2 and SigningIdentity.objects.count() == 4


def test_import_p12_reads_the_password_from_the_environment(tmp_path, monkeypatch):
    unit = f.unit()
    root = pki.new_root()
    pair = pki.new_unit_pair(root, "Sở Tư pháp")
    path = tmp_path / "stp.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"stp", pair.key, pair.certificate, [root.certificate],
                                                           BestAvailableEncryption(b"bi-mat")))
    with pytest.raises(CommandError, match="sai mật khẩu"):
        call_command("pki", "import-p12", "--unit", "STP", "--file", str(path))
    with pytest.raises(CommandError, match="Không có đơn vị mã XYZ"):
        call_command("pki", "import-p12", "--unit", "XYZ", "--file", str(path))
    monkeypatch.setenv("MOTCUA_P12_PASSWORD", "bi-mat")
    call_command("pki", "import-p12", "--unit", "STP", "--file", str(path))
    identity = SigningIdentity.objects.get(unit=unit, active=True)
    assert identity.source == IdentitySource.PKCS12 and identity.serial == format(pair.certificate.serial_number, "x")
