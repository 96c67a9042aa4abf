from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from motcua.operations import health
from motcua.api import api

admin.site.site_header = "motcua — Hệ thống Một cửa"
admin.site.site_title = "motcua"
admin.site.index_title = "Quản trị"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the explicit choice of English
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-cua/danh-muc/", include("motcua.catalogue.urls")),  # findings, publication decisions
    path("mot-cua/", include("motcua.desk.urls")),
    path("mot-cua/", include("motcua.dossiers.slip_urls")),
    path("_quoc-gia/", include("motcua.integrations.urls")),  # the national portal's stand-in: 404 unless MOTCUA_NATIONAL_STAND_IN
    path("healthz", health.healthz, name="healthz"),  # database reachable, worker heartbeat fresh (JSON)
    path("api/v1/", api.urls),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("", include("motcua.feedback.urls")),  # ratings, petitions (/phan-anh/, /mot-cua/phan-anh/)
    path("quan-ly/", include("motcua.index.dashboard_urls")),  # index dashboard, reports, support hotline
    path("chi-so/", include("motcua.index.urls")),  # drill-down of an indicator, gains of open dossiers
    path("", include("motcua.results.urls")),  # /verify/<code>/ (alias /xac-thuc/), signed results
    path("", include("motcua.portal.urls")),  # "/" is the citizen's landing page
]
