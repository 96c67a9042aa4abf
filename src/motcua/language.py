"""Vietnamese first: the language is the one the user chose (cookie), else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an officer on an
English-language browser would get English pages; here English is only ever chosen explicitly.
"""
from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
