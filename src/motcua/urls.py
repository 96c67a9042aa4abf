from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "motcua — Hệ thống Một cửa"
admin.site.site_title = "motcua"
admin.site.index_title = "Quản trị"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the explicit choice of English
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
