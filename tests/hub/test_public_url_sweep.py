"""Every public URL pattern, listed from the resolver (not by hand, so a new one is swept too),
as an anonymous visitor with odd path ids, odd query values and every method: never a 500.

The full sweep (every pattern and live page of the demo data, 17 parameters × 8 values, odd
headers) is run by hand; this is its compact version for the suite.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Staff and API surfaces are swept by their own tests (scoped sweeps, the API's fuzzing).
SKIP = ("admin/", "django-admin/", "api/", "__debug__", "static/", "media/")
ODD_IDS = ["99999999999999999999", "%C3%B1%00"]
ODD_QUERIES = ["page=-1", "page=0", "page=" + "9" * 30, "page=", "page=x", "page=1&page=2",
               "pagina=%00", "pagina=%D9%A2", "q=" + "x" * 3000]


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def public_urls() -> list[str]:
    urls = []
    for route in _routes(get_resolver().url_patterns):
        route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".")
        if route.startswith(SKIP):
            continue
        for odd in ODD_IDS:
            url = re.sub(r"\(\?P<[^>]+>[^)]*\)", odd, re.sub(r"<(?:[a-z]+:)?[a-z_]+>", odd, route))
            if not re.search(r"[()?*+\[\]]", url):
                urls.append("/" + url)
    return sorted(set(urls))


def _status(response) -> int:
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response.status_code


def test_no_public_url_answers_500_to_odd_ids_queries_or_methods(site):
    client = Client(raise_request_exception=False)
    urls = public_urls()
    assert len(urls) > 100  # the resolver was read
    failures = []
    for index, url in enumerate(urls):
        for method in ("head", "options", "delete") if index % 2 else ("put", "post"):
            if _status(getattr(client, method)(url)) >= 500:
                failures.append((method, url))
        if _status(client.get(f"{url}?{ODD_QUERIES[index % len(ODD_QUERIES)]}")) >= 500:
            failures.append((url, ODD_QUERIES[index % len(ODD_QUERIES)]))
    for url in ["/", "/buscar/", "/calendario/", "/calendario.ics", "/instituciones/", "/oai/",
                "/datos/eventos.json", "/datos/eventos.csv", "/revista/feed/rss/", "/sitemap.xml"]:
        for query in ODD_QUERIES:
            if _status(client.get(f"{url}?{query}")) >= 500:
                failures.append((url, query))
        for headers in ({"HTTP_ACCEPT_LANGUAGE": "xx-ZZ;q=abc,\x00"},
                        {"HTTP_COOKIE": "django_language=zz\x01; sessionid=" + "x" * 4000}):
            if _status(client.get(url, **headers)) >= 500:
                failures.append((url, headers))
    assert failures == []
