"""`motcua pki init [--if-missing]`: the local test CA, its TSA and a certificate for every unit.
`motcua pki import-p12 --unit CODE --file F.p12 [--password-env VAR]`: a unit's real certificate."""
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.errors import DossierError
from motcua.results import identities
from motcua.results.models import SigningIdentity
from motcua.results.pki import PkiError
from motcua.units.models import Unit, UnitKind


class Command(BaseCommand):
    help = "Chứng thư số: khởi tạo PKI thử nghiệm, nhập chứng thư PKCS#12 của đơn vị."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="tạo CA, TSA thử nghiệm và chứng thư cho mọi đơn vị")
        init.add_argument("--if-missing", action="store_true",
                          help="chỉ cấp cho đơn vị chưa có chứng thư (dùng khi chạy demo)")
        p12 = sub.add_parser("import-p12", help="nhập chứng thư và khóa bí mật của đơn vị từ tệp PKCS#12")
        p12.add_argument("--unit", required=True, help="mã đơn vị")
        p12.add_argument("--file", required=True, help="tệp .p12 / .pfx")
        p12.add_argument("--password-env", default="MOTCUA_P12_PASSWORD",
                         help="biến môi trường chứa mật khẩu tệp (mặc định MOTCUA_P12_PASSWORD)")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except (PkiError, DossierError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc

    def _init(self, if_missing=False, **_):
        keys = identities.key_directory()
        _root, created = identities.ensure_test_ca(keys)
        self.stdout.write(f"CA thử nghiệm: {'đã tạo' if created else 'đã có'} ({keys.root})")
        units = Unit.objects.exclude(kind=UnitKind.PROVINCE).order_by("code")
        if if_missing:
            units = units.exclude(signing_identities__active=True)
        issued = sum(1 for unit in units if identities.issue_test_identity(unit, keys))
        self.stdout.write(f"Đã cấp {issued} chứng thư; {SigningIdentity.objects.filter(active=True).count()} "
                          "đơn vị có chứng thư đang dùng.")

    def _import_p12(self, unit, file, password_env, **_):
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(f"Không có đơn vị mã {unit}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        identity = identities.import_pkcs12(found, path.read_bytes(), os.environ.get(password_env, ""))
        self.stdout.write(f"{found.name}: đang dùng chứng thư {identity.subject} (số hiệu {identity.serial}).")
