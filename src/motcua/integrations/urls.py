"""Mounted by the project as `path("_quoc-gia/", include("motcua.integrations.urls"))`."""
from django.urls import path

from motcua.integrations import views

app_name = "integrations"
urlpatterns = [
    path("dong-bo/", views.receive_status_change, name="national-receiver"),
]
