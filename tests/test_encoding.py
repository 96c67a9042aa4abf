"""Input that is not UTF-8 is refused with a clear message, on the pages as in the API (its own
tests: tests/api/test_upload_types.py), never stored with "�" in place of its bytes."""
import pytest
from django.urls import reverse

from motcua.encoding import non_utf8_fields
from motcua.feedback.models import Petition
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_fields_that_are_not_utf8_are_named():
    assert non_utf8_fields(b"a=1&b=%C3%B4&c=h%F4&d%FF=x&e") == ["c", "d\ufffd"]
    assert non_utf8_fields(b"") == [] and non_utf8_fields(b"q=+%E1%BB%8B+") == []


def test_a_latin1_petition_is_refused_and_nothing_is_stored(client):
    unit = f.unit()
    body = ("unit=%d&category=procedure&title=G%%F3p+%%FD&content=Ch%%E2m&petitioner_name=Ng%%F4"
            "&petitioner_phone=0912345678" % unit.pk).encode()
    response = client.post(reverse("feedback:submit"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == ("Dữ liệu gửi lên không phải văn bản UTF-8 hợp lệ (trường: title, content, "
                                         "petitioner_name); hãy nhập lại bằng bộ gõ tiếng Việt Unicode.")
    assert Petition.objects.count() == 0
    utf8 = body.replace(b"G%F3p+%FD", b"G%C3%B3p+%C3%BD").replace(b"Ch%E2m", b"Ch%C3%A2m").replace(b"Ng%F4",
                                                                                                   b"Ng%C3%B4")
    accepted = client.post(reverse("feedback:submit"), utf8, content_type="application/x-www-form-urlencoded")
    assert accepted.status_code == 302 and Petition.objects.get().petitioner_name == "Ngô"


def test_a_latin1_search_is_refused(client):
    response = client.get(reverse("portal:procedures") + "?q=h%F4+t%EDch")
    assert response.status_code == 400 and "trường: q" in response.content.decode()
    assert client.get(reverse("portal:procedures") + "?q=h%C3%B4").status_code == 200
