"""The online submission form after a refused try: a summary of what to fix at the top, linking to
each field; what was typed and chosen kept; the chosen files staged and used on the next try."""
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.portal import staging
from tests import factories as f
from tests.portal.test_citizen import commune_procedure  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 to khai"


def post(client, proc, data, files=None):
    return client.post(reverse("portal:procedure", args=[proc.code]), {**data, **(files or {})})


def fields(proc, place, **extra):
    return {"unit": place.pk, "applicant_kind": "individual", "applicant_name": "Đinh Văn H",
            "applicant_id": f.VALID_PID, "applicant_email": "h@example.vn", **extra}


def staged_token(page: str) -> str:
    return re.search(r'name="staged" value="([^"]*)"', page).group(1)


def test_a_refused_try_summarises_keeps_values_and_stages_the_file(commune_procedure, client):  # noqa: F811
    proc, commune = commune_procedure["procedure"], commune_procedure["commune"]
    component = proc.components.get()
    upload = {f"file_{component.pk}": SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")}
    page = post(client, proc, fields(proc, commune, applicant_id="abc"), upload).content.decode()
    summary = re.search(r'<div class="error-summary card" id="error-summary" role="alert" tabindex="-1" autofocus>'
                        r"(.*?)</div>", page, re.S).group(1)
    assert '<a href="#id_applicant_id">' in summary and "12 chữ số" in summary
    assert page.index('id="error-summary"') < page.index("Hướng dẫn thực hiện")  # at the top, not below the form
    assert 'value="Đinh Văn H"' in page and 'value="h@example.vn"' in page
    assert f'<option value="{commune.pk}" selected>' in page
    assert "Đã chọn: <strong>to-khai.pdf</strong>" in page and f'name="keep_{component.pk}" value="1" checked' in page
    assert Dossier.objects.count() == 0
    # The next try, without choosing the file again.
    done = post(client, proc, fields(proc, commune, staged=staged_token(page), **{f"keep_{component.pk}": "1"}))
    assert done.status_code == 302
    stored = Dossier.objects.get().components.get().files.get()
    with default_storage.open(stored.path, "rb") as kept:
        assert kept.read() == PDF


def test_a_file_dropped_or_a_forged_token_is_not_used(commune_procedure, client):  # noqa: F811
    proc, commune = commune_procedure["procedure"], commune_procedure["commune"]
    component = proc.components.get()
    upload = {f"file_{component.pk}": SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")}
    token = staged_token(post(client, proc, fields(proc, commune, applicant_id="abc"), upload).content.decode())
    dropped = post(client, proc, fields(proc, commune, staged=token)).content.decode()  # "giữ" unticked
    assert "Thành phần bắt buộc" in dropped and Dossier.objects.count() == 0
    forged = post(client, proc, fields(proc, commune, staged=token[:-3] + "abc",
                                       **{f"keep_{component.pk}": "1"})).content.decode()
    assert "Thành phần bắt buộc" in forged and Dossier.objects.count() == 0


def test_staged_files_expire(commune_procedure, client, monkeypatch):  # noqa: F811
    proc, commune = commune_procedure["procedure"], commune_procedure["commune"]
    component = proc.components.get()
    upload = {f"file_{component.pk}": SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")}
    token = staged_token(post(client, proc, fields(proc, commune, applicant_id="abc"), upload).content.decode())
    path = next(iter(staging.read(token).values())).path
    assert default_storage.exists(path)
    monkeypatch.setattr(staging, "MAX_AGE", staging.MAX_AGE * -1)
    assert staging.read(token) == {}
    staging.purge_expired()
    assert not default_storage.exists(path)


def test_a_missing_place_is_in_the_summary_and_a_phone_with_spaces_is_accepted(commune_procedure, client):  # noqa: F811
    proc, commune = commune_procedure["procedure"], commune_procedure["commune"]
    component = proc.components.get()
    missing = post(client, proc, fields(proc, commune, unit=""), {
        f"file_{component.pk}": SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")}).content.decode()
    assert '<a href="#id_unit">Nơi nộp: hãy chọn nơi nộp hồ sơ.</a>' in missing
    done = post(client, proc, fields(proc, commune, applicant_phone="0912 345.678", staged=staged_token(missing),
                                     **{f"keep_{component.pk}": "1"}))
    assert done.status_code == 302 and Dossier.objects.get().applicant_phone == "0912345678"
