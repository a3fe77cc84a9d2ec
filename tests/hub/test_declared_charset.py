"""A request that declares a character set we must not decode with gets a 400 in Spanish.

Django decodes the query string and the form fields with the ``charset`` of the request's
Content-Type, whatever codec that names: with ``rot13`` or ``zlib`` and a query string,
building the request raised (a 500 from the server, before any middleware), and UTF-7 turned
``+2AA-`` into a lone surrogate that no database can store (a 500 in any filter or form)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, RequestFactory
from rest_framework.authtoken.models import Token

from hub.security import CharsetGuard
from network.models.participation import Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

ODD_CHARSETS = ["rot13", "zlib", "bz2", "utf-7", "unicode_escape", "utf-16"]
MESSAGE = "juego de caracteres"


@pytest.fixture
def robust_client():
    return Client(raise_request_exception=False)


def _call(application, path, query, content_type):
    environ = RequestFactory()._base_environ(PATH_INFO=path, QUERY_STRING=query,
                                             CONTENT_TYPE=content_type)
    answer = {}

    def start_response(status, headers):
        answer.update(status=status, headers=dict(headers))

    body = b"".join(application(environ, start_response))
    return answer["status"], answer["headers"], body.decode()


@pytest.mark.parametrize("charset", ODD_CHARSETS)
@pytest.mark.parametrize("path", ["/calendario/", "/api/posts/"])
def test_the_wsgi_application_refuses_an_odd_charset_before_django_reads_it(charset, path):
    status, headers, body = _call(CharsetGuard(WSGIHandler()), path, "mes=2026-11",
                                  f"text/plain; charset={charset}")
    assert status.startswith("400")
    assert MESSAGE in body
    assert headers["Content-Type"].startswith("application/json" if path.startswith("/api/")
                                              else "text/html")


@pytest.mark.parametrize("content_type", ["", "text/plain", "text/plain; charset=utf-8",
                                          "application/json; charset=UTF-8",
                                          "application/x-www-form-urlencoded; charset=latin-1",
                                          "text/plain; charset=no-such-codec"])
def test_the_wsgi_application_reads_ordinary_requests_as_before(content_type):
    seen = []

    def application(environ, start_response):
        seen.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    status, _headers, body = _call(CharsetGuard(application), "/", "", content_type)
    assert (status, body, seen) == ("200 OK", "ok", ["/"])


def test_the_deployed_wsgi_application_is_guarded():
    root = Path(__file__).resolve().parents[2]
    code = ("import hub.wsgi; from hub.security import CharsetGuard; "
            "assert isinstance(hub.wsgi.application, CharsetGuard)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hub.settings.test"}
    subprocess.run([sys.executable, "-c", code], cwd=root, env=env, check=True, timeout=120)


@pytest.mark.parametrize("url", ["/instituciones/?region=%2B2AA-", "/calendario/?institucion=%2B2AA-",
                                 "/buscar/?q=%2B2AA-", "/capsulas/?entidad=%2B2AA-",
                                 "/calendario.ics?institucion=%2B2AA-",
                                 "/oai/?verb=GetRecord&identifier=%2B2AA-&metadataPrefix=oai_dc"])
def test_a_query_string_in_utf7_gets_a_spanish_400(site, robust_client, url):
    response = robust_client.get(url, CONTENT_TYPE="text/plain; charset=utf-7")
    assert response.status_code == 400, url
    assert MESSAGE in response.content.decode()


@pytest.mark.parametrize("charset", ["rot13", "zlib", "utf-7"])
def test_a_form_posted_with_an_odd_charset_gets_a_spanish_400(site, robust_client, charset):
    response = robust_client.generic(
        "POST", "/cuentas/login/", b"login=%2B2AA-%40example.org&password=x",
        content_type=f"application/x-www-form-urlencoded; charset={charset}")
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_the_api_asked_in_utf7_answers_a_json_400(officer, robust_client):
    key = Token.objects.create(user=officer).key
    response = robust_client.get("/api/posts/?x=%2B2AA-", CONTENT_TYPE="text/plain; charset=utf-7",
                                 HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 400
    assert MESSAGE in response.json()["detail"]


def test_a_registration_in_utf7_stores_nothing(site, robust_client, infoem):
    event = EventFactory(organizers=[infoem], registration_enabled=True, capacity=10)
    response = robust_client.generic(
        "POST", f"/calendario/{event.slug}/registro/",
        b"name=%2B2AA-&email=a%40example.org&consent=on",
        content_type="application/x-www-form-urlencoded; charset=utf-7")
    assert response.status_code == 400
    assert not Registration.objects.exists()


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "utf8", "iso-8859-1", "latin-1",
                                     "us-ascii", "windows-1252"])
def test_ordinary_charsets_are_read_as_before(site, robust_client, charset):
    response = robust_client.get("/instituciones/?region=centro",
                                 CONTENT_TYPE=f"text/plain; charset={charset}")
    assert response.status_code == 200
