import logging
import posixpath
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError, connection, transaction
from django.http import Http404, HttpResponseNotFound, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import re_path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve as serve_static
from wagtail.models import Page

from .search import MAX_QUERY, Hit, normalise_query, search_groups

log = logging.getLogger(__name__)


def search(request):
    """One search over everything public, grouped by kind (``hub.search.SEARCH_GROUPS_HOOK``):
    a few results of each kind, or with ``?tipo=`` one kind, paginated."""
    typed = request.GET.get("q", "").strip()[:MAX_QUERY]
    query = normalise_query(typed)
    groups = search_groups()
    chosen = next((g for g in groups if g.key == request.GET.get("tipo")), None)
    context = {"query": typed, "groups": [], "kinds": groups, "chosen": chosen, "page": None,
               "message": ""}
    if typed and not query:
        context["message"] = _("Escriba al menos una palabra: los signos solos no se pueden buscar.")
        return render(request, "hub/search.html", context, status=400)
    if not query:
        return render(request, "hub/search.html", context)
    try:
        with transaction.atomic():
            if chosen is None:
                context["groups"] = _every_group(request, groups, query)
            else:
                results = _results(groups, chosen, query)
                page = Paginator(results, 20).get_page(request.GET.get("pagina"))
                page.object_list = list(page.object_list)
                context["page"] = page
                context["groups"] = [_Found(chosen, page.object_list, request)]
    except DatabaseError:
        # Our failure, not the visitor's: answered 503 so monitoring sees it.
        log.warning("Search could not run for a normalised query", exc_info=True)
        context.update(groups=[], page=None,
                       message=_("No pudimos hacer esa búsqueda en este momento. Intente más tarde."))
        return render(request, "hub/search.html", context, status=503)
    return render(request, "hub/search.html", context)


SHOWN_PER_GROUP = 5
PAGES_SCANNED = 60  # pages ranked together, then shared out among the page groups


class _Found:
    def __init__(self, group, results, request, more=False):
        self.group, self.key, self.title, self.more = group, group.key, str(group.title), more
        self.results = results
        self.hits = [_page_hit(r, request) if isinstance(r, Page) else group.hit(r) for r in results]


def _page_hit(page, request):
    return Hit(page.title, page.get_url(request) or "", summary=page.search_description)


def _page_types(group) -> tuple:
    return tuple(apps.get_model(t) if isinstance(t, str) else t for t in group.page_types)


def _claimed(groups) -> tuple:
    return tuple(t for g in groups for t in _page_types(g))


def _results(groups, group, query):
    pages = Page.objects.live().public()
    if group.find is not None:
        return group.find(query)
    if group.page_types:
        return pages.type(*_page_types(group)).search(query)
    return pages.not_type(*_claimed(groups)).search(query)


def _every_group(request, groups, query) -> list:
    found = []
    page_groups = [g for g in groups if g.find is None]
    pages = list(Page.objects.live().public().search(query)[:PAGES_SCANNED])
    for group in groups:
        if group.find is None:
            types = _page_types(group)
            if types:
                mine = [p for p in pages if p.specific_class and issubclass(p.specific_class, types)]
            else:
                claimed = _claimed(page_groups)
                mine = [p for p in pages
                        if not (p.specific_class and issubclass(p.specific_class, claimed))]
        else:
            mine = list(group.find(query)[:SHOWN_PER_GROUP + 1])
        if mine:
            found.append(_Found(group, mine[:SHOWN_PER_GROUP], request,
                                more=len(mine) > SHOWN_PER_GROUP))
    return found


# Wagtail's folder for documents' files (``AbstractDocument.file``'s ``upload_to``).
DOCUMENTS_FOLDER = "documents"


def _private_media_path(path: str) -> bool:
    """Whether a path under MEDIA_ROOT names a document's file, or a file of another storage
    (entrants' files) whose folder lies inside MEDIA_ROOT, as in the test settings."""
    clean = posixpath.normpath(path).lstrip("/")
    if clean.split("/", 1)[0] == DOCUMENTS_FOLDER:
        return True
    full = (Path(settings.MEDIA_ROOT) / clean).resolve()
    for alias, storage in settings.STORAGES.items():
        location = (storage.get("OPTIONS") or {}).get("location")
        if alias in ("default", "staticfiles") or not location:
            continue
        other = Path(location).resolve()
        if full == other or other in full.parents:
            return True
    return False


@require_safe
def development_media(request, path: str):
    """MEDIA_ROOT in development (DEBUG), as ``django.conf.urls.static`` would serve it, except
    documents' files and private files: an anonymous visitor opening
    /media/documents/<name> got the file of a document in a restricted collection."""
    if _private_media_path(path):
        raise Http404
    return serve_static(request, path, document_root=settings.MEDIA_ROOT)


def development_media_urls() -> list:
    """The media route of development, or none when MEDIA_URL is another host (object storage)."""
    prefix = settings.MEDIA_URL
    if not prefix or "://" in prefix or prefix.startswith("//"):
        return []
    return [re_path(rf"^{re.escape(prefix.lstrip('/'))}(?P<path>.*)$", development_media)]


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
