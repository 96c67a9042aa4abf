"""The desk as a working tool: a queue for every stage of the day (to sign, to return included),
search in any case, pagination, an Excel export, the uploaded files and the draft result."""
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.dossiers import selectors
from motcua.dossiers.models import ComponentFile, Dossier
from motcua.dossiers.transitions import Status
from motcua.results import services
from motcua.units.models import Role
from tests import factories as f
from tests.dossiers.test_desk_views import PDF, desk, post_reception  # noqa: F401  (fixture)
from tests.results.conftest import desk as signing_desk  # noqa: F401  (fixture)
from tests.results.test_services import in_process

pytestmark = pytest.mark.django_db


def codes(page) -> list[str]:
    return [d.code for d in page.context["page"]]


def test_a_completed_document_result_waits_in_to_sign_then_in_to_return(client, signing_desk):
    d = in_process(signing_desk)
    services.complete(d, actor=signing_desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    head, reception = signing_desk["head"], signing_desk["reception"]
    client.force_login(head)
    page = client.get(reverse("dossiers:desk"))  # the head's day starts with what awaits the signature
    assert page.context["current"] == "to_sign" and codes(page) == [d.code]
    assert d.code not in codes(client.get(reverse("dossiers:desk") + "?hang=to_return"))
    detail = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    draft = reverse("results:officer_draft", args=[d.code])
    assert draft in detail and "data-confirm" in detail  # the head reads the draft, then confirms signing
    preview = client.get(draft)
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert b"".join(preview.streaming_content).startswith(b"%PDF")
    assert "inline" in preview["Content-Disposition"]

    services.sign_result(Dossier.objects.get(pk=d.pk), actor=head, at=f.at(2026, 3, 3, 10, 0))
    client.force_login(reception)
    assert codes(client.get(reverse("dossiers:desk") + "?hang=to_return")) == [d.code]
    assert d.code not in codes(client.get(reverse("dossiers:desk") + "?hang=to_sign"))


def test_another_units_officer_sees_neither_the_queue_row_nor_the_draft(client, signing_desk):
    d = in_process(signing_desk)
    services.complete(d, actor=signing_desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    stranger = f.officer(f.unit("SXD", "Sở Xây dựng"), Role.HEAD)
    client.force_login(stranger)
    assert codes(client.get(reverse("dossiers:desk") + "?hang=all")) == []
    assert client.get(reverse("results:officer_draft", args=[d.code])).status_code == 404


def test_search_finds_by_code_in_any_case_name_identifier_and_procedure(desk):
    post_reception(desk)
    d = Dossier.objects.get()
    client = desk["client"]
    for text in (d.code.lower(), d.code, "ngô thị", f.VALID_PID, desk["procedure"].name[:6], desk["procedure"].code):
        page = client.get(reverse("dossiers:desk"), {"hang": "all", "q": text})
        assert codes(page) == [d.code], text
    assert codes(client.get(reverse("dossiers:desk"), {"hang": "all", "q": "không có ai"})) == []


def test_long_lists_are_paginated_not_cut(desk, monkeypatch):
    monkeypatch.setattr("motcua.desk.views.DESK_PAGE_SIZE", 2)
    for _ in range(5):
        post_reception(desk)
    client = desk["client"]
    seen = []
    for number in (1, 2, 3):
        page = client.get(reverse("dossiers:desk"), {"hang": "received", "trang": number})
        seen += codes(page)
    assert sorted(seen) == sorted(Dossier.objects.values_list("code", flat=True)) and len(seen) == 5
    text = client.get(reverse("dossiers:desk"), {"hang": "received"}).content.decode()
    assert "Trang 1/3" in text and "5 hồ sơ" in text


def test_the_desk_list_downloads_as_excel_with_every_row(desk):
    for _ in range(3):
        post_reception(desk)
    response = desk["client"].get(reverse("dossiers:desk"), {"hang": "received", "xlsx": 1})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert sorted(r[0] for r in rows) == sorted(Dossier.objects.values_list("code", flat=True))
    assert {r[2] for r in rows} == {"Ngô Thị G"} and {r[4] for r in rows} == {Dossier.objects.first().get_status_display()}


def test_every_queue_counts_what_it_lists(desk):
    post_reception(desk)
    user = desk[Role.RECEPTION]
    counts = selectors.queue_counts(user)
    for key in selectors.QUEUES:
        assert counts[key] == len(list(selectors.queue(user, key))), key
    assert counts["received"] == counts["unit"] == counts["all"] == 1 and counts["to_sign"] == 0


def test_officers_open_every_uploaded_file_inline_or_as_a_download(desk):
    post_reception(desk)
    d = Dossier.objects.get()
    client = desk["client"]
    client.force_login(desk[Role.PROCESSING])
    detail = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    files = ComponentFile.objects.filter(component__dossier=d)
    assert files.count() == 2
    for stored in files:
        url = reverse("dossiers:component_file", args=[d.code, stored.pk])
        assert url in detail
        shown = client.get(url)
        assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
        assert shown["Content-Disposition"].startswith("inline")
        assert b"".join(shown.streaming_content).startswith(PDF)
        download = client.get(url, {"tai": 1})
        assert download["Content-Disposition"].startswith("attachment") and stored.original_name in download[
            "Content-Disposition"]
    other = Dossier.objects.exclude(pk=d.pk)
    assert not other.exists()
    stranger = f.officer(f.unit("SXD", "Sở Xây dựng"), Role.PROCESSING)
    client.force_login(stranger)
    assert client.get(reverse("dossiers:component_file", args=[d.code, files[0].pk])).status_code == 404


def test_the_api_lists_the_new_queues_and_searches(desk):
    post_reception(desk)
    d = Dossier.objects.get()
    client = desk["client"]
    client.force_login(desk[Role.RECEPTION])
    body = client.get("/api/v1/dossiers", {"queue": "all", "q": d.code.lower()}).json()
    assert [i["code"] for i in body["items"]] == [d.code] and body["count"] == 1
    assert {q["key"] for q in body["queues"]} >= {"to_sign", "to_return", "in_process", "received", "all"}


def test_the_status_of_a_dossier_in_to_return_is_processed(desk):
    assert selectors.QUEUES["to_return"].statuses == (Status.PROCESSED,)
    assert selectors.QUEUES["to_sign"].statuses == (Status.PROCESSED,)


def test_computing_the_index_leaves_the_desk_search_case_insensitive(desk):
    """Ibis borrows Django's SQLite connection and turned its LIKE case-sensitive for good."""
    from motcua.index.live import live_inputs

    post_reception(desk)
    d = Dossier.objects.get()
    live_inputs()
    assert list(selectors.search(Dossier.objects.all(), d.code.lower())) == [d]
