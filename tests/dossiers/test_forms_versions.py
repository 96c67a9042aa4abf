"""The seven forms of Circular 03/2025/TT-VPCP (Annex I) read back from their PDFs — title, the
circular's form number and the fields the form carries — and the form set recorded with each slip:
a dossier of 2024 keeps the forms of Circular 01/2018/TT-VPCP it was issued with."""
from datetime import date

import pytest

from motcua.common import printing
from motcua.dossiers import legal_basis, slips
from motcua.dossiers.delays import file_delay_report
from motcua.dossiers.models import DelayReport
from motcua.dossiers.services import transition
from motcua.dossiers.transitions import Action
from tests import factories as f
from tests.dossiers.test_slips import desk, pdf_text, receive  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

CIRCULAR_2025 = "Thông tư 03/2025/TT-VPCP"
CIRCULAR_2018 = "Thông tư 01/2018/TT-VPCP"


def _form_head(text: str, number: str, title: str, circular: str = CIRCULAR_2025) -> None:
    assert text.startswith(f"Mẫu số {number}") or f" Mẫu số {number} " in text
    assert title.upper() in text
    assert f"Mẫu số {number} (" in text and circular in text


def _processed(desk):
    """A dossier received Mon 02/03/2026 09:00 (appointment Thu 05/03 09:00), sent to its first step."""
    d = receive(desk)
    first = desk["procedure"].steps.order_by("order").first()
    transition(d, Action.START_PROCESSING, actor=desk["reception"], at=f.at(2026, 3, 2, 10, 0),
               current_step_id=first.pk, assignee_id=desk["processing"].pk)
    return d


def test_each_of_the_seven_forms_carries_its_title_number_and_fields(desk, tmp_path):
    forms = legal_basis.FORMS[legal_basis.TT03_2025]
    d = _processed(desk)

    text = pdf_text(slips.receipt_pdf(d), tmp_path)
    _form_head(text, "01", forms["01"].title)
    for field in ["Mã hồ sơ: " + d.code, "Trần Thị Bích Ngọc", "Số định danh cá nhân", "Số điện thoại",
                  "Nội dung yêu cầu giải quyết", "Thành phần hồ sơ nộp gồm", "Số lượng hồ sơ: 01",
                  "Thời gian giải quyết hồ sơ theo quy định: 3 ngày làm việc",
                  "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 02/03/2026",
                  "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 05/03/2026",
                  "Đăng ký nhận kết quả tại", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ"]:
        assert field in text, field

    transition(d, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0),
               reason="Bản sao giấy khai sinh có chứng thực", event_data={"items": ["Bản sao giấy khai sinh"]})
    text = pdf_text(slips.supplement_request_pdf_for(d.events.get(action=Action.REQUEST_SUPPLEMENT)), tmp_path)
    _form_head(text, "02", forms["02"].title)
    for field in [d.code, "Bản sao giấy khai sinh", desk["procedure"].name, printing.person(desk["processing"])]:
        assert field in text, field
    transition(d, Action.RECEIVE_SUPPLEMENT, actor=desk["reception"], at=f.at(2026, 3, 3, 14, 0))

    report = file_delay_report(d, desk["head"], "Chờ ý kiến cơ quan phối hợp", "Cơ quan phối hợp trả lời chậm",
                               "Đôn đốc bằng văn bản", f.at(2026, 3, 9, 16, 0), now=f.at(2026, 3, 4, 10, 0))
    assert report.form_version == legal_basis.TT03_2025
    text = pdf_text(slips.apology_pdf(report), tmp_path)
    _form_head(text, "04", forms["04"].title)
    for field in [d.code, "Kính gửi: Trần Thị Bích Ngọc", "Lý do: Chờ ý kiến cơ quan phối hợp",
                  "16 giờ 00 phút, ngày 09/03/2026", "THỦ TRƯỞNG CƠ QUAN"]:
        assert field in text, field

    text = pdf_text(slips.control_sheet_pdf(d), tmp_path)
    _form_head(text, "06", forms["06"].title)
    for field in ["Thời gian giao, nhận hồ sơ", "Bên giao", "Bên nhận", "Hạn xử lý", "Kết quả", "Ghi chú",
                  "Yêu cầu bổ sung", "Nhận hồ sơ bổ sung"]:
        assert field in text, field

    # Mẫu 05 comes from stopping the dossier, signed by the head who stopped it.
    transition(d, Action.STOP, actor=desk["head"], at=f.at(2026, 3, 5, 10, 0), reason="Đất đang có tranh chấp")
    stop = d.events.get(action=Action.STOP)
    assert (stop.data["form"], stop.data["form_version"]) == ("05", legal_basis.TT03_2025)
    text = pdf_text(slips.stop_notice_pdf_for(stop), tmp_path)
    _form_head(text, "05", forms["05"].title)
    for field in [d.code, "Đất đang có tranh chấp", "dừng giải quyết hồ sơ nêu trên kể từ 10 giờ 00 phút, ngày 05/03/2026",
                  "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"]:
        assert field in text, field

    text = pdf_text(slips.register_pdf(desk["unit"], date(2026, 3, 2), date(2026, 3, 2)), tmp_path)
    _form_head(text, "07", forms["07"].title)
    for field in ["Mã hồ sơ", "Tên thủ tục hành chính", "Tên cá nhân, tổ chức", "Nhận hồ sơ", "Hẹn trả kết quả",
                  "Chuyển hồ sơ đến cơ quan giải quyết", "Trả kết quả cho cá nhân, tổ chức", d.code]:
        assert field in text, field


def test_refusal_at_reception_is_form_03_with_each_reason(desk, tmp_path):
    from motcua.dossiers.services import open_dossier
    from motcua.dossiers.models import Channel
    from tests.dossiers.test_slips import CITIZEN

    d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=CITIZEN, channel=Channel.DIRECT,
                     action=Action.REFUSE, actor=desk["reception"], at=f.at(2026, 3, 2, 9, 0),
                     reason="Thủ tục không thuộc thẩm quyền của đơn vị\nThiếu tờ khai")
    refusal = d.events.get(action=Action.REFUSE)
    assert refusal.data["form"] == "03" and refusal.data["form_version"] == legal_basis.TT03_2025
    text = pdf_text(slips.refusal_pdf_for(refusal), tmp_path)
    _form_head(text, "03", legal_basis.FORMS[legal_basis.TT03_2025]["03"].title)
    for field in [d.code, "Thủ tục không thuộc thẩm quyền của đơn vị", "Thiếu tờ khai", "Trần Thị Bích Ngọc"]:
        assert field in text, field


def test_a_dossier_of_2024_keeps_the_2018_forms_it_was_issued_with(desk, tmp_path):
    d = receive(desk, at=f.at(2024, 3, 4, 9, 0))
    received = d.events.get(action=Action.RECEIVE)
    assert received.data["form_version"] == legal_basis.TT01_2018

    receipt = pdf_text(slips.receipt_pdf(d), tmp_path)
    assert "Mẫu số 01 (Thông tư 01/2018/TT-VPCP)" in receipt and CIRCULAR_2025 not in receipt
    # The control sheet was Mẫu 05 in 2018 (its 06 is the 2025 number).
    control = pdf_text(slips.control_sheet_pdf(d), tmp_path)
    assert "Mẫu số 05 (Thông tư 01/2018/TT-VPCP)" in control and "Mẫu số 06" not in control
    report = DelayReport.objects.create(dossier=d, reason="Chờ xác minh", cause="x", remedy="y",
                                        new_appointment_at=f.at(2024, 3, 12, 16, 0), filed_by=desk["head"],
                                        filed_at=f.at(2024, 3, 6, 10, 0), form_version=legal_basis.TT01_2018)
    apology = pdf_text(slips.apology_pdf(report), tmp_path)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in apology and "Văn bản xin lỗi" not in apology

    # A stop issued today is a new document: the stop notice of 2025, which 2018 did not have.
    transition(d, Action.STOP, actor=desk["head"], at=f.at(2026, 3, 5, 10, 0), reason="Đất đang có tranh chấp")
    stop = pdf_text(slips.stop_notice_pdf_for(d.events.get(action=Action.STOP)), tmp_path)
    assert "Mẫu số 05 (Phụ lục I, Thông tư 03/2025/TT-VPCP)" in stop
    # …and the receipt printed again after all that is still the 2018 one.
    assert "Mẫu số 01 (Thông tư 01/2018/TT-VPCP)" in pdf_text(slips.receipt_pdf(d), tmp_path)


def test_an_event_recorded_before_versions_were_recorded_takes_the_set_of_its_day(desk):
    d = receive(desk, at=f.at(2025, 9, 12, 9, 0))
    event = d.events.get(action=Action.RECEIVE)
    event.data.pop("form_version")
    assert slips.event_form_version(event) == legal_basis.TT01_2018
    event.at = f.at(2025, 9, 15, 8, 0)
    assert slips.event_form_version(event) == legal_basis.TT03_2025
