"""The 429 page: for a refused public request and for a login locked by django-axes."""
from django.conf import settings
from django.shortcuts import render

from motcua.limits.limiter import Throttled, wait_words

LOCKED_OUT = ("Tài khoản hoặc địa chỉ này đã đăng nhập sai quá nhiều lần và tạm bị khóa. "
              "Vui lòng thử lại sau {wait}, hoặc liên hệ quản trị hệ thống để mở khóa.")


def throttled(request, exc: Throttled):
    response = render(request, "limits/throttled.html", {"message": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): the 429 page for the whole cool-off."""
    seconds = int(settings.AXES_COOLOFF_TIME * 3600)
    return throttled(request, Throttled(seconds, LOCKED_OUT.format(wait=wait_words(seconds))))
