"""Site-wide safety net: a Content-Security-Policy on every answer, and hostile query strings
refused before they reach a view.

- **Content-Security-Policy.** Everything comes from this site, except the video players
  (YouTube's privacy-enhanced domain and Vimeo) and images over https. Pages may be framed
  only by this site (``frame-ancestors 'self'``: Wagtail's preview frames its own pages);
  the capsule player at ``/capsulas/<slug>/embed/`` stays framable by partner sites.
  Inline scripts and styles are still allowed: the Wagtail admin needs them, and a few public
  templates (contests) still carry inline handlers.
- **Input no database or parser can hold.** A number beyond 64 bits in a form or filter
  (SQLite raises ``OverflowError``) or JSON nested thousands deep (``RecursionError``) is bad
  input, not a server fault: the request gets a 400 with a Spanish explanation (JSON under
  ``/api/``) and nothing was saved (the error is raised while reading, before any write).
- **Query strings.** A NUL or another control character in a query parameter is never a
  real search or filter; PostgreSQL refuses NUL in a string and answered 500. Such requests
  get a 400 with a Spanish explanation, whatever view they were meant for (except an endpoint
  with a protocol of its own, ``ENLACE_OWN_QUERY_CHECKS``: OAI-PMH answers ``badArgument``).
- **Declared character sets.** Django decodes the query string and the form fields with the
  ``charset`` a request's Content-Type names, whatever codec that is: a codec that is not a
  text encoding (``rot13``, ``zlib``…) raised while Django built the request (a 500 before
  any middleware), and UTF-7 turns ``+2AA-`` into a lone surrogate that no database can store
  (a 500 in any filter or form). Only UTF-8, ASCII, Latin-1 and Windows-1252 are read; any
  other charset gets a 400 in Spanish, from ``CharsetGuard`` around the WSGI application
  (``hub/wsgi.py``) and again from the middleware for any other entry point.
"""

from __future__ import annotations

import codecs
import json
import logging
import re

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _
from django.utils.translation import override

log = logging.getLogger(__name__)

_BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self' 'unsafe-inline'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob: https:",
    "media-src": "'self' blob: https:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self' blob:",  # API documentation (Redoc) searches in a blob worker
    "frame-src": "'self' https://www.youtube-nocookie.com https://player.vimeo.com",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}
_EMBEDDABLE = re.compile(r"^/capsulas/[-\w]+/embed/$")
# C0 controls except tab/newline/carriage return, DEL and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# ``codecs.lookup(charset).name`` of the charsets a request may declare and still be read.
_READABLE_CHARSETS = frozenset({"utf-8", "ascii", "iso8859-1", "cp1252"})


def unreadable_charset(content_type: str) -> bool:
    """The Content-Type declares a charset Django must not decode the request with (an
    unknown name is ignored by Django, which then reads UTF-8: that one is fine)."""
    if "charset" not in content_type.lower():
        return False
    charset = parse_header_parameters(content_type)[1].get("charset")
    if not charset:
        return False
    try:
        return codecs.lookup(charset).name not in _READABLE_CHARSETS
    except LookupError:
        return False


def _charset_message() -> str:
    with override("es-mx"):
        return _("La solicitud declara un juego de caracteres (charset) que no podemos leer. "
                 "Envíela en UTF-8.")


class CharsetGuard:
    """WSGI middleware (``hub/wsgi.py``): a request declaring an unreadable charset is
    answered 400 before Django builds it (building it is what raised)."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not unreadable_charset(environ.get("CONTENT_TYPE", "")):
            return self.application(environ, start_response)
        message = _charset_message()
        if environ.get("PATH_INFO", "").startswith("/api/"):
            body, kind = json.dumps({"detail": message}).encode(), "application/json"
        else:
            body = ('<!doctype html><html lang="es-MX"><meta charset="utf-8">'
                    f"<title>Solicitud no válida</title><p>{message}</p></html>").encode()
            kind = "text/html; charset=utf-8"
        start_response("400 Bad Request", [
            ("Content-Type", kind), ("Content-Length", str(len(body))),
            ("Content-Security-Policy", policy_for(environ.get("PATH_INFO", "")))])
        return [body]


def policy_for(path: str) -> str:
    policy = dict(_BASE_POLICY)
    if _EMBEDDABLE.match(path):
        policy["frame-ancestors"] = "*"
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def hostile_query(request) -> bool:
    """A control character (NUL included) in any query parameter's name or value (except at
    the endpoints that answer it in their own protocol, ``ENLACE_OWN_QUERY_CHECKS``)."""
    if request.path_info in getattr(settings, "ENLACE_OWN_QUERY_CHECKS", ()):
        return False
    return any(_CONTROL.search(key) or any(_CONTROL.search(v) for v in values)
               for key, values in request.GET.lists())


class SecurityMiddleware:
    """Refuses query strings with control characters; sets the Content-Security-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if unreadable_charset(request.META.get("CONTENT_TYPE", "")):
            # Answered before anything here decodes the query string or the form fields.
            if request.path_info.startswith("/api/"):
                response = JsonResponse({"detail": _charset_message()}, status=400)
            else:
                response = HttpResponseBadRequest(render_to_string(
                    "400.html", {"message": _charset_message()}, request=request))
        elif hostile_query(request):
            response = HttpResponseBadRequest(render_to_string("400.html", {
                "message": _("La dirección contiene caracteres de control (por ejemplo, "
                             "%00) que no pueden formar parte de una búsqueda ni de un "
                             "filtro. Quítelos e intente de nuevo."),
            }, request=request))
        else:
            response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy_for(request.path_info))
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError | RecursionError):
            message = _("Los datos enviados no se pueden leer: contienen un número demasiado "
                        "grande o una estructura demasiado anidada. Corríjalos e intente de "
                        "nuevo.")
        elif isinstance(exception, MultiValueDictKeyError) and request.method == "POST":
            # A form posted without a field the page itself always sends (Wagtail's widgets
            # read some unconditionally): a hand-made or truncated request, not a server fault.
            message = _("El formulario llegó incompleto: le falta un campo que la página "
                        "siempre envía. Vuelva a cargar la página e intente de nuevo; lo que "
                        "envió no se guardó.")
        else:
            return None
        # Logged: if it was our own code rather than someone's input, it must be seen.
        log.warning("Unreadable input answered with 400 on %s", request.path_info, exc_info=True)
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=400)
        else:
            response = HttpResponseBadRequest(render_to_string("400.html", {"message": message},
                                                               request=request))
        response.headers["Content-Security-Policy"] = policy_for(request.path_info)
        return response
