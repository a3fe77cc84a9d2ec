"""The site's shell, kept by each process for one page-cache generation.

Every public page needs the same few rows before it shows anything of its own: the Site that
answers the request's host, with its home page; the site settings of the footer; the page view
restrictions that may hide a page; the footer's links to the open-government pages. Read from
the database, they cost five or six queries a page. They change only when something public
changes, and every such change replaces the page cache's *generation* token
(``hub/pagecache.py``: pages, sites, settings and view restrictions all purge). So a process
keeps what it read, tagged with the generation it read it in, and reads it again as soon as the
token changes, whichever process changed it.

Only safe requests (GET, HEAD) use the copies: ``hub.middleware.SiteShellMiddleware`` opens a
``scope`` for them, which reads the generation once, when first needed (a feed or an API call
that needs none of this reads nothing). Wagtail finds the copies through ``hub.apps``
(``Site.find_for_request``, ``Site.get_site_root_paths``, ``Page.get_view_restrictions``) and
the site settings through ``SiteSettings.for_request``. Routing keeps only the *types* of each
parent's children (``child_page``): the rows of the pages on the way are read every time.
Outside a scope (writes, tasks, commands, tests calling models directly) ``remember`` builds
the value every time, as before. Callers get their own copy of a model instance, never the
kept one, so nothing a request sets on it reaches another request.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

from hub import pagecache


class _Scope:
    """A request's view of the generation: read from the store the first time it is needed."""

    __slots__ = ("generation", "read")

    def __init__(self, generation: str | None = None):
        self.generation, self.read = generation, generation is not None

    def token(self) -> str | None:
        if not self.read:
            self.read = True
            try:
                self.generation = pagecache.current_generation()
            except Exception:  # the store is unreachable: read everything from the database
                self.generation = None
        return self.generation


_scope: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar(
    "enlace_sitecache_scope", default=None)
_kept: dict[tuple, tuple[str, float, Any]] = {}
_lock = threading.Lock()
# Keys include the request's host: an unbounded number of hosts must not grow the process
# (when full, the least recently used eighth goes).
# Room for what a crawl of the whole site keeps in both languages (the shell, each parent's
# children's types, the kept parts of pages: one per institution, quarter…), a few MB.
MAX_ENTRIES = 1024
# A kept value is read again after this long even if the generation stays (a purge that could
# not be written, a write that bypassed the signals): the shell is then late by no more than
# the pages themselves (ENLACE_PAGE_CACHE_SECONDS), or this long when the page cache is off.
MAX_AGE = 600
_now = time.monotonic


@contextlib.contextmanager
def scope(generation: str | None = None):
    """Use (and fill) the kept values inside the block, for ``generation`` (by default the
    store's current one, read when first needed)."""
    token = _scope.set(_Scope(generation))
    try:
        yield
    finally:
        _scope.reset(token)


def active() -> bool:
    return _scope.get() is not None


def pin() -> None:
    """Read the generation now, before the caller reads rows that a kept part of its page
    (``{% kept %}``) will show: read afterwards, a change committed in between would have its
    new generation tagged on the old rows, which would then be kept as current."""
    current = _scope.get()
    if current is not None:
        current.token()


def remember(key: tuple, build: Callable[[], Any]) -> Any:
    """``build()``'s value, kept for the current generation (built every time outside a scope,
    or when the store cannot be read).

    Build only from public data: whatever is kept is shown to every visitor of the process."""
    current = _scope.get()
    generation = current.token() if current is not None else None
    if generation is None:
        return build()
    found = _kept.get(key)
    now = _now()
    if found is not None and found[0] == generation and found[1] > now:
        with _lock:  # the most recently used last: what is evicted first is what is unused
            if _kept.get(key) is found:  # not one another thread has just rebuilt
                _kept[key] = _kept.pop(key)
        return found[2]
    value = build()
    with _lock:
        _kept.pop(key, None)
        if len(_kept) >= MAX_ENTRIES:  # full: forget the least recently used eighth
            for old in list(itertools.islice(_kept, max(1, MAX_ENTRIES // 8))):
                del _kept[old]
        _kept[key] = (generation, now + (pagecache.lifetime() or MAX_AGE), value)
    return value


def clear() -> None:
    """Forget everything kept (tests: rolled-back rows purge nothing)."""
    with _lock:
        _kept.clear()


# --- The shell of a request ------------------------------------------------------------------

def _find_site(hostname: str, port: int):
    from wagtail.models import Site
    from wagtail.models.sites import get_site_for_hostname

    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None, None
    root = site.root_page.specific  # what routing needs: the home page, as its own type
    return site, root


def site_for_request(request):
    """The Site answering the request (Wagtail's own rules), with its home page loaded."""
    from django.http.request import split_domain_port

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    site, root = remember(("site", hostname, port), lambda: _find_site(hostname, port))
    if site is None:
        return None
    site = copy.copy(site)
    site.root_page = copy.copy(root)
    return site


class KeptSiteSetting:
    """For a site-setting model whose saves purge the page cache: ``for_request`` (what
    templates and views use) reads its row once per process and generation, and gives each
    request its own copy. Put it before ``BaseSiteSetting`` in the bases."""

    @classmethod
    def for_request(cls, request):
        attribute = cls.get_cache_attr_name()
        if not hasattr(request, attribute) and active():
            from wagtail.models import Site

            site = Site.find_for_request(request)
            if site is not None:
                kept = remember(("setting", cls._meta.label, site.pk), lambda: cls.for_site(site))
                instance = copy.copy(kept)
                instance._page_url_cache = {}  # the copy shares the kept one's dict otherwise
                instance._request = request  # what Wagtail's own for_request sets
                setattr(request, attribute, instance)
        return super().for_request(request)


# --- View restrictions -----------------------------------------------------------------------

def _restriction_map():
    """Every view restriction as (id, page path), and the paths of alias pages."""
    from wagtail.models import Page, PageViewRestriction

    restrictions = tuple(PageViewRestriction.objects.values_list("pk", "page__path"))
    aliases = frozenset()
    if restrictions:  # with no restriction at all, an alias has none to take from its source
        aliases = frozenset(Page.objects.filter(alias_of__isnull=False)
                            .values_list("path", flat=True))
    return restrictions, aliases


def view_restriction_ids(page) -> list[int] | None:
    """The ids of the restrictions on ``page`` and its ancestors, or None when they must be
    read the usual way (outside a scope, or an alias on the way: aliases take their source's
    restrictions)."""
    if not active():
        return None
    restrictions, aliases = remember(("view-restrictions",), _restriction_map)
    path, step = page.path, page.steplen
    if aliases and any(path[:end] in aliases for end in range(step, len(path) + 1, step)):
        return None
    return [pk for pk, restricted in restrictions if path.startswith(restricted)]


# --- Routing ---------------------------------------------------------------------------------

def _child_types(parent) -> dict[str, int]:
    from wagtail.models import Page

    return dict(Page.objects.child_of(parent).values_list("slug", "content_type_id"))


def child_page(parent, slug: str):
    """The child of ``parent`` with ``slug``, as its own type, read in one query (Wagtail's
    routing reads the child as a plain page, then its own row: two per level), or None when
    Wagtail should route as usual (outside a scope, a page without children, a slug this
    process does not know yet, a type whose model is gone, a row that is no longer there or
    is of another type).

    What is kept is only which type each child of a parent is: a page never changes type, and
    new, moved and renamed pages purge. The page's row is always read, by its parent and slug,
    and must be of the kept type (a plain Page's query also finds every other page), so a kept
    type can never show a page that is not there, nor as another type. Pages without children
    keep nothing: any path below any leaf would otherwise keep an entry and, a few hundred
    later, empty everything this process keeps."""
    if not active() or not parent.numchild:
        return None
    from django.contrib.contenttypes.models import ContentType

    content_type_id = remember(("child-types", parent.path), lambda: _child_types(parent)).get(slug)
    if content_type_id is None:
        return None
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    child = (model._base_manager.filter(path__startswith=parent.path, depth=parent.depth + 1,
                                        slug=slug).order_by("path").first())
    if child is None or child.content_type_id != content_type_id:
        return None  # gone, or another page of a type built on the kept one (e.g. a plain Page)
    child._cached_parent_obj = parent  # what Wagtail's routing sets too
    return child


def restricted_paths() -> tuple[str, ...] | None:
    """The paths of the pages that carry a view restriction (their subtrees are not public),
    or None outside a scope."""
    if not active():
        return None
    restrictions, _aliases = remember(("view-restrictions",), _restriction_map)
    return tuple(sorted({path for _pk, path in restrictions}))
