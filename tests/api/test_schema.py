"""The OpenAPI document, the docs page, and the error shape whatever the caller's language."""
import typing

import pytest
from django.conf import settings
from django.core.validators import EmailValidator
from django.utils import translation
from pydantic import BaseModel

from motcua.api import api

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


def _models_in(annotation, found: set) -> None:
    """Every pydantic model an annotation names, however nested (lists, unions, dicts)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in found:
            found.add(annotation)
            for field in annotation.model_fields.values():
                _models_in(field.annotation, found)
    for argument in typing.get_args(annotation):
        _models_in(argument, found)


def _api_models() -> set[type[BaseModel]]:
    found: set = set()
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    _models_in(model, found)
    return found


def test_every_schema_name_is_one_class_and_its_component_is_that_class(client):
    """Two schema classes of one name (e.g. a `ComponentOut` in the desk API and another in the public
    one) are one component in the document: one operation then documents the other's fields."""
    components = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    by_name: dict[str, list] = {}
    for model in _api_models():
        if model.__name__ in components:
            by_name.setdefault(model.__name__, []).append(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(classes) for name, classes in by_name.items() if len(classes) > 1}
    assert not clashes, f"schema names used by more than one class: {clashes}"
    assert set(by_name) == set(components), "a component the API's classes do not explain"
    for model in _api_models():
        if model.__name__ in components:
            served = set(components[model.__name__].get("properties", {}))
            assert served == {f.alias or name for name, f in model.model_fields.items()}, model.__name__


def test_the_procedure_component_describes_the_procedure(client, world):
    """`/procedures/{code}` answers what its schema says: each component with its counts, each unit
    without a kind, each step with its share."""
    schema = client.get(f"{API}/openapi.json").json()
    components = schema["components"]["schemas"]
    answer = schema["paths"][f"{API}/procedures/{{code}}"]["get"]["responses"]["200"]
    procedure = components[answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]

    def item_fields(name):
        return set(components[procedure["properties"][name]["items"]["$ref"].rsplit("/", 1)[1]]["properties"])

    body = client.get(f"{API}/procedures/{world['procedure'].code}").json()
    for name in ("components", "units", "steps", "fees", "methods"):
        for item in body[name]:
            assert set(item) == item_fields(name), name
    assert item_fields("components") >= {"original_count", "copy_count", "required"}
    assert "kind" not in item_fields("units")
