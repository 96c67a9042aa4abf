"""The local receiver's endpoint: POST JSON → the answer of `receiver.handle`."""
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from motcua.integrations import receiver


@csrf_exempt  # a machine-to-machine endpoint authenticated by its bearer token
def receive_status_change(request):
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
