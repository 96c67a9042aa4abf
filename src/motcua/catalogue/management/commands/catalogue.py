"""`motcua catalogue export|import`: the procedure catalogue as JSON or Excel.

    motcua catalogue export --format json|xlsx -o FILE [--code 1.001234 ...] [--level province|commune]
    motcua catalogue import FILE [--dry-run]      # format from the extension (.json, .xlsx)
"""
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalogue import io
from motcua.catalogue.models import Procedure, ProcedureLevel, ProcedureStatus

FORMATS = ("json", "xlsx")


def _format_of(path: str, given: str | None) -> str:
    if given:
        return given
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise CommandError(f"Không nhận ra định dạng của '{path}': dùng đuôi .json hoặc .xlsx (hoặc --format).")


class Command(BaseCommand):
    help = "Xuất / nhập danh mục thủ tục hành chính (JSON hoặc Excel)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{export,import}")

        export = sub.add_parser("export", help="Xuất danh mục thủ tục")
        export.add_argument("--format", "-f", choices=FORMATS, help="json hoặc xlsx (mặc định: theo đuôi tệp)")
        export.add_argument("-o", "--output", required=True, help="tệp kết quả; '-' là đầu ra chuẩn (chỉ JSON)")
        export.add_argument("--code", action="append", default=[], help="chỉ xuất thủ tục có mã này (lặp được)")
        export.add_argument("--level", choices=ProcedureLevel.values)
        export.add_argument("--status", choices=ProcedureStatus.values)

        imp = sub.add_parser("import", help="Nhập (thêm mới / cập nhật theo mã) danh mục thủ tục")
        imp.add_argument("file", help="tệp .json hoặc .xlsx")
        imp.add_argument("--format", "-f", choices=FORMATS, help="json hoặc xlsx (mặc định: theo đuôi tệp)")
        imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")

    def handle(self, *args, **options):
        if options["action"] == "export":
            return self.export(options)
        return self.import_(options)

    def export(self, options):
        output = options["output"]
        fmt = options["format"] or ("json" if output == "-" else _format_of(output, None))
        queryset = Procedure.objects.all()
        if options["code"]:
            queryset = queryset.filter(code__in=options["code"])
        if options["level"]:
            queryset = queryset.filter(level=options["level"])
        if options["status"]:
            queryset = queryset.filter(status=options["status"])
        count = queryset.count()
        if fmt == "json":
            text = json.dumps(io.export_json(queryset), ensure_ascii=False, indent=2) + "\n"
            if output == "-":
                self.stdout.write(text, ending="")
                return
            Path(output).write_text(text, encoding="utf-8")
        else:
            if output == "-":
                raise CommandError("Xuất Excel cần một tệp (-o FILE).")
            with open(output, "wb") as stream:
                io.export_xlsx(queryset, stream)
        self.stderr.write(f"Đã xuất {count} thủ tục vào {output}.")

    def import_(self, options):
        path = options["file"]
        fmt = _format_of(path, options["format"])
        if path != "-" and not Path(path).is_file():
            raise CommandError(f"Không có tệp '{path}'.")
        if fmt == "json":
            try:
                text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
                records = json.loads(text)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise CommandError(f"Tệp JSON không hợp lệ: {exc}") from None
            result = io.import_json(records, dry_run=options["dry_run"])
        else:
            with open(path, "rb") as stream:
                result = io.import_xlsx(stream, dry_run=options["dry_run"])
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
