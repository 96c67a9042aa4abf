"""The local receiver's endpoint: POST JSON → the answer of `receiver.handle`. It exists only with
MOTCUA_NATIONAL_STAND_IN on (development); otherwise every address under /_quoc-gia/ is a 404."""
from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from motcua.integrations import receiver


@csrf_exempt  # a machine-to-machine endpoint authenticated by its bearer token
def receive_status_change(request):
    if not settings.MOTCUA_NATIONAL_STAND_IN:
        raise Http404
    if request.method != "POST":
        response = JsonResponse({"ok": False, "errors": [{"field": None, "code": "method_not_allowed",
                                                          "message": "Chỉ nhận POST."}]}, status=405)
        response["Allow"] = "POST"
        return response
    answer = receiver.handle(request.body, request.headers.get("Authorization"))
    response = JsonResponse(answer.body, status=answer.status, json_dumps_params={"ensure_ascii": False})
    for name, value in answer.headers:
        response[name] = value
    return response
