"""The desk's lists as an Excel workbook: what the officer sees, every row, for reports and checks."""
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.common.spreadsheets import XLSX_CONTENT_TYPE, new_workbook


def _local(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def xlsx_response(rows, title: str) -> HttpResponse:
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ho-so-{timezone.localdate():%Y%m%d}.xlsx"'
    workbook, header, text, wrap, _date = new_workbook(response)
    sheet = workbook.add_worksheet(str(_("Hồ sơ")))
    columns = [(_("Mã hồ sơ"), 24), (_("Thủ tục"), 50), (_("Chủ hồ sơ"), 28), (_("Số định danh / MST"), 16),
               (_("Trạng thái"), 24), (_("Tình trạng hạn"), 14), (_("Tiếp nhận"), 17), (_("Hẹn trả"), 17),
               (_("Người xử lý"), 18)]
    sheet.write_string(0, 0, str(_(title)), header)
    for j, (label, width) in enumerate(columns):
        sheet.write_string(1, j, str(label), header)
        sheet.set_column(j, j, width)
    sheet.freeze_panes(2, 1)
    for i, d in enumerate(rows.iterator(chunk_size=2000), start=2):
        values = [d.code, d.procedure.name, d.applicant_name, d.applicant_id, d.get_status_display(),
                  d.get_deadline_state_display(), _local(d.received_at), _local(d.current_appointment_at),
                  d.assignee.username if d.assignee else ""]
        for j, value in enumerate(values):
            sheet.write_string(i, j, str(value), wrap if j == 1 else text)
    workbook.close()
    return response
