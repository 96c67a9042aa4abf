"""The project's URLs with the API mounted at /api/v1/, whether or not urls.py mounts it yet."""
from django.urls import path

from motcua import urls as project
from motcua.api import api

_mounted = any(str(getattr(p, "pattern", "")) == "api/v1/" for p in project.urlpatterns)
urlpatterns = list(project.urlpatterns) if _mounted else [path("api/v1/", api.urls), *project.urlpatterns]
