"""The OpenAPI document, the docs page, and the error shape whatever the caller's language."""
import pytest
from django.conf import settings
from django.core.validators import EmailValidator
from django.utils import translation

from motcua.units.models import Role
from tests.api.conftest import API, as_officer

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_describes_every_endpoint(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    schema = response.json()
    assert schema["openapi"].startswith("3.") and schema["info"]["version"] == "1"
    operations = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
    assert operations == {
        ("GET", f"{API}/procedures"), ("GET", f"{API}/procedures/{{code}}"), ("POST", f"{API}/submissions"),
        ("GET", f"{API}/lookup"), ("POST", f"{API}/lookup/withdraw"), ("POST", f"{API}/lookup/supplement"),
        ("POST", f"{API}/lookup/withdraw/code"),
        ("GET", f"{API}/dossiers"), ("POST", f"{API}/dossiers"), ("GET", f"{API}/dossiers/{{code}}"),
        ("POST", f"{API}/dossiers/{{code}}/actions/{{action}}"), ("POST", f"{API}/dossiers/{{code}}/result"),
        ("GET", f"{API}/units"),
    }
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    officer_only = schema["paths"][f"{API}/dossiers"]["get"]
    assert officer_only["security"] and "401" in officer_only["responses"]
    assert "security" not in schema["paths"][f"{API}/lookup"]["get"]
    uploads = schema["paths"][f"{API}/submissions"]["post"]["requestBody"]["content"]
    assert set(uploads["multipart/form-data"]["schema"]["properties"]) >= {"files", "component_ids", "unit_id"}


def test_no_docs_page_loads_assets_from_a_cdn(client):
    response = client.get(f"{API}/docs")
    if "ninja" in settings.INSTALLED_APPS:
        assert response.status_code == 200 and "cdn" not in response.content.decode().lower()
    else:
        assert response.status_code == 404


def test_errors_stay_vietnamese_for_an_english_speaking_officer(world):
    client = as_officer(world[Role.RECEPTION])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"{API}/dossiers/STP-000000-0001")
    assert response.status_code == 404 and response.json()["error"]["message"] == "Không tìm thấy hồ sơ."
    bad = client.post(f"{API}/dossiers", {"procedure_code": world["procedure"].code, "channel": "direct",
                                          "applicant_kind": "individual", "applicant_name": "A",
                                          "applicant_id": "024090001234", "applicant_email": "nope"})
    assert bad.status_code == 400
    with translation.override("vi"):
        vietnamese = str(EmailValidator.message)
    assert bad.json()["error"]["fields"]["applicant_email"] == [vietnamese] != [str(EmailValidator.message)]
