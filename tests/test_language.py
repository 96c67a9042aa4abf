import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_vietnamese_even_for_an_english_browser(client):
    page = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "vi"
    assert "Đăng nhập" in page.content.decode()


def test_english_when_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/admin/login/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("admin:login"))
    assert page["Content-Language"] == "en" and "Log in" in page.content.decode()


def test_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(reverse("admin:login"))["Content-Language"] == "vi"
