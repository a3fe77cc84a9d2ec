import contextvars
import copy
import threading
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from hub import pagecache, sitecache
from hub.roles import PAGE_OUT_OF_SCOPE_HOOK, PAGES_IN_SCOPE_HOOK


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


class MethodNotAllowedMiddleware:
    """The public site takes GET, HEAD and POST (its forms). Another method there (PUT, DELETE,
    PATCH…) is answered 405 with the site's page in Spanish, before the CSRF check would call it
    a «403 Forbidden» and before a view would render the page as for a GET; OPTIONS gets the
    methods alone. At an address that does not exist, either gets the 404 a GET gets. A view's
    own 405 (``require_http_methods``), which Django leaves empty, gets the same page with the
    view's ``Allow``. The API and the admin answer their own methods."""

    SITE_METHODS = ("GET", "HEAD", "POST")
    OWN_METHODS = ("/api/", "/admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.OWN_METHODS):
            return self.get_response(request)
        if request.method not in self.SITE_METHODS:
            not_found = self.not_found(request)
            if not_found is not None:
                return not_found
        if request.method == "OPTIONS":
            response = HttpResponse(status=200)
            response["Allow"] = ", ".join((*self.SITE_METHODS, "OPTIONS"))
            return response
        if request.method not in self.SITE_METHODS:
            return self.refuse(request, ", ".join(self.SITE_METHODS))
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            return self.refuse(request, response.get("Allow", ""))
        return response

    def not_found(self, request):
        """The site's «Página no encontrada» when the address does not exist, as a GET would
        answer it (Wagtail's pages take every path, so only the view can tell); None when it
        exists. Asked as a HEAD: a HEAD counts no reading and sends no file."""
        probe = copy.copy(request)
        probe.method = "HEAD"
        probe.META = {**request.META, "REQUEST_METHOD": "HEAD"}
        response = self.get_response(probe)
        if response.status_code in (404, 410):
            return response
        # Not response.close(): that ends the request (request_finished closes the database
        # connection); only a file a streaming answer opened is closed.
        for close in getattr(response, "_resource_closers", ()) if response.streaming else ():
            close()
        return None

    @staticmethod
    def refuse(request, allow: str) -> HttpResponse:
        from django.template.loader import render_to_string

        response = HttpResponse(render_to_string("405.html", {"method": request.method[:20]},
                                                 request=request), status=405)
        response["Allow"] = allow
        return response


class SiteNotFoundMiddleware:
    """With DEBUG on (the quick start), the site's own «Página no encontrada» instead of
    Django's technical 404 page: that one is in English, desktop-wide, and lists the project's
    URL patterns to whoever mistypes an address. Production (DEBUG off) already answers the
    site's page; nothing changes there."""

    TECHNICAL = b"<code>DEBUG = True</code>"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (settings.DEBUG and response.status_code == 404 and not response.streaming
                and self.TECHNICAL in response.content):
            from django.views.defaults import page_not_found

            return page_not_found(request, None)
        return response


class PageCacheMiddleware:
    """Serves anonymous visitors' public pages from the shared page cache (hub/pagecache.py).

    Placed right after WhiteNoise. A hit runs no SQL and skips the rest of the stack: it reads
    the current generation from the shared store (one small read, so a purge made by any
    process is seen at once) and takes the page from this process's own copy when it has one
    for that generation, from the shared store otherwise. A miss renders normally and stores
    the answer, tagged with the generation read before rendering, when
    ``pagecache.response_is_storable`` allows it. ``X-Cache`` says which happened.
    """

    # Pages of one generation never change, so a process may keep its own copies of the most
    # requested ones; the generation is still checked in the shared store on every request.
    LOCAL_COPIES = 200

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = frozenset(code for code, _name in settings.LANGUAGES)
        self.local: dict[str, tuple] = {}
        self.local_lock = threading.Lock()  # threaded workers share this middleware

    def __call__(self, request):
        if not pagecache.lifetime() or not pagecache.request_is_cacheable(request):
            return self.get_response(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        key = pagecache.page_key(request.scheme, request.META.get("HTTP_HOST", ""),
                                 request.get_full_path(), language)
        cache = pagecache.store()
        generation = pagecache.read_generation(cache)
        if generation is not None:
            entry = self._entry(cache, key, generation)
            if entry is not None:
                return _from_entry(entry, head=request.method == "HEAD")
        else:
            generation = pagecache.current_generation(cache)
        request.page_generation = generation  # the shell's kept rows follow it (SiteShell…)
        response = self.get_response(request)
        response.headers["X-Cache"] = "miss"
        if generation is not None and pagecache.response_is_storable(request, response):
            ttl = pagecache.entry_ttl(response)
            if ttl > 0 and (not request.META.get("QUERY_STRING")
                            or pagecache.may_store_variant(cache, generation)):
                entry = (generation, time.time() + ttl, pagecache.stored_headers(response),
                         response.content)
                cache.set(key, entry, ttl)
                self._remember(key, entry)
        return response

    def _entry(self, cache, key: str, generation: str):
        entry = self.local.get(key)
        if entry is None or entry[0] != generation or entry[1] <= time.time():
            entry = cache.get(key)
            if entry is None or entry[0] != generation or entry[1] <= time.time():
                with self.local_lock:
                    self.local.pop(key, None)
                return None
            self._remember(key, entry)
        return entry

    def _remember(self, key: str, entry: tuple) -> None:
        with self.local_lock:
            self.local.pop(key, None)
            if len(self.local) >= self.LOCAL_COPIES:
                del self.local[next(iter(self.local))]  # the oldest copy
            self.local[key] = entry


class SiteShellMiddleware:
    """Lets safe requests use the site's shell kept by this process (hub/sitecache.py): the
    Site and its home page, the site root paths, the footer's settings and pages, the view
    restrictions; read again whenever the page cache's generation changes.

    Placed after CommonMiddleware, so the host has been checked against ALLOWED_HOSTS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        # The page cache read the generation already for the pages it may store.
        with sitecache.scope(getattr(request, "page_generation", None)):
            return self.get_response(request)


def _from_entry(entry, *, head: bool) -> HttpResponse:
    _generation, _expires, headers, content = entry
    response = HttpResponse(b"" if head else content, headers=headers)
    response.headers["X-Cache"] = "hit"
    return response


# The admin's page scopes (their hook names live in hub.roles, ground every app may use).


def pages_in_scope(user, pages):
    """``pages`` limited by every ``PAGES_IN_SCOPE_HOOK`` function."""
    from wagtail import hooks

    for scope in hooks.get_hooks(PAGES_IN_SCOPE_HOOK):
        pages = scope(user, pages)
    return pages
def page_out_of_scope(user, page) -> bool:
    """True when a ``PAGE_OUT_OF_SCOPE_HOOK`` function puts ``page`` outside ``user``'s scope."""
    from wagtail import hooks

    return any(check(user, page) for check in hooks.get_hooks(PAGE_OUT_OF_SCOPE_HOOK))


# Who is choosing a page, while the page chooser answers (``hub.apps`` names a published page
# outside their scope by its live title, not by the title of a draft they may not read).
page_chooser_user = contextvars.ContextVar("page_chooser_user", default=None)
_CHOOSER_PREFIXES = ("/admin/choose-page/", "/admin/choose-external-link/")


_PAGE_KWARGS = ("page_id", "pk", "page_to_move_id", "parent_page_id")
_EXPLORER_URL_NAMES = {"wagtailadmin_explore", "wagtailadmin_explore_results"}
_CHOOSER_URL_NAMES = {"wagtailadmin_choose_page_child", "wagtailadmin_choose_page_chosen_multiple"}


class ScopedPageAdminMiddleware:
    """Refuses (403) every Wagtail admin view addressed to a page the user may not see.

    The explorer and the page chooser already hide such pages (``construct_*_queryset``
    hooks) and edit/delete/move/unpublish call ``before_*_page`` hooks, but a typed URL such
    as ``/admin/pages/<id>/revisions/<rev>/view/`` reaches views with no hook at all. The
    same goes for the admin API (``/admin/api/main/pages/<id>/`` and its actions) and for
    the bulk actions' pages (``/admin/bulk/wagtailcore/page/<action>/?id=…``), which list
    the chosen pages' titles. Listings that no hook scopes are for Coordinación only: the
    admin API's page listing other than the explorer's own call (``for_explorer``, which
    applies the hooks) and the listing of every page of one type (``type_use``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(_CHOOSER_PREFIXES):
            return self.get_response(request)
        token = page_chooser_user.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            page_chooser_user.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if match.url_name == "wagtail_bulk_action":
            if (view_kwargs.get("app_label"), view_kwargs.get("model_name")) != ("wagtailcore",
                                                                                 "page"):
                return None
            return self._refuse_pages(user, self._bulk_pages(request))
        if match.url_name in _CHOOSER_URL_NAMES:
            return self._refuse_unchoosable(request, view_kwargs)
        api = "wagtailadmin_api" in match.namespaces and "pages" in match.namespaces
        if not (api or "wagtailadmin_pages" in match.namespaces
                or match.url_name in _EXPLORER_URL_NAMES):
            return None
        page_id = next((view_kwargs[k] for k in _PAGE_KWARGS if k in view_kwargs), None)
        if page_id is None:
            unscoped = (match.url_name == "type_use"
                        or (api and not request.GET.get("for_explorer")))
            if unscoped and self._checks():
                from django.core.exceptions import PermissionDenied

                from network.rules import can_manage_network

                if not can_manage_network(user):
                    raise PermissionDenied
            return None
        from wagtail.models import Page

        return self._refuse_pages(user, Page.objects.filter(pk=page_id))

    @staticmethod
    def _refuse_unchoosable(request, view_kwargs):
        """The page chooser's lists apply the ``construct_page_chooser_queryset`` hooks, but
        browsing *into* a page (``choose-page/<id>/``) and the answer for chosen pages
        (``choose-page/chosen-multiple/?id=…``) name any page by id: they are refused for a
        page those hooks hide from the user."""
        from django.core.exceptions import PermissionDenied
        from wagtail import hooks
        from wagtail.models import Page

        if "parent_page_id" in view_kwargs:
            ids = {view_kwargs["parent_page_id"]}
        else:
            ids = {int(v) for v in request.GET.getlist("id")
                   if v.isascii() and v.isdigit() and len(v) <= 18}
        pages = Page.objects.filter(pk__in=ids)
        wanted = set(pages.values_list("pk", flat=True))
        if not wanted:
            return None
        for hook in hooks.get_hooks("construct_page_chooser_queryset"):
            pages = hook(pages, request)
        if set(pages.values_list("pk", flat=True)) != wanted:
            raise PermissionDenied
        return None

    @staticmethod
    def _checks():
        from wagtail import hooks

        return hooks.get_hooks(PAGE_OUT_OF_SCOPE_HOOK)

    @staticmethod
    def _bulk_pages(request):
        """The pages a bulk action's request names (``id=…``, or ``id=all`` under ``childOf``)."""
        from wagtail.models import Page

        ids = request.GET.getlist("id")
        if "all" in ids:
            parent = request.GET.get("childOf", "")
            if not (parent.isascii() and parent.isdigit() and len(parent) <= 18):
                return Page.objects.none()
            parent_page = Page.objects.filter(pk=int(parent)).first()
            return parent_page.get_children() if parent_page is not None else Page.objects.none()
        return Page.objects.filter(pk__in=[int(v) for v in ids
                                           if v.isascii() and v.isdigit() and len(v) <= 18])

    def _refuse_pages(self, user, pages):
        checks = self._checks()
        if not checks:
            return None
        from django.core.exceptions import PermissionDenied

        for page in pages:
            if any(check(user, page) for check in checks):
                raise PermissionDenied
        return None
