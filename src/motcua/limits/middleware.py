from motcua.limits.limiter import Throttled
from motcua.limits.views import throttled


class ThrottledMiddleware:
    """A page refused by the limits (`Throttled` raised in a view) is answered with the 429 page.
    The API answers its own 429 (its exception handler, in the API's error shape)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Throttled):
            return throttled(request, exception)
        return None
