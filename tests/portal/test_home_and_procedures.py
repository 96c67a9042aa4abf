"""The public front door: a landing page with the citizen's tasks, and a procedure list with filters,
pagination and Vietnamese alphabetical order."""
import pytest
from django.urls import reverse

from motcua.catalogue.models import Procedure
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_landing_page_leads_to_every_task(client):
    page = client.get("/")
    assert page.status_code == 200
    text = page.content.decode()
    for label, url in [("Nộp hồ sơ trực tuyến", "/dich-vu-cong/"), ("Tra cứu hồ sơ", "/tra-cuu/"),
                       ("Thanh toán phí, lệ phí", "/tra-cuu/"), ("Xác thực kết quả", "/verify/"),
                       ("Phản ánh, kiến nghị", "/phan-anh/"), ("Chỉ số phục vụ", "/chi-so/")]:
        assert f'<a href="{url}">{label}</a>' in text, label
    for url in ("/phan-anh/", "/verify/"):  # linked from every public page's header too
        assert f'href="{url}"' in client.get("/dich-vu-cong/").content.decode()


@pytest.fixture
def catalogue():
    stp, sxd = f.unit("STP", "Sở Tư pháp"), f.unit("SXD", "Sở Xây dựng")
    names = ["Đăng ký khai sinh", "Cấp phiếu lý lịch tư pháp", "Ăn uống an toàn", "Xác nhận tình trạng hôn nhân",
             "Đăng ký kết hôn", "Dời mộ", "Âm thanh công cộng"]
    for i, name in enumerate(names):
        f.procedure(code=f"1.00{i:04d}", name=name, agency=stp if i % 2 else sxd,
                    field="Hộ tịch" if "Đăng ký" in name else "Khác", online_level="full" if i < 3 else "partial")
    return names


def shown(page) -> list[str]:
    return [p.name for p in page.context["page"]]


def test_procedures_in_vietnamese_alphabetical_order_a_page_at_a_time(client, catalogue, monkeypatch):
    monkeypatch.setattr("motcua.portal.views.PROCEDURES_PAGE_SIZE", 3)
    first = client.get(reverse("portal:procedures"))
    names = shown(first) + shown(client.get(reverse("portal:procedures"), {"trang": 2})) + shown(
        client.get(reverse("portal:procedures"), {"trang": 3}))
    assert names == ["Ăn uống an toàn", "Âm thanh công cộng", "Cấp phiếu lý lịch tư pháp", "Dời mộ",
                     "Đăng ký kết hôn", "Đăng ký khai sinh", "Xác nhận tình trạng hôn nhân"]  # a ă â … d đ
    assert "7 thủ tục" in first.content.decode() and "Trang 1/3" in first.content.decode()


def test_filters_narrow_by_field_level_unit_and_online_level(client, catalogue):
    def names(**query):
        return shown(client.get(reverse("portal:procedures"), query))

    assert names(linh_vuc="Hộ tịch") == ["Đăng ký kết hôn", "Đăng ký khai sinh"]
    assert names(don_vi="STP") == [n for n in names() if n in catalogue[1::2]]
    assert names(truc_tuyen="full") == sorted(catalogue[:3], key=names().index)
    assert names(truc_tuyen="full", q="an toan") == ["Ăn uống an toàn"]
    assert names(cap="commune") == []
    page = client.get(reverse("portal:procedures"), {"linh_vuc": "Hộ tịch", "trang": "x"})
    assert page.status_code == 200 and Procedure.objects.count() == 7
