"""The test URLconf: the integrations' URLs mounted as the project mounts them, plus a broken endpoint."""
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def broken(request):
    return HttpResponse("Internal Server Error", status=500, content_type="text/plain")


urlpatterns = [
    path("_quoc-gia/", include("motcua.integrations.urls")),
    path("_thu/loi-500/", broken),
]
