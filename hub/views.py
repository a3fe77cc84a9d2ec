import logging

from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponseNotFound, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.models import Page

from publications.models import ArticlePage, EditionPage
from publications.search import publication_groups

from .search import MAX_QUERY, normalise_query

log = logging.getLogger(__name__)
PUBLICATION_TYPES = (ArticlePage, EditionPage)  # shown apart, grouped (publications.search)


def search(request):
    typed = request.GET.get("q", "").strip()[:MAX_QUERY]
    query = normalise_query(typed)
    message = ""
    results = Page.objects.none()
    groups = []
    if typed and not query:
        message = _("Escriba al menos una palabra: los signos solos no se pueden buscar.")
    page = Paginator(results, 20).get_page(None)
    if query:
        try:
            with transaction.atomic():
                groups = publication_groups(query)  # "Artículos", "Cuadernillos"
                results = (Page.objects.live().public().not_type(*PUBLICATION_TYPES)
                           .specific().search(query))
                page = Paginator(results, 20).get_page(request.GET.get("pagina"))
                page.object_list = list(page.object_list)
        except DatabaseError:
            # Our failure, not the visitor's: answered 503 so monitoring sees it.
            log.warning("Search could not run for a normalised query", exc_info=True)
            message = _("No pudimos hacer esa búsqueda en este momento. Intente más tarde.")
            page = Paginator(Page.objects.none(), 20).get_page(None)
            return render(request, "hub/search.html", {"query": typed, "page": page,
                                                       "message": message}, status=503)
    status = 400 if message else 200
    return render(request, "hub/search.html", {"query": typed, "page": page, "groups": groups,
                                               "message": message}, status=status)


def health(request):
    """Liveness for load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def choose_language(request, code: str):
    """The language switcher: a plain link (no form, no CSRF cookie, so public pages stay
    cacheable). Keeps the choice in the language cookie and goes back to ``next`` when it is
    a path of this site; anywhere else (another host, another scheme) goes to the home page."""
    if code not in dict(settings.LANGUAGES):
        return HttpResponseNotFound(render_to_string("404.html", {
            "message": _("Ese idioma no está disponible en Enlace."),
        }, request=request))
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code,
        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
