"""Security headers: a Content-Security-Policy without inline script, and no inline script left in
any template to need one; the production cookie and TLS settings are checked by `check --deploy`
(test_start.py) and on the real server by deploy/smoke.sh."""
import re
from pathlib import Path

import pytest

import motcua

TEMPLATES = sorted(Path(motcua.__file__).parent.rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/dich-vu-cong/", "/dang-nhap/", "/tra-cuu/"])
def test_pages_carry_a_policy_without_inline_script(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_an_inline_script_or_event_handler():
    assert len(TEMPLATES) > 50
    offenders = [f"{path.name}: {match.group(0)}" for path in TEMPLATES
                 for match in INLINE_SCRIPT.finditer(path.read_text())]
    assert offenders == []


def test_the_month_picker_submits_through_the_site_script():
    script = (Path(motcua.__file__).parent / "static" / "motcua" / "site.js").read_text()
    assert "select[data-auto-submit]" in script
    overview = next(p for p in TEMPLATES if p.name == "overview.html" and "index" in p.parts)
    assert 'name="ky" data-auto-submit' in overview.read_text()


def test_form_posts_may_go_on_to_the_configured_payment_pages(tmp_path):
    from tests.production.environment import production_env
    from tests.production.test_start import run

    show = "import django; django.setup(); from django.conf import settings as s; " \
           "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    done = run(production_env(tmp_path), code=show)
    assert done.stdout.strip() == str(["'self'", "https://pay.vnpay.example", "https://thanhtoan.dichvucong.example.gov.vn"])
