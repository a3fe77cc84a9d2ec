"""Views that exercise the page cache's refusals (used by tests/hub/test_pagecache.py)."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.cache import never_cache

from hub.pagecache import no_page_cache

CALLS = {"count": 0}


def _counted(body: str) -> HttpResponse:
    CALLS["count"] += 1
    return HttpResponse(f"<p>{body} {CALLS['count']}</p>")


def plain(request):
    return _counted("plain")


def private(request):
    response = _counted("private")
    response["Cache-Control"] = "private, max-age=600"
    return response


@never_cache
def never(request):
    return _counted("never")


@no_page_cache
def exempt(request):
    return _counted("exempt")


def with_form(request):
    CALLS["count"] += 1
    return HttpResponse(f'<form method="post"><input name="csrfmiddlewaretoken" '
                        f'value="{get_token(request)}"></form>{CALLS["count"]}')


def sets_cookie(request):
    response = _counted("cookie")
    response.set_cookie("seen", "1")
    return response


def short(request):
    response = _counted("short")
    response["Cache-Control"] = "max-age=0"
    return response


def not_found(request):
    response = _counted("missing")
    response.status_code = 404
    return response


def as_json(request):
    CALLS["count"] += 1
    return HttpResponse(f'{{"n": {CALLS["count"]}}}', content_type="application/json")


urlpatterns = [
    path("simple/", plain),
    path("privada/", private),
    path("nunca/", never),
    path("exenta/", exempt),
    path("formulario/", with_form),
    path("galleta/", sets_cookie),
    path("breve/", short),
    path("falta/", not_found),
    path("datos.json", as_json),
    path("admin/simple/", plain),
]
