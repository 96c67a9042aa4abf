"""`motcua catalogue …`: the procedure catalogue as JSON or Excel, and its consistency across systems.

    motcua catalogue export --format json|xlsx -o FILE [--code 1.001234 ...] [--level province|commune]
    motcua catalogue import FILE [--dry-run]      # format from the extension (.json, .xlsx)
    motcua catalogue snapshot national FILE.json|FILE.xlsx [--taken-on YYYY-MM-DD] [--user NAME]
    motcua catalogue snapshot portal FILE.json|FILE.csv [--taken-on YYYY-MM-DD] [--user NAME]
    motcua catalogue snapshot provincial [--taken-on YYYY-MM-DD]   # from motcua's own tables
    motcua catalogue check [--due-days N]          # compare the latest snapshot of each source
    motcua catalogue findings -o FILE.xlsx [--unit CODE] [--severity high|medium|low]
    motcua catalogue feed FILE.json                # the national "Decision to publish" feed; drafts the QĐCBs
    motcua catalogue alerts [--no-email]           # alert approaching / overdue publication deadlines (idempotent)
"""
import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalogue import alerts, checks, io, publications, sources
from motcua.catalogue.models import Finding, Procedure, ProcedureLevel, ProcedureStatus, Severity, Source

FORMATS = ("json", "xlsx")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ '{text}' (dạng YYYY-MM-DD)") from None


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
        sub = parser.add_subparsers(dest="action", required=True,
                                    metavar="{export,import,snapshot,check,findings,feed,alerts}")

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

        snap = sub.add_parser("snapshot", help="Lưu một bản chụp có ngày của một nguồn (CSDLQG, tỉnh, Cổng DVC)")
        snap.add_argument("source", choices=Source.values, help="national | provincial | portal")
        snap.add_argument("file", nargs="?", help="tệp .json/.xlsx (national) hoặc .json/.csv (portal)")
        snap.add_argument("--format", "-f", choices=("json", "xlsx", "csv"), help="mặc định: theo đuôi tệp")
        snap.add_argument("--taken-on", type=_date, help="ngày lấy dữ liệu (YYYY-MM-DD; mặc định hôm nay)")
        snap.add_argument("--user", help="tên đăng nhập của người nhập")

        check = sub.add_parser("check", help="So bản chụp mới nhất của mỗi nguồn, ghi các sai lệch")
        check.add_argument("--due-days", type=int, help="số ngày làm việc để xử lý một sai lệch mới "
                                                          f"(mặc định {checks.due_working_days()})")

        findings = sub.add_parser("findings", help="Xuất Excel các sai lệch đang mở")
        findings.add_argument("-o", "--output", required=True, help="tệp .xlsx")
        findings.add_argument("--unit", help="chỉ sai lệch của đơn vị chủ trì có mã này")
        findings.add_argument("--severity", choices=Severity.values)

        feed = sub.add_parser("feed", help="Nhập quyết định công bố của Bộ, ngành (JSON) và lập dự thảo QĐCB của tỉnh")
        feed.add_argument("file", help="tệp .json")

        alert = sub.add_parser("alerts", help="Cảnh báo thời hạn công bố sắp đến / quá hạn (chạy lại không gửi trùng)")
        alert.add_argument("--no-email", action="store_true", help="chỉ thông báo trong hệ thống")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "export":
            return self.export(options)
        if action == "snapshot":
            return self.take_snapshot(options)
        if action == "check":
            return self.check_sources(options)
        if action == "findings":
            return self.export_findings(options)
        if action == "feed":
            return self.import_feed(options)
        if action == "alerts":
            return self.stdout.write(alerts.run_alerts(send_email=not options["no_email"]).summary())
        return self.import_(options)

    def take_snapshot(self, options):
        source, path = options["source"], options["file"]
        kwargs = {"taken_on": options["taken_on"]}
        if options["user"]:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Không có người dùng '{options['user']}'.")
            kwargs["imported_by"] = user
        if source == Source.PROVINCIAL:
            if path:
                raise CommandError("Bản chụp của tỉnh lấy từ danh mục trong motcua: không cần tệp.")
            result = sources.snapshot_provincial(**kwargs)
        else:
            if not path:
                raise CommandError(f"Cần tệp dữ liệu của nguồn '{source}'.")
            if not Path(path).is_file():
                raise CommandError(f"Không có tệp '{path}'.")
            result = sources.import_file(source, path, options["format"], **kwargs)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.summary())
        self.stdout.write(result.summary())

    def check_sources(self, options):
        if options["due_days"] is not None and options["due_days"] < 0:
            raise CommandError("--due-days phải là số không âm.")
        result = checks.run_check(due_days=options["due_days"])
        self.stdout.write(result.summary())
        if not result.pairs:
            raise CommandError("Chưa đủ bản chụp để so sánh.")

    def import_feed(self, options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp '{path}'.")
        result = publications.import_feed(path.read_bytes())
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
        for draft in publications.draft_pending():
            self.stdout.write(f"Dự thảo QĐCB: {draft.title} — {draft.items.count()} thủ tục, "
                              f"dự kiến ban hành {draft.decided_on:%d/%m/%Y}.")

    def export_findings(self, options):
        output = options["output"]
        if Path(output).suffix.lower() != ".xlsx":
            raise CommandError("Tệp kết quả phải có đuôi .xlsx.")
        queryset = Finding.objects.all()
        if options["unit"]:
            queryset = queryset.filter(owner_unit__code=options["unit"])
        if options["severity"]:
            queryset = queryset.filter(severity=options["severity"])
        with open(output, "wb") as stream:
            count = checks.export_findings_xlsx(queryset, stream)
        self.stderr.write(f"Đã xuất {count} sai lệch đang mở vào {output}.")

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
