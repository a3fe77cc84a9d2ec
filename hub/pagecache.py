"""The anonymous page cache: what may be stored, how it is keyed, and how it is purged.

Anonymous visitors' GET/HEAD requests for public HTML pages are answered from a shared
store (``CACHES["pagecache"]``: Redis when ``REDIS_URL`` is set, otherwise a folder of files
under ``$ENLACE_DATA_DIR/pagecache`` that the web server, the Celery worker and beat all
share). ``hub.middleware.PageCacheMiddleware`` does the serving; this module holds the rules
and the purge, and imports nothing of ours, so every app can register the models it shows.

**Purges are a global generation.** The store holds one *generation* token. A page is stored
with the generation read *before* it was rendered, and served only while that token is still
current. Any change to something public replaces the token (right away, and again after the
transaction commits), so the next request in every process renders afresh. A request that
rendered data older than a change can never be served afterwards: it carries the token the
change replaced. Tokens are random, so two processes purging at once cannot undo each other.

**What purges** (each app lists its models in its ``apps.py``):
- every page: published, unpublished, moved, deleted (Wagtail signals, one handler for all);
- saving or deleting a registered model (``register_public_models``), and changing one of its
  many-to-many links. A save that only writes draft bookkeeping (``latest_revision``,
  ``has_unpublished_changes``, locks, cached file sizes and hashes) does not purge; a model
  may pass ``when=`` to purge only for rows that are shown publicly.
- Writes that bypass model signals (``QuerySet.update()``, ``bulk_create``) must call
  ``purge()`` themselves.
- ``manage.py migrate`` (every deploy): pages rendered by the previous release's templates.

Time passing (an event becoming past, a call closing) is not a purge: such pages are at most
``ENLACE_PAGE_CACHE_SECONDS`` late, and only ever late, never early.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import InvalidCacheBackendError
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

log = logging.getLogger(__name__)

ALIAS = "pagecache"
GENERATION_KEY = "page-generation"  # a key of the store, or a file in its folder

# Never looked up nor stored, whatever the response says: signed-in areas, forms, side
# effects on GET (amplification links count clicks), the language switch, health checks.
NEVER_CACHED_PREFIXES = (
    "/admin/", "/cuentas/", "/api/", "/idioma/", "/i18n/", "/salud/", "/buscar/",
    "/jurado/", "/amplificar/", "/documentos/", "/jsi18n/",
    "/concursos/perfil/", "/concursos/mis-participaciones/", "/concursos/participacion/",
    "/concursos/convocatoria/", "/concursos/coautoria/", "/concursos/archivo/",
)
# Cookies that leave a visitor anonymous: the language (part of the key) and a CSRF cookie
# left by an earlier form (cached pages contain no token). Any other cookie (a session,
# pending messages, anything unknown) bypasses the cache.
HARMLESS_COOKIES = frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})
# Response headers that may vary and still be cached: the language cookie is in the key.
_ALLOWED_VARY = frozenset({"cookie", "accept-encoding"})
# Saves that only touch these fields change nothing a visitor sees.
BOOKKEEPING_FIELDS = frozenset({
    "latest_revision", "has_unpublished_changes", "locked", "locked_at", "locked_by",
    "draft_title", "file_size", "file_hash", "latest_revision_created_at",
})
_NO_STORE_DIRECTIVES = ("private", "no-store", "no-cache")
# What is stored: pages, and the sitemap (``hub.sitemaps``; no other view answers XML so).
STORED_TYPES = ("text/html", "application/xml")


# --- Settings and the store ----------------------------------------------------------------

def lifetime() -> int:
    """Seconds a page is kept; 0 turns the cache off."""
    return max(0, int(getattr(settings, "ENLACE_PAGE_CACHE_SECONDS", 0) or 0))


def store():
    try:
        return caches[ALIAS]
    except InvalidCacheBackendError:
        return caches["default"]


# --- Keys and generations ------------------------------------------------------------------

def page_key(scheme: str, host: str, full_path: str, language: str) -> str:
    raw = f"{scheme}\n{host}\n{language}\n{full_path}".encode("utf-8", "surrogateescape")
    return "page:" + hashlib.blake2b(raw, digest_size=20).hexdigest()


def new_generation() -> str:
    return secrets.token_hex(8)


def _generation_file() -> Path | None:
    """With the file store the generation is a small plain file beside the pages (read with
    one open(), not a cache entry: it is read on every request)."""
    config = settings.CACHES.get(ALIAS, {})
    if config.get("BACKEND", "").endswith("FileBasedCache"):
        return Path(config["LOCATION"]) / GENERATION_KEY
    return None


def read_generation(cache=None) -> str | None:
    path = _generation_file()
    if path is None:
        return (cache or store()).get(GENERATION_KEY)
    try:
        with open(path, "rb") as file:
            return file.read().decode("ascii") or None
    except FileNotFoundError:
        return None


def _write_generation(token: str, *, only_if_missing: bool = False) -> None:
    path = _generation_file()
    if path is None:
        if only_if_missing:
            store().add(GENERATION_KEY, token, timeout=None)
        else:
            store().set(GENERATION_KEY, token, timeout=None)
        return
    # Written aside and then renamed (or linked) into place: a reader in another process
    # sees the old token or the new one, never half of one.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".generation-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(token.encode("ascii"))
        if only_if_missing:
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        else:
            os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def current_generation(cache=None) -> str | None:
    """The token pages must carry to be served; created when missing (first start, or the
    store lost it: then everything stored before counts as purged). None if the store
    cannot be reached (nothing is then stored)."""
    token = read_generation(cache)
    if token is None:
        _write_generation(new_generation(), only_if_missing=True)
        token = read_generation(cache)
    return token


def _bump() -> None:
    try:
        _write_generation(new_generation())
    except Exception:  # the purge must never fail the save that caused it
        log.exception("The page cache could not be purged; pages may be stale for up to "
                      "ENLACE_PAGE_CACHE_SECONDS.")


_after_purge: list[Callable[[], None]] = []


def after_purge(callback: Callable[[], None]) -> None:
    """``callback()`` runs each time a purge takes effect for good (the transaction that
    caused it committed, or at once outside one), once the new generation is written: for
    what depends on the generation (the publications' open data rebuilds its bodies)."""
    if callback not in _after_purge:
        _after_purge.append(callback)


def _purged() -> None:
    for callback in _after_purge:
        try:
            callback()
        except Exception:  # like the purge, never the save's problem
            log.exception("A callback after the page cache purge failed.")


def _bump_after_commit() -> Callable[[], None]:
    """The post-commit bump of a transaction: a function that knows whether it ran."""

    def bump_after_commit() -> None:
        bump_after_commit.page_cache_ran = True
        _bump()
        _purged()

    bump_after_commit.page_cache_ran = False
    return bump_after_commit


def purge(*, using: str | None = None) -> None:
    """Every cached page is stale from now on, in every process.

    Bumps the generation at once (this process, and tests inside a transaction, see the
    change) and again when the current transaction commits (a request that read the old
    rows between the first bump and the commit cannot keep its copy). One post-commit bump
    per transaction, however many rows it writes."""
    connection = transaction.get_connection(using)
    _bump()
    if not connection.in_atomic_block:
        _purged()
        return
    current = set(connection.savepoint_ids)
    for sids, func, _robust in connection.run_on_commit:
        # Already queued at this level or an outer one: it survives whatever this save does.
        if getattr(func, "page_cache_ran", None) is False and sids <= current:
            return
    transaction.on_commit(_bump_after_commit(), using=using, robust=True)


# --- Which models purge ----------------------------------------------------------------------

_registry: dict[type, Callable[[object], bool] | None] = {}


def register_public_models(*models: type, when: Callable[[object], bool] | None = None) -> None:
    """Saving, deleting or relinking a row of these models purges the page cache.

    Call it from an app's ``AppConfig.ready()`` for each model its public pages show.
    ``when(instance)``, if given, limits purges on save to rows that are shown publicly
    (a delete always purges)."""
    for model in models:
        _registry[model] = when
        uid = f"hub.pagecache.{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid + ".save", weak=False)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid + ".delete", weak=False)


def registered_models() -> list[type]:
    return sorted(_registry, key=lambda model: model._meta.label)


def _saved(sender, instance, raw=False, update_fields=None, using=None, **kwargs):
    if raw:  # fixtures loading
        return
    if update_fields is not None and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    when = _registry.get(sender)
    if when is not None and not when(instance):
        return
    purge(using=using)


def _deleted(sender, instance, using=None, **kwargs):
    purge(using=using)


def _relinked(sender, instance, action, model, using=None, **kwargs):
    if not action.startswith("post_"):
        return
    if type(instance) in _registry or model in _registry:
        purge(using=using)


def _page_changed(sender=None, instance=None, using=None, **kwargs):
    purge(using=using)


def _page_deleted(sender, instance, using=None, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        purge(using=using)


def _page_saved(sender, instance, created=False, raw=False, using=None, **kwargs):
    """A page created already live (a copy kept live) is published without the signal."""
    from wagtail.models import Page

    if created and not raw and isinstance(instance, Page) and instance.live:
        purge(using=using)


def _migrated(sender, **kwargs):
    """A deploy runs ``migrate``: pages rendered by the previous release's templates go."""
    _bump()


def connect_page_signals() -> None:
    """Pages purge on publish, unpublish, move and delete: once, for every page type; and
    everything purges after ``migrate`` (each deploy)."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(_page_changed, dispatch_uid="hub.pagecache.published")
    page_unpublished.connect(_page_changed, dispatch_uid="hub.pagecache.unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="hub.pagecache.moved")
    post_delete.connect(_page_deleted, dispatch_uid="hub.pagecache.page_deleted")
    post_save.connect(_page_saved, dispatch_uid="hub.pagecache.page_created_live")
    m2m_changed.connect(_relinked, dispatch_uid="hub.pagecache.relinked")
    post_migrate.connect(_migrated, dispatch_uid="hub.pagecache.migrated")


# --- What may be served and stored -----------------------------------------------------------

def no_page_cache(view):
    """Opt a view out of the page cache (its answers are never stored)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.page_cache_exempt = True
        return response

    return wrapped


def request_is_cacheable(request) -> bool:
    """An anonymous GET/HEAD for a public path, carrying no cookie but harmless ones."""
    if request.method not in ("GET", "HEAD"):
        return False
    meta = request.META
    if "HTTP_AUTHORIZATION" in meta:
        return False
    if meta.get("HTTP_COOKIE") and not HARMLESS_COOKIES.issuperset(request.COOKIES):
        return False
    return not request.path_info.startswith(NEVER_CACHED_PREFIXES)


def _cache_control_forbids(value: str) -> bool:
    value = value.lower()
    return any(directive in value for directive in _NO_STORE_DIRECTIVES)


def response_is_storable(request, response) -> bool:
    """A complete, public, cookie-free HTML (or sitemap) 200 that carries no CSRF token."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if getattr(response, "page_cache_exempt", False) or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith(STORED_TYPES):
        return False
    if _cache_control_forbids(response.get("Cache-Control", "")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if not vary <= _ALLOWED_VARY:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a CSRF token was rendered
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return b"csrfmiddlewaretoken" not in response.content


def variants_allowed() -> int:
    return max(0, int(getattr(settings, "ENLACE_PAGE_CACHE_MAX_VARIANTS", 2000) or 0))


def may_store_variant(cache, generation: str) -> bool:
    """Whether one more address with a query string may be stored in this generation.

    Filters and pagination are stored like any page, but anyone can append parameters a
    view ignores (``/?x=1``, ``/?x=2``…), each a new key: such addresses are stored at most
    ``ENLACE_PAGE_CACHE_MAX_VARIANTS`` times per generation (counted in the store, for every
    process), so a script cannot fill Redis or push the real pages out of the file store.
    Past that they are rendered each time, as with the cache off; plain addresses are
    stored as always."""
    key = f"variants:{generation}"
    cache.add(key, 0, timeout=lifetime() or None)
    try:
        return cache.incr(key) <= variants_allowed()
    except ValueError:  # the counter expired or the store is unreachable: store nothing
        return False


def stored_headers(response) -> dict[str, str]:
    return {name: value for name, value in response.items()
            if name.lower() not in ("set-cookie", "x-cache")}


def entry_ttl(response) -> int:
    """The cache's lifetime, shortened by a view's own ``max-age`` (a page that knows when it
    changes next, e.g. a call closing, can say so)."""
    ttl = lifetime()
    for directive in response.get("Cache-Control", "").split(","):
        name, _sep, value = directive.strip().partition("=")
        if name.lower() in ("max-age", "s-maxage") and value.isdigit():
            ttl = min(ttl, int(value))
    return ttl
