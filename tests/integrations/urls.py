"""The test URLconf: the project's URLs (the notices an event queues link to the tracking page),
plus a broken endpoint."""
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def broken(request):
    return HttpResponse("Internal Server Error", status=500, content_type="text/plain")


urlpatterns = [
    path("_thu/loi-500/", broken),
    path("", include("motcua.urls")),
]
