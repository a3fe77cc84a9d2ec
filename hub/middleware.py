from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from hub import pagecache


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


class PageCacheMiddleware:
    """Serves anonymous visitors' public pages from the shared page cache (hub/pagecache.py).

    Placed right after WhiteNoise: a hit reads two keys (the generation and the page) in one
    round trip, runs no SQL and skips the rest of the stack. A miss renders normally and
    stores the answer, tagged with the generation read before rendering, when
    ``pagecache.response_is_storable`` allows it. ``X-Cache`` says which happened.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = frozenset(code for code, _name in settings.LANGUAGES)

    def __call__(self, request):
        if not pagecache.lifetime() or not pagecache.request_is_cacheable(request):
            return self.get_response(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        key = pagecache.page_key(request.scheme, request.META.get("HTTP_HOST", ""),
                                 request.get_full_path(), language)
        cache = pagecache.store()
        found = cache.get_many([pagecache.GENERATION_KEY, key])
        generation = found.get(pagecache.GENERATION_KEY)
        entry = found.get(key)
        if generation is not None and entry is not None and entry[0] == generation:
            return _from_entry(entry, head=request.method == "HEAD")
        if generation is None:
            generation = pagecache.current_generation(cache)
        response = self.get_response(request)
        response.headers["X-Cache"] = "miss"
        if generation is not None and pagecache.response_is_storable(request, response):
            ttl = pagecache.entry_ttl(response)
            if ttl > 0:
                cache.set(key, (generation, pagecache.stored_headers(response), response.content),
                          ttl)
        return response


def _from_entry(entry, *, head: bool) -> HttpResponse:
    _generation, headers, content = entry
    response = HttpResponse(b"" if head else content)
    for name, value in headers:
        response.headers[name] = value
    response.headers["X-Cache"] = "hit"
    return response
