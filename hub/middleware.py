from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class SpanishFirstLocaleMiddleware:
    """Spanish (es-MX) for everyone unless they chose another language with the switcher.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: the public
    site is Spanish first, and English is an explicit choice kept in the language cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        # override(), not activate(): the language must not outlive the request on this
        # thread (a worker thread, or the next test, would inherit it).
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
