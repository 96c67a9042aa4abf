import io as _io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.units.models import Officer


@pytest.fixture
def admin_client(client, db):
    user = Officer.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai")
    client.force_login(user)
    return client


@pytest.fixture
def procedures(make_procedure, decision):
    return [make_procedure("1.001234", decision=decision), make_procedure("1.000999")]


def test_procedure_changelist_and_filters(admin_client, procedures):
    url = reverse("admin:catalogue_procedure_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "1.001234" in response.content.decode()
    for query in ("?level__exact=province", "?status__exact=published", "?online_level__exact=partial",
                  "?field=H%E1%BB%99+t%E1%BB%8Bch", "?q=1.000999"):
        assert admin_client.get(url + query).status_code == 200


def test_procedure_change_and_add_pages(admin_client, procedures):
    response = admin_client.get(reverse("admin:catalogue_procedure_change", args=[procedures[0].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Thẩm định" in body and "23/2015/NĐ-CP" in body and "Tờ khai" in body
    assert admin_client.get(reverse("admin:catalogue_procedure_add")).status_code == 200


def test_decision_pages(admin_client, procedures, decision):
    assert admin_client.get(reverse("admin:catalogue_publicationdecision_changelist")).status_code == 200
    response = admin_client.get(reverse("admin:catalogue_publicationdecision_change", args=[decision.pk]))
    assert response.status_code == 200
    assert "1.001234" in response.content.decode()


def test_export_actions(admin_client, procedures):
    url = reverse("admin:catalogue_procedure_changelist")
    selected = [str(p.pk) for p in procedures]
    response = admin_client.post(url, {"action": "export_json_action", "_selected_action": selected})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="thu-tuc-')
    assert sorted(r["code"] for r in json.loads(response.content)) == ["1.000999", "1.001234"]

    response = admin_client.post(url, {"action": "export_xlsx_action", "_selected_action": selected[:1]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(_io.BytesIO(response.content), read_only=True)
    codes = [row[0] for row in workbook["Thủ tục"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["1.001234"]
    workbook.close()


def test_procedure_form_edits_subjects_as_checkboxes(procedures):
    from django.forms.models import model_to_dict

    from motcua.catalogue.admin import ProcedureForm

    proc = procedures[0]
    data = {k: v for k, v in model_to_dict(proc).items() if v is not None}
    data["subjects"] = ["organisation", "foreigner"]
    form = ProcedureForm(data, instance=proc)
    assert form.is_valid(), form.errors
    form.save()
    proc.refresh_from_db()
    assert proc.subjects == ["organisation", "foreigner"]
    data["subjects"] = ["martian"]
    assert "subjects" in ProcedureForm(data, instance=proc).errors
