"""The desk in the browser's terms: reception with uploads, actions, and who may see what."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalogue.models import Component, Fee
from motcua.dossiers.models import ComponentFile, Dossier, DossierEvent, PersonalDocument
from motcua.dossiers.transitions import Status
from motcua.units.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 scanned at the desk"


@pytest.fixture
def desk(client):
    dept = f.unit()
    procedure = f.procedure(agency=dept, time_limit="3")
    form = Component.objects.create(procedure=procedure, order=1, name="Tờ khai", original_count=1)
    card = Component.objects.create(procedure=procedure, order=2, name="Bản sao CCCD", copy_count=1,
                                    document_type=f.document_type())
    Fee.objects.create(procedure=procedure, name="Lệ phí", amount_vnd=50_000)
    people = {r: f.officer(dept, r) for r in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)}
    return {"unit": dept, "procedure": procedure, "form": form, "card": card, **people, "client": client}


def post_reception(desk, **extra):
    client = desk["client"]
    client.force_login(desk[Role.RECEPTION])
    data = {"procedure": desk["procedure"].pk, "channel": "direct", "applicant_kind": "individual",
            "applicant_name": "Ngô Thị G", "applicant_id": f.VALID_PID,
            f"file_{desk['form'].pk}": SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf"),
            f"file_{desk['card'].pk}": SimpleUploadedFile("cccd.pdf", PDF + b"2", "application/pdf"), **extra}
    return client.post(reverse("dossiers:receive"), data)


def test_reception_digitizes_every_component_and_computes_the_appointment(desk):
    page = post_reception(desk)
    dossier = Dossier.objects.get()
    assert page.status_code == 302 and page.url == reverse("dossiers:detail", args=[dossier.code])
    assert dossier.status == Status.RECEIVED and dossier.fee_total_vnd == 50_000
    assert dossier.appointment_at is not None and dossier.received_unit == desk["unit"]
    assert sorted(dossier.components.values_list("name", "digitized")) == [("Bản sao CCCD", True), ("Tờ khai", True)]
    assert ComponentFile.objects.count() == 2


def test_reception_refuses_bad_input_and_changes_nothing(desk):
    page = post_reception(desk, applicant_id="12345", **{f"file_{desk['card'].pk}": ""})
    assert page.status_code == 200
    text = page.content.decode()
    assert "12 chữ số" in text and "Thành phần bắt buộc" in text
    bad_type = post_reception(desk, **{f"file_{desk['form'].pk}": SimpleUploadedFile("x.exe", b"MZ", "application/x-msdownload")})
    assert "phải là tệp PDF, JPEG hoặc PNG" in bad_type.content.decode()
    assert Dossier.objects.count() == 0 and DossierEvent.objects.count() == 0


def test_reuse_from_the_applicants_store_is_flagged(desk):
    PersonalDocument.objects.create(owner_id=f.VALID_PID, name="Bản sao CCCD", path="components/aa/x", sha256="a" * 64,
                                    document_type=f.document_type())
    post_reception(desk, **{f"file_{desk['card'].pk}": "", f"reuse_{desk['card'].pk}": "on", "reuse_consent": "on"})
    card = Dossier.objects.get().components.get(name="Bản sao CCCD")
    assert card.reused and card.from_personal_store and card.digitized
    assert card.files.get().sha256 == "a" * 64


def test_reuse_without_a_stored_document_is_refused(desk):
    page = post_reception(desk, **{f"file_{desk['card'].pk}": "", f"reuse_{desk['card'].pk}": "on", "reuse_consent": "on"})
    assert "không có giấy tờ loại «Căn cước» để dùng lại" in page.content.decode()
    assert Dossier.objects.count() == 0


def test_actions_move_the_dossier_and_stale_pages_are_refused(desk):
    post_reception(desk)
    d = Dossier.objects.get()
    client = desk["client"]
    client.force_login(desk[Role.PROCESSING])
    url = reverse("dossiers:act", args=[d.code, "start_processing"])
    client.post(url, {"version": d.version, "assignee": desk[Role.PROCESSING].pk})
    d.refresh_from_db()
    assert d.status == Status.IN_PROCESS and d.assignee == desk[Role.PROCESSING]
    stale = client.post(reverse("dossiers:act", args=[d.code, "complete"]), {"version": 1}, follow=True)
    assert "người khác cập nhật" in stale.content.decode()
    assert Dossier.objects.get().status == Status.IN_PROCESS
    client.post(reverse("dossiers:act", args=[d.code, "request_supplement"]),
                {"version": d.version, "items": "Bản chính giấy khai sinh", "reason": "Thiếu giấy tờ"})
    d.refresh_from_db()
    assert d.status == Status.SUPPLEMENT_REQUESTED
    assert d.events.last().data["items"] == ["Bản chính giấy khai sinh"] and d.events.last().reason == "Thiếu giấy tờ"


def test_an_action_the_role_may_not_take_is_refused(desk):
    post_reception(desk)
    d = Dossier.objects.get()
    client = desk["client"]
    other = f.unit("SXD", "Sở Xây dựng")
    page = client.post(reverse("dossiers:act", args=[d.code, "transfer"]),
                       {"version": d.version, "to_unit": other.pk, "reason": "Sai thẩm quyền"}, follow=True)
    assert "Cán bộ tiếp nhận không được «Chuyển đơn vị (liên thông)»" in page.content.decode()
    assert Dossier.objects.get().status == Status.RECEIVED


def test_who_sees_the_desk_and_the_dossier(desk):
    post_reception(desk)
    d = Dossier.objects.get()
    client = desk["client"]
    client.logout()
    assert client.get(reverse("dossiers:desk")).url.startswith(reverse("login"))
    assert client.get(reverse("dossiers:detail", args=[d.code])).status_code == 302
    client.force_login(f.officer(f.unit("SXD", "Sở Xây dựng"), Role.HEAD))
    assert client.get(reverse("dossiers:detail", args=[d.code])).status_code == 404
    assert client.post(reverse("dossiers:act", args=[d.code, "stop"]), {"version": d.version, "reason": "x"}).status_code == 404
    assert d.code not in client.get(reverse("dossiers:desk")).content.decode()
    assert client.get(reverse("dossiers:receive")).status_code == 404  # only reception officers receive
    office = f.officer(f.unit("VPUB", "Văn phòng UBND tỉnh"), Role.PROVINCIAL_OFFICE)
    client.force_login(office)
    page = client.get(reverse("dossiers:detail", args=[d.code]))
    assert page.status_code == 200 and "Không có thao tác nào" in page.content.decode()
    assert client.post(reverse("dossiers:act", args=[d.code, "start_processing"]),
                       {"version": d.version, "assignee": office.pk}).status_code == 302
    assert Dossier.objects.get().status == Status.RECEIVED


def test_queues_order_the_most_urgent_first(desk):
    post_reception(desk)
    post_reception(desk)
    client = desk["client"]
    page = client.get(reverse("dossiers:desk") + "?hang=unit")
    rows = list(page.context["page"])
    assert [r.current_appointment_at for r in rows] == sorted(r.current_appointment_at for r in rows)
    assert page.context["current"] == "unit"


def test_refusal_at_the_desk_records_the_reasons_for_the_slip(desk):
    client = desk["client"]
    client.force_login(desk[Role.RECEPTION])
    base = {"procedure": desk["procedure"].pk, "channel": "direct", "applicant_kind": "individual",
            "applicant_name": "Ngô Thị G", "applicant_id": f.VALID_PID, "refuse": "1"}
    page = client.post(reverse("dossiers:receive"), base)
    assert "Cần ghi lý do từ chối" in page.content.decode() and Dossier.objects.count() == 0
    page = client.post(reverse("dossiers:receive"), {**base, "refusal_reasons": "Không thuộc thẩm quyền\nThiếu tờ khai"})
    d = Dossier.objects.get()
    assert page.status_code == 302 and d.status == Status.REFUSED and d.received_at is None
    assert d.events.get().reason == "Không thuộc thẩm quyền\nThiếu tờ khai"
    assert d.fee_total_vnd == 0 and not d.fee_obligations.exists()  # refused: no fee, as over the API
    slip = client.get(reverse("slips:dossier", args=[d.code, "03"]))
    assert slip.status_code == 200 and slip["Content-Type"] == "application/pdf"


def test_a_delay_report_from_the_dossier_page(desk, monkeypatch):
    from motcua.dossiers import slips
    from motcua.dossiers.models import DelayReport
    from motcua.workdays.services import province_calendar

    monkeypatch.setattr(slips, "apology_pdf", lambda report: b"%PDF-1.4 apology")
    post_reception(desk)
    d = Dossier.objects.get()
    client = desk["client"]
    client.force_login(desk[Role.PROCESSING])
    page = client.get(reverse("dossiers:detail", args=[d.code]))
    assert "Báo cáo chậm, xin lỗi và hẹn lại" in page.content.decode()
    url = reverse("dossiers:delay_report", args=[d.code])
    bad = client.post(url, {"reason": "", "cause": "x", "remedy": "y", "new_appointment_at": "2099-01-05T09:00"}, follow=True)
    assert "Lý do chậm" in bad.content.decode() and DelayReport.objects.count() == 0
    later = province_calendar().add(d.appointment_at, 3, "working_days").astimezone(f.VN)
    page = client.post(url, {"reason": "Chờ ý kiến liên ngành", "cause": "Hồ sơ phức tạp", "remedy": "Họp liên ngành",
                             "new_appointment_at": later.strftime("%Y-%m-%dT%H:%M")})
    report = DelayReport.objects.get()
    assert page.status_code == 302 and page.url == reverse("slips:apology", args=[report.pk])
    assert Dossier.objects.get().appointment_at == d.appointment_at


def test_the_desk_links_each_officer_to_the_other_work_they_may_open(desk):
    from motcua.units.models import UnitKind
    commune = f.unit("07627", "Xã Đông Phong", kind=UnitKind.COMMUNE)
    client = desk["client"]
    common = [reverse("feedback:queue"), reverse("catalogue:findings"), reverse("catalogue:decisions")]
    expected = {desk[Role.RECEPTION]: common,
                desk[Role.HEAD]: common + [reverse("payments:reconciliation")],
                f.officer(commune, Role.PROCESSING): common + [reverse("results:register")]}
    for officer, links in expected.items():
        client.force_login(officer)
        page = client.get(reverse("dossiers:desk")).content.decode()
        nav = page[page.index('aria-label="Công việc khác"'):]
        nav = nav[:nav.index("</nav>")]
        assert [href for href in links if f'href="{href}"' in nav] == links
        assert nav.count("href=") == len(links)
        assert all(client.get(href).status_code == 200 for href in links), officer
