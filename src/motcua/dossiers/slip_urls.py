"""URLs of the one-stop forms as PDFs. Included under `mot-cua/` by the project's urls.py:

    path("mot-cua/", include("motcua.dossiers.slip_urls")),
"""
from django.urls import path, re_path

from motcua.dossiers import slip_views

app_name = "slips"

urlpatterns = [
    re_path(r"^ho-so/(?P<code>[A-Za-z0-9._-]+)/phieu/(?P<form>0[1-7])\.pdf$", slip_views.dossier_slip,
            name="dossier"),
    path("bao-cao-cham/<int:pk>/phieu-04.pdf", slip_views.apology_slip, name="apology"),
    path("so-theo-doi.pdf", slip_views.register, name="register"),
]
