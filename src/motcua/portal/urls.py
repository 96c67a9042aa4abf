from django.urls import path, re_path

from motcua.portal import index_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("dich-vu-cong/", views.procedures, name="procedures"),
    path("dich-vu-cong/<str:code>/", views.procedure, name="procedure"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/bo-sung/", views.supplement, name="supplement"),
    path("tra-cuu/phieu-02/<int:seq>.pdf", views.supplement_slip, name="supplement_slip"),
    path("tra-cuu/phieu-04/<int:pk>.pdf", views.apology_slip, name="apology_slip"),
    re_path(r"^tra-cuu/phieu-(?P<form>0[1-5])\.pdf$", views.slip, name="slip"),
    path("tra-cuu/rut-ho-so/", views.withdraw, name="withdraw"),
    path("tra-cuu/rut-ho-so/ma-xac-nhan/", views.withdrawal_code, name="withdrawal_code"),
    path("chi-so/", index_views.overview, name="index_overview"),
    path("chi-so/du-lieu-mo/", index_views.open_data, name="index_open_data"),
    path("chi-so/du-lieu-mo/<str:period>/lan-<int:revision>.<str:extension>", index_views.open_data_file,
         name="index_open_data_file"),
    path("chi-so/xac-minh/", index_views.verify, name="index_verify"),
    path("chi-so/<str:period>/<slug:kind>/", index_views.ranking, name="index_ranking"),
    path("chi-so/<str:period>/don-vi/<str:code>/", index_views.scorecard, name="index_scorecard"),
]
