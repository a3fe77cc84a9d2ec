"""RSS and Atom feeds of the institutions' websites, read into draft posts.

``read_all()`` (the ``campaigns.read_feeds`` job, every ``ENLACE_FEEDS_INTERVAL`` seconds)
reads each active :class:`~campaigns.models.FeedSource` with a conditional GET, a time limit
(``ENLACE_FEEDS_TIMEOUT``) and a size cap (``ENLACE_FEEDS_MAX_BYTES``), and turns each item it
has not seen into a **draft** post of the feed's institution: no channels, no send time, never
published. An officer reviews it, picks channels and publishes it like any other post.

- One draft per item: items are keyed by the SHA-256 of their GUID (or of their link), under a
  unique constraint; the key is claimed in the same transaction that creates the draft, so two
  workers reading the same feed at once make one draft.
- No flood: the first reading of a feed makes drafts only of its ``FIRST_READ_ITEMS`` newest
  items published within ``FIRST_READ_DAYS`` days (undated items count as old) and records the
  rest as seen; any later reading makes at most ``MAX_DRAFTS_PER_READ`` drafts (the newest)
  and records the rest as seen.
- A feed that cannot be read (not found, no answer, a web page instead of a feed, malformed
  XML, too big, a private address) keeps its error, in Spanish, in ``last_error`` (shown in
  the admin and on the dashboard); nothing is created, the other feeds are read all the same.
- Only http(s) addresses on public networks are read (also after each redirect): private,
  loopback and link-local addresses are refused unless ``ENLACE_FEEDS_ALLOW_PRIVATE`` is on
  (the tests' local feed server needs it).
"""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import ipaddress
import logging
import re
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit

import feedparser
import httpcore
import httpx
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .models import FeedItem, FeedSource, Post

log = logging.getLogger(__name__)

FIRST_READ_DAYS = 7
FIRST_READ_ITEMS = 5
MAX_DRAFTS_PER_READ = 20
SUMMARY_CHARS = 240
MAX_REDIRECTS = 3
ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, "
          "*/*;q=0.1")
_SPACES = re.compile(r"\s+")
_LINK = URLValidator(schemes=["http", "https"])


class FeedError(Exception):
    """A feed that cannot be read; ``message`` is what the officer reads (Spanish)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Entry:
    key: str
    title: str
    text: str
    link: str
    published: datetime | None


# --- Addresses ------------------------------------------------------------------------------

def public_addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to now, all of them public; :class:`FeedError` when it
    cannot be resolved or when any of them is private, loopback, link-local or multicast."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise FeedError(_("No se encontró el servidor «%(h)s».") % {"h": host[:100]}) from exc
    addresses = []
    for *_rest, address in found:
        ip = ipaddress.ip_address(address[0].split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise FeedError(_("La dirección apunta a una red privada o local; solo se leen "
                              "sitios públicos."))
        addresses.append(str(ip))
    if not addresses:
        raise FeedError(_("No se encontró el servidor «%(h)s».") % {"h": host[:100]})
    return addresses


def check_url(url: str) -> None:
    """Raise :class:`FeedError` unless ``url`` is http(s) on a public address (or private
    addresses are allowed by ``ENLACE_FEEDS_ALLOW_PRIVATE``)."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unclosed "[" of an IPv6 address
        raise FeedError(_("Solo se leen direcciones http:// o https://.")) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError(_("Solo se leen direcciones http:// o https://."))
    if settings.ENLACE_FEEDS_ALLOW_PRIVATE:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FeedError(_("No se encontró el servidor «%(h)s».") % {"h": parts.hostname[:100]}) from exc
    public_addresses(parts.hostname, port)


class _PublicOnlyBackend(httpcore.SyncBackend):
    """Opens connections only to addresses it has just checked. ``check_url`` resolves the
    name once and the connection would resolve it again: a name that answers with a public
    address the first time and a private one the second (DNS rebinding) would reach the
    private network. Here the name is resolved once more, every address checked, and the
    socket opened to the checked address itself (TLS still verifies the name)."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        if settings.ENLACE_FEEDS_ALLOW_PRIVATE:
            return super().connect_tcp(host, port, timeout, local_address, socket_options)
        failure = None
        for address in public_addresses(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure


def _transport() -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx offers no argument for httpcore's network backend; the pool is new and unused here.
    transport._pool._network_backend = _PublicOnlyBackend()
    return transport


# --- Download -------------------------------------------------------------------------------

@dataclass
class Download:
    body: bytes | None  # None: not modified since the last reading
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""


def download(source: FeedSource) -> Download:
    """The feed's bytes (conditional GET), within the time limit and size cap."""
    limit, timeout = settings.ENLACE_FEEDS_MAX_BYTES, settings.ENLACE_FEEDS_TIMEOUT
    deadline = time.monotonic() + timeout
    headers = {"Accept": ACCEPT, "User-Agent": "Enlace (SNT) lector de canales RSS"}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    url = source.url
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False,
                          transport=_transport()) as client:
            for _hop in range(MAX_REDIRECTS + 1):
                check_url(url)
                with client.stream("GET", url, headers=headers) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    return _read(response, limit, deadline)
    except httpx.TimeoutException as exc:
        raise FeedError(_("El sitio no respondió en %(s)s segundos.") % {"s": f"{timeout:g}"}) from exc
    except httpx.HTTPError as exc:
        raise FeedError(_("No se pudo conectar con el sitio (%(e)s).") % {
            "e": type(exc).__name__}) from exc
    raise FeedError(_("El sitio redirige demasiadas veces."))


def _read(response: httpx.Response, limit: int, deadline: float) -> Download:
    if response.status_code == 304:
        return Download(body=None)
    if response.status_code == 404:
        raise FeedError(_("El sitio respondió que la dirección no existe (404)."))
    if not 200 <= response.status_code < 300:
        raise FeedError(_("El sitio respondió con el código %(c)s.") % {"c": response.status_code})
    too_big = FeedError(_("El canal pesa más de %(mb)s MB; no se lee.") % {
        "mb": f"{limit / 1_000_000:g}"})
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise too_big
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("deadline")
        chunks.append(chunk)
    return Download(body=b"".join(chunks), content_type=response.headers.get("content-type", ""),
                    etag=response.headers.get("etag", "")[:255],
                    last_modified=response.headers.get("last-modified", "")[:64])


# --- Parsing --------------------------------------------------------------------------------

def parse(body: bytes, content_type: str = "") -> list[Entry]:
    """The entries of an RSS or Atom document, newest first; :class:`FeedError` if it is not one."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    xml_like = head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf"))
    # Some sites serve their feed as text/html: the body decides when it looks like XML.
    if head.startswith((b"<!doctype html", b"<html")) or (
            "html" in content_type.lower() and not xml_like):
        raise FeedError(_("La dirección muestra una página web (HTML), no un canal RSS o Atom. "
                          "Busque en el sitio el enlace «RSS»."))
    try:
        SafeElementTree.fromstring(body, forbid_dtd=False, forbid_entities=True,
                                   forbid_external=True)
    except DefusedXmlException as exc:
        raise FeedError(_("El canal declara entidades XML, que no se aceptan.")) from exc
    except SafeElementTree.ParseError as exc:
        raise FeedError(_("El canal no es XML válido (%(e)s).") % {"e": str(exc)[:120]}) from exc
    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-type": content_type})
    if not parsed.get("version"):
        raise FeedError(_("La dirección no contiene un canal RSS o Atom."))
    entries = [entry for entry in (_entry(raw) for raw in parsed.entries) if entry is not None]
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(entries, key=lambda e: e.published or oldest, reverse=True)


def _plain(value: str) -> str:
    return _SPACES.sub(" ", html.unescape(strip_tags(value or ""))).strip()


def _entry(raw) -> Entry | None:
    link = (raw.get("link") or "").strip()
    try:
        _LINK(link)
    except ValidationError:
        link = ""
    if len(link) > 500:
        link = ""
    identity = (raw.get("id") or "").strip() or link
    if not identity:
        return None  # nothing to recognise it by next time
    title = _plain(raw.get("title", "")) or _("(sin título)")
    summary = _plain(raw.get("summary", ""))
    stamp = raw.get("published_parsed") or raw.get("updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC) if stamp else None
    text = Truncator(summary or title).chars(SUMMARY_CHARS)
    return Entry(key=hashlib.sha256(identity.encode()).hexdigest(),
                 title=Truncator(title).chars(160), text=text, link=link, published=published)


# --- Drafts ---------------------------------------------------------------------------------

def _choose(entries: list[Entry], first_read: bool, now: datetime) -> list[Entry]:
    if first_read:
        since = now - timedelta(days=FIRST_READ_DAYS)
        return [e for e in entries if e.published and e.published >= since][:FIRST_READ_ITEMS]
    return entries[:MAX_DRAFTS_PER_READ]


def store(source: FeedSource, entries: list[Entry], now=None) -> int:
    """Drafts for the entries not seen before (see the module's rules); returns how many."""
    now = now or timezone.now()
    unique = list({e.key: e for e in reversed(entries)}.values())[::-1]  # first one of each key
    first_read = not FeedItem.objects.filter(source=source).exists()
    seen = set(FeedItem.objects.filter(source=source, key__in=[e.key for e in unique])
               .values_list("key", flat=True))
    fresh = [e for e in unique if e.key not in seen]
    chosen = _choose(fresh, first_read, now)
    keys = {e.key for e in chosen}
    FeedItem.objects.bulk_create(
        [FeedItem(source=source, key=e.key, seen_at=now) for e in fresh if e.key not in keys],
        ignore_conflicts=True)
    created = 0
    for entry in reversed(chosen):  # oldest first: the newest draft is listed on top
        try:
            with transaction.atomic():
                item = FeedItem.objects.create(source=source, key=entry.key, seen_at=now)
                post = Post(title=entry.title, text=entry.text, link=entry.link,
                            institution_id=source.institution_id, live=False)
                post.save()
                post.save_revision(log_action=True)
                item.post = post
                item.save(update_fields=["post"])
        except IntegrityError:
            continue  # another worker made this draft a moment ago
        created += 1
    return created


def read(source_id: int) -> int | None:
    """Read one feed; returns the drafts made, or None when the feed is gone or failed."""
    source = FeedSource.objects.filter(pk=source_id, active=True).first()
    if source is None:
        return None
    now = timezone.now()
    try:
        got = download(source)
        created = 0 if got.body is None else store(source, parse(got.body, got.content_type), now)
    except FeedError as exc:
        FeedSource.objects.filter(pk=source.pk).update(last_fetched_at=now, last_error=exc.message)
        return None
    except Exception:  # a feed must never stop the others; the officer sees a generic message
        log.exception("Reading feed %s failed", source.pk)
        FeedSource.objects.filter(pk=source.pk).update(
            last_fetched_at=now, last_error=_("No se pudo leer el canal por un error interno; "
                                              "se intentará de nuevo."))
        return None
    changes = {"last_fetched_at": now, "last_error": ""}
    if got.body is not None:  # validators only once the items are stored
        changes.update(etag=got.etag, last_modified=got.last_modified)
    FeedSource.objects.filter(pk=source.pk).update(**changes)
    return created


def read_all() -> int:
    """Read every active feed; returns the drafts made."""
    return sum(read(pk) or 0 for pk in FeedSource.objects.active().values_list("pk", flat=True))


def recent_drafts(user, days: int = 14):
    """Drafts made from feeds that nobody has published yet, in the user's scope."""
    since = timezone.now() - timedelta(days=days)
    return (Post.objects.in_scope_of(user)
            .filter(feed_item__isnull=False, live=False, first_published_at__isnull=True,
                    created_at__gte=since)
            .select_related("feed_item__source").order_by("-created_at"))
