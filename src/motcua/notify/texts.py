"""What each notice says: a letter for e-mail, one short line for SMS and Zalo (Unicode)."""
from dataclasses import dataclass

from django.utils import timezone

from motcua.common.formatting import vnd
from motcua.dossiers import legal_basis
from motcua.dossiers.links import lookup_url


@dataclass(frozen=True)
class Text:
    subject: str
    letter: str  # e-mail
    line: str  # SMS, Zalo


def _when(dt) -> str:
    return timezone.localtime(dt).strftime("%H:%M ngày %d/%m/%Y")


def _letter(dossier, *paragraphs: str) -> str:
    return "\n\n".join([f"Kính gửi {dossier.applicant_name},", *paragraphs, "Trân trọng."])


def supplement(dossier, event) -> Text:
    items = [i for i in (event.data or {}).get("items", []) if i]
    wanted = "; ".join(items) or "giấy tờ theo phiếu yêu cầu bổ sung (Mẫu 02)"
    reason = f"\nLý do: {event.reason}" if event.reason else ""
    url = lookup_url(dossier.code)
    return Text(
        f"Yêu cầu bổ sung hồ sơ {dossier.code}",
        _letter(dossier,
                f"Hồ sơ {dossier.code} ({dossier.procedure.name}) cần bổ sung: {wanted}.{reason}",
                f"Xin nộp bổ sung tại trang tra cứu {url} (mã hồ sơ và số định danh) hoặc tại bộ phận "
                "một cửa. Thời hạn giải quyết tạm dừng cho đến khi nhận đủ giấy tờ bổ sung."),
        f"Hồ sơ {dossier.code} cần bổ sung: {wanted}. Nộp bổ sung tại {url}")


def _form_notice(dossier, event, form: str, what: str) -> Text:
    """A form issued to the applicant by an event (Mẫu 03, 05): the reasons, and where to read it."""
    spec = legal_basis.form(form, (event.data or {}).get("form_version", legal_basis.CURRENT_FORM_VERSION))
    reasons = "; ".join(line.strip() for line in event.reason.splitlines() if line.strip())
    url = lookup_url(dossier.code)
    return Text(
        f"{spec.title} – hồ sơ {dossier.code}",
        _letter(dossier, f"Hồ sơ {dossier.code} ({dossier.procedure.name}) {what}." + (f"\nLý do: {reasons}" if reasons else ""),
                f"{spec.title} (Mẫu số {spec.number}) xem và tải tại trang tra cứu {url} (mã hồ sơ và số định danh)."),
        f"Hồ sơ {dossier.code} {what}" + (f": {reasons}" if reasons else "") + f". Mẫu số {spec.number}: {url}")


def refused(dossier, event) -> Text:
    return _form_notice(dossier, event, "03", "không được tiếp nhận giải quyết")


def stopped(dossier, event) -> Text:
    return _form_notice(dossier, event, "05", "đã dừng giải quyết")


def payment(dossier, event) -> Text:
    url = lookup_url(dossier.code)
    amount = vnd(dossier.fee_total_vnd, "đồng")
    return Text(
        f"Yêu cầu thực hiện nghĩa vụ tài chính – hồ sơ {dossier.code}",
        _letter(dossier,
                f"Hồ sơ {dossier.code} ({dossier.procedure.name}) cần nộp phí, lệ phí: {amount}.",
                f"Xin thanh toán trực tuyến tại {url} hoặc nộp tiền mặt tại bộ phận một cửa; hồ sơ được "
                "xử lý tiếp khi đã thanh toán."),
        f"Hồ sơ {dossier.code}: xin nộp phí, lệ phí {amount}. Thanh toán tại {url}")


def result_ready(dossier, event) -> Text:
    url = lookup_url(dossier.code)
    where = ("Kết quả giấy được trả tại bộ phận một cửa; kết quả điện tử xem tại "
             if dossier.result_paper else "Kết quả được trả tại bộ phận một cửa hoặc xem tại ")
    return Text(
        f"Đã có kết quả giải quyết hồ sơ {dossier.code}",
        _letter(dossier, f"Hồ sơ {dossier.code} ({dossier.procedure.name}) đã có kết quả giải quyết.",
                f"{where}{url}."),
        f"Hồ sơ {dossier.code} đã có kết quả. Xem tại {url}")


def apology(dossier, report, letter: str) -> Text:
    """The apology slip (Mẫu 04): the letter is `delays.apology_text`, the slip goes with it, named
    as in the form set it was issued with."""
    return Text(
        f"{legal_basis.form('04', report.form_version).title} – hồ sơ {dossier.code}", letter,
        f"{dossier.unit.name} xin lỗi vì chậm trả kết quả hồ sơ {dossier.code}; hẹn trả mới "
        f"{_when(report.new_appointment_at)}. Phiếu xin lỗi (Mẫu 04): {lookup_url(dossier.code)}")
