from django.urls import path

from motcua.index import dashboard_views as views

app_name = "index_dashboard"
urlpatterns = [
    path("chi-so/", views.dashboard, name="dashboard"),
    path("chi-so/tinh-ngay/", views.compute_current, name="compute_current"),
    path("chi-so/lap-bao-cao/", views.make_report, name="make_report"),
    path("chi-so/quoc-gia/", views.national_position, name="national"),
    path("chi-so/bao-cao/<str:period>/lan-<int:revision>.<str:extension>", views.report_file, name="report_file"),
    path("chi-so/bo-tai-lieu-truyen-thong.pdf", views.toolkit, name="toolkit"),
    path("chi-so/don-vi/", views.my_unit, name="my_unit"),
    path("ho-tro/", views.support_register, name="support"),
    path("ho-tro/<int:pk>/tra-loi/", views.support_answer, name="support_answer"),
]
