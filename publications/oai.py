"""OAI-PMH 2.0 data provider: articles and booklet editions as ``oai_dc`` records.

The protocol, without HTTP: ``respond(arguments, base_url)`` takes the request's arguments (a
mapping of name → list of values, from GET or POST alike) and returns the XML document. The
view in ``views/discovery.py`` only turns a request into that call.

Decisions (documented in docs/architecture.md):

- Records are the **live, public** article and edition pages; identifiers are
  ``oai:<host>:article/<page id>`` and ``oai:<host>:edition/<page id>``, where ``<host>`` is the
  host of ``WAGTAILADMIN_BASE_URL`` (never the request's Host header, so identifiers are stable).
- Datestamps are ``last_published_at`` in UTC, second granularity; ``from``/``until`` take
  either granularity (both the same when both are given), inclusive.
- Sets: ``revista`` (every article), ``revista:vol<V>-num<N>`` (the articles of one issue),
  ``abc`` (every booklet edition), ``abc:<series slug>`` (the editions of one series).
- ``deletedRecord`` is ``no``: an unpublished article or edition leaves the repository at once;
  ``GetRecord`` then answers ``idDoesNotExist`` and a selective harvest no longer lists it.
  Wagtail keeps no reliable time of unpublication, so announcing tombstones would be guesswork.
- Resumption tokens are stateless: a signed, compact encoding of the verb's arguments, the
  position of the last record served (its datestamp and page id: keyset pagination, so a
  record republished during a harvest moves to the end instead of shifting the others) and the
  cursor. A token that was tampered with or does not fit answers ``badResumptionToken``.
- Each response page costs a constant number of SQL queries, whatever the page size.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.utils import timezone
from lxml import etree
from wagtail.models import Page, Site

from .models import (
    ArticlePage,
    BookletPage,
    BookletSeries,
    EditionPage,
    IssuePage,
    PublicationFile,
    PublicationSettings,
)
from .models.common import Licence
from .models.files import FileFormat, FileStatus

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
ID_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"

MAGAZINE_SET = "revista"
BOOKLET_SET = "abc"
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
MAX_ID = 2**31 - 1  # larger numbers cannot be page ids (and PostgreSQL would refuse them)
_TOKEN_SALT = "publications.oai.resumption"
_ISSUE_SET = re.compile(r"^revista:vol(\d{1,5})-num(\d{1,5})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_LANGUAGES = {"es": "spa", "en": "eng", "pt": "por", "fr": "fra"}

# Arguments each verb accepts (required, optional, exclusive).
_VERBS: dict[str, tuple[set[str], set[str], str | None]] = {
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
}


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def page_size() -> int:
    return int(getattr(settings, "PUBLICATIONS_OAI_PAGE_SIZE", 100))


def repository_host() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def datestamp(value: dt.datetime | None) -> str:
    value = (value or EARLIEST).astimezone(dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- entry point -------------------------------------------------------------------------------

def respond(arguments: Mapping[str, Sequence[str]], base_url: str) -> bytes:
    """The OAI-PMH response document for ``arguments`` (every value a list), as UTF-8 XML."""
    now = timezone.now()
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    _text(root, "responseDate", datestamp(now))
    request_el = _text(root, "request", base_url)
    try:
        verb, args = _check_arguments(arguments)
        # The request element echoes the arguments only when they were valid (spec 3.2).
        request_el.set("verb", verb)
        for name, value in args.items():
            request_el.set(name, _xml_safe(value))
        _HANDLERS[verb](root, args, base_url)
    except OAIError as error:
        _error(root, request_el, [error])
    except _ManyErrors as errors:
        _error(root, request_el, errors.errors)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class _ManyErrors(Exception):
    def __init__(self, errors: list[OAIError]):
        self.errors = errors


def _error(root, request_el, errors: list[OAIError]) -> None:
    if any(e.code in ("badVerb", "badArgument") for e in errors):
        # Spec 3.2: after badVerb or badArgument the request element carries no attributes.
        request_el.attrib.clear()
    for error in errors:
        el = _text(root, "error", error.message)
        el.set("code", error.code)


def _check_arguments(arguments: Mapping[str, Sequence[str]]) -> tuple[str, dict[str, str]]:
    errors: list[OAIError] = []
    verbs = list(arguments.get("verb", []))
    if len(verbs) != 1 or verbs[0] not in _VERBS:
        raise OAIError("badVerb", "El verbo falta, se repitió o no es un verbo de OAI-PMH."
                       if len(verbs) != 1 else f"Verbo no válido: {verbs[0][:50]}")
    verb = verbs[0]
    required, optional, exclusive = _VERBS[verb]
    args: dict[str, str] = {}
    for name, values in arguments.items():
        if name == "verb":
            continue
        if name not in required | optional and name != exclusive:
            errors.append(OAIError("badArgument", f"Argumento no permitido en {verb}: {name[:50]}"))
            continue
        if len(values) != 1:
            errors.append(OAIError("badArgument", f"El argumento {name} se repitió."))
            continue
        args[name] = values[0]
    if errors:
        raise _ManyErrors(errors)
    if exclusive and exclusive in args:
        if len(args) > 1:
            raise OAIError("badArgument", f"{exclusive} es un argumento exclusivo.")
        return verb, args
    missing = sorted(required - set(args))
    if missing:
        raise OAIError("badArgument", "Faltan argumentos: " + ", ".join(missing))
    return verb, args


def _text(parent, name: str, value: str | None, ns: str = OAI_NS):
    el = etree.SubElement(parent, f"{{{ns}}}{name}")
    if value is not None:
        el.text = _xml_safe(str(value))
    return el


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value: str) -> str:
    return _NOT_XML.sub("", value)


# --- Identify, ListMetadataFormats, ListSets ---------------------------------------------------

def _identify(root, args, base_url) -> None:
    el = etree.SubElement(root, f"{{{OAI_NS}}}Identify")
    publication_settings = _settings()
    _text(el, "repositoryName", f"{publication_settings.publisher}: México Transparente y Los ABC")
    _text(el, "baseURL", base_url)
    _text(el, "protocolVersion", "2.0")
    admin = publication_settings.committee_email or settings.DEFAULT_FROM_EMAIL
    _text(el, "adminEmail", admin.rsplit("<", 1)[-1].rstrip(">").strip())
    earliest = (Page.objects.live().type(ArticlePage, EditionPage)
                .exclude(last_published_at=None).order_by("last_published_at")
                .values_list("last_published_at", flat=True).first())
    _text(el, "earliestDatestamp", datestamp(earliest or EARLIEST))
    _text(el, "deletedRecord", "no")
    _text(el, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    description = etree.SubElement(el, f"{{{OAI_NS}}}description")
    ident = etree.SubElement(description, f"{{{ID_NS}}}oai-identifier", nsmap={None: ID_NS})
    ident.set(f"{{{XSI_NS}}}schemaLocation", f"{ID_NS} {ID_SCHEMA}")
    _text(ident, "scheme", "oai", ID_NS)
    _text(ident, "repositoryIdentifier", repository_host(), ID_NS)
    _text(ident, "delimiter", ":", ID_NS)
    _text(ident, "sampleIdentifier", f"oai:{repository_host()}:article/1", ID_NS)


def _list_metadata_formats(root, args, base_url) -> None:
    if "identifier" in args:
        _find_record(args["identifier"])  # raises idDoesNotExist
    el = etree.SubElement(root, f"{{{OAI_NS}}}ListMetadataFormats")
    fmt = etree.SubElement(el, f"{{{OAI_NS}}}metadataFormat")
    _text(fmt, "metadataPrefix", "oai_dc")
    _text(fmt, "schema", OAI_DC_SCHEMA)
    _text(fmt, "metadataNamespace", OAI_DC_NS)


def _list_sets(root, args, base_url) -> None:
    if "resumptionToken" in args:
        # Every set fits in one response: no token of ours is ever handed out for ListSets.
        raise OAIError("badResumptionToken", "Este repositorio no divide la lista de conjuntos.")
    el = etree.SubElement(root, f"{{{OAI_NS}}}ListSets")
    for spec, name in all_sets():
        s = etree.SubElement(el, f"{{{OAI_NS}}}set")
        _text(s, "setSpec", spec)
        _text(s, "setName", name)


def all_sets() -> list[tuple[str, str]]:
    sets = [(MAGAZINE_SET, "México Transparente")]
    for issue in IssuePage.objects.live().public().order_by("volume", "number"):
        sets.append((issue_set_spec(issue), f"México Transparente, vol. {issue.volume}, "
                                            f"núm. {issue.number}"))
    sets.append((BOOKLET_SET, "Cuadernillos"))
    for series in BookletSeries.objects.order_by("slug"):
        sets.append((f"{BOOKLET_SET}:{series.slug}", series.name))
    return sets


def issue_set_spec(issue: IssuePage) -> str:
    return f"{MAGAZINE_SET}:vol{issue.volume}-num{issue.number}"


# --- the list of records -----------------------------------------------------------------------

@dataclass
class _Query:
    verb: str
    prefix: str
    since: dt.datetime | None
    until: dt.datetime | None
    set_spec: str | None
    after: tuple[dt.datetime, int] | None = None
    cursor: int = 0
    arguments: dict | None = None


def _parse_date(value: str, *, end: bool) -> tuple[dt.datetime, str]:
    if _DAY.match(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise OAIError("badArgument", f"Fecha no válida: {value[:30]}") from None
        start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
        return (_after(start, dt.timedelta(days=1)) if end else start), "day"
    if _SECOND.match(value):
        try:
            moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            raise OAIError("badArgument", f"Fecha no válida: {value[:30]}") from None
        return (_after(moment, dt.timedelta(seconds=1)) if end else moment), "second"
    raise OAIError("badArgument", f"Fecha no válida (AAAA-MM-DD o AAAA-MM-DDThh:mm:ssZ): "
                                  f"{value[:30]}")


def _after(moment: dt.datetime, step: dt.timedelta) -> dt.datetime:
    """The exclusive end of an inclusive ``until``; the last day a date can hold (9999-12-31)
    ends at the last representable moment instead of overflowing."""
    try:
        return moment + step
    except OverflowError:
        return dt.datetime.max.replace(tzinfo=dt.UTC)


def _query_from(verb: str, args: dict[str, str]) -> _Query:
    if "resumptionToken" in args:
        return _decode_token(verb, args["resumptionToken"])
    prefix = args["metadataPrefix"]
    since = until = None
    granularities = set()
    if "from" in args:
        since, g = _parse_date(args["from"], end=False)
        granularities.add(g)
    if "until" in args:
        until, g = _parse_date(args["until"], end=True)
        granularities.add(g)
    if len(granularities) > 1:
        raise OAIError("badArgument", "from y until deben tener la misma granularidad.")
    if since and until and since >= until:
        raise OAIError("badArgument", "from es posterior a until.")
    if prefix != "oai_dc":
        raise OAIError("cannotDisseminateFormat", f"Formato no disponible: {prefix[:50]}")
    set_spec = args.get("set")
    if set_spec is not None:
        _check_set(set_spec)
    return _Query(verb=verb, prefix=prefix, since=since, until=until, set_spec=set_spec,
                  arguments={k: args[k] for k in ("metadataPrefix", "from", "until", "set")
                             if k in args})


_SERIES_SLUG = re.compile(r"[-\w]{1,255}")


def _check_set(spec: str) -> None:
    if spec in (MAGAZINE_SET, BOOKLET_SET) or _ISSUE_SET.match(spec):
        return
    if spec.startswith(BOOKLET_SET + ":") and _SERIES_SLUG.fullmatch(spec.split(":", 1)[1]):
        return  # a series' slug (a NUL, which PostgreSQL refuses, is never looked up)
    raise OAIError("badArgument", f"Conjunto desconocido: {spec[:80]}")


def _records_queryset(query: _Query):
    pages = Page.objects.live().public().filter(alias_of__isnull=True).exclude(
        last_published_at=None)
    spec = query.set_spec
    if spec is None:
        pages = pages.type(ArticlePage, EditionPage)
    elif spec == MAGAZINE_SET:
        pages = pages.type(ArticlePage)
    elif spec == BOOKLET_SET:
        pages = pages.type(EditionPage)
    elif match := _ISSUE_SET.match(spec):
        issue_paths = list(IssuePage.objects.live().filter(
            volume=int(match[1]), number=int(match[2])).values_list("path", flat=True))
        pages = pages.type(ArticlePage).filter(_under(issue_paths))
    else:
        slug = spec.split(":", 1)[1]
        booklet_paths = list(BookletPage.objects.filter(series__slug=slug)
                             .values_list("path", flat=True))
        pages = pages.type(EditionPage).filter(_under(booklet_paths))
    if query.since:
        pages = pages.filter(last_published_at__gte=query.since)
    if query.until:
        pages = pages.filter(last_published_at__lt=query.until)
    return pages


def _under(paths: list[str]) -> Q:
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path, depth=len(path) // Page.steplen + 1)
    return condition


def _list(root, args, base_url, *, with_metadata: bool) -> None:
    verb = "ListRecords" if with_metadata else "ListIdentifiers"
    query = _query_from(verb, args)
    everything = _records_queryset(query)
    page = everything.order_by("last_published_at", "pk")
    if query.after:
        stamp, pk = query.after
        page = page.filter(Q(last_published_at__gt=stamp) | Q(last_published_at=stamp, pk__gt=pk))
    size = page_size()
    rows = list(page.values_list("pk", "content_type_id", "last_published_at")[:size + 1])
    if not rows:
        raise OAIError("noRecordsMatch", "Ningún registro corresponde a la solicitud.")
    more = len(rows) > size
    rows = rows[:size]
    records = _load([pk for pk, _ct, _ts in rows])
    container = etree.SubElement(root, f"{{{OAI_NS}}}{verb}")
    for pk, _ct, _ts in rows:
        record = records.get(pk)
        if record is None:
            continue
        if with_metadata:
            _record_element(container, record)
        else:
            _header(container, record)
    if more or query.cursor:
        total = everything.count()
        token_el = etree.SubElement(container, f"{{{OAI_NS}}}resumptionToken")
        token_el.set("completeListSize", str(total))
        token_el.set("cursor", str(query.cursor))
        if more:
            last_pk, _ct, last_ts = rows[-1]
            token_el.text = _encode_token(query, last_ts, last_pk, query.cursor + len(rows))


def _list_records(root, args, base_url) -> None:
    _list(root, args, base_url, with_metadata=True)


def _list_identifiers(root, args, base_url) -> None:
    _list(root, args, base_url, with_metadata=False)


def _get_record(root, args, base_url) -> None:
    if args["metadataPrefix"] != "oai_dc":
        _find_record(args["identifier"])
        raise OAIError("cannotDisseminateFormat",
                       f"Formato no disponible: {args['metadataPrefix'][:50]}")
    record = _find_record(args["identifier"])
    container = etree.SubElement(root, f"{{{OAI_NS}}}GetRecord")
    _record_element(container, record)


# --- resumption tokens -------------------------------------------------------------------------

def _encode_token(query: _Query, last_ts: dt.datetime, last_pk: int, cursor: int) -> str:
    payload = {"v": query.verb[4], "a": query.arguments, "t": last_ts.astimezone(dt.UTC).isoformat(),
               "p": last_pk, "c": cursor}
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True)
    packed = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    return signing.Signer(salt=_TOKEN_SALT).sign(packed)


def _decode_token(verb: str, token: str) -> _Query:
    bad = OAIError("badResumptionToken", "El resumptionToken no es válido o caducó.")
    try:
        packed = signing.Signer(salt=_TOKEN_SALT).unsign(token)
        raw = base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))
        payload = json.loads(raw)
        if payload["v"] != verb[4]:
            raise bad
        args = dict(payload["a"])
        stamp = dt.datetime.fromisoformat(payload["t"])
        pk, cursor = int(payload["p"]), int(payload["c"])
    except (signing.BadSignature, ValueError, KeyError, TypeError, AttributeError):
        raise bad from None
    try:
        query = _query_from(verb, args)
    except OAIError:
        raise bad from None
    query.after = (stamp, pk)
    query.cursor = cursor
    return query


# --- records -----------------------------------------------------------------------------------

@dataclass
class Record:
    page: ArticlePage | EditionPage
    kind: str  # "article" or "edition"
    identifier: str
    set_specs: list[str]
    metadata: dict[str, list[str]]


def identifier_for(page) -> str:
    kind = "article" if isinstance(page, ArticlePage) else "edition"
    return f"oai:{repository_host()}:{kind}/{page.pk}"


def _find_record(identifier: str) -> Record:
    match = re.fullmatch(rf"oai:{re.escape(repository_host())}:(article|edition)/(\d{{1,12}})",
                         identifier)
    missing = OAIError("idDoesNotExist", f"No existe el identificador {identifier[:120]}")
    if not match:
        raise missing
    model = ArticlePage if match[1] == "article" else EditionPage
    pk = int(match[2])
    if pk > MAX_ID:
        raise missing
    if not model.objects.live().public().filter(pk=pk, alias_of__isnull=True).exclude(
            last_published_at=None).exists():
        raise missing
    record = _load([pk]).get(pk)
    if record is None:
        raise missing
    return record


def _load(pks: list[int]) -> dict[int, Record]:
    """The records of these pages, in a constant number of queries."""
    if not pks:
        return {}
    articles = list(ArticlePage.objects.filter(pk__in=pks).select_related("section")
                    .prefetch_related("article_authors__author__institution"))
    editions = list(EditionPage.objects.filter(pk__in=pks).prefetch_related("laws")
                    .select_related("replaces"))
    parent_paths = {p.path[:-Page.steplen] for p in [*articles, *editions]}
    issues = {p.path: p for p in IssuePage.objects.filter(path__in=parent_paths)} if articles else {}
    booklets = ({p.path: p for p in BookletPage.objects.filter(path__in=parent_paths)
                 .select_related("series")} if editions else {})
    pdfs = {}
    for f in (PublicationFile.objects.filter(page_id__in=pks, status=FileStatus.READY)
              .order_by("page_id", "format", "-version")):
        pdfs.setdefault((f.page_id, f.format), f)
    context = _Context(_settings(), pdfs)
    out: dict[int, Record] = {}
    for a in articles:
        out[a.pk] = _article_record(a, issues.get(a.path[:-Page.steplen]), context)
    for e in editions:
        out[e.pk] = _edition_record(e, booklets.get(e.path[:-Page.steplen]), context)
    return out


@dataclass
class _Context:
    settings: PublicationSettings
    files: dict


def _settings() -> PublicationSettings:
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return PublicationSettings()
    return PublicationSettings.for_site(site)


def file_url(f: PublicationFile | None, slug: str) -> str | None:
    if f is None or not f.file:
        return None
    url = f.download_path(slug)
    if url.startswith("/"):
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    return url


def _language(code: str) -> str:
    return _LANGUAGES.get((code or "es").split("-")[0].lower(), code or "spa")


def _article_record(a: ArticlePage, issue: IssuePage | None, ctx: _Context) -> Record:
    authors = [link.author for link in sorted(a.article_authors.all(), key=lambda x: x.sort_order)]
    url = a.get_full_url()
    identifiers = [url] + ([f"https://doi.org/{a.doi}"] if a.doi else [])
    pdf = ctx.files.get((a.pk, FileFormat.PDF))
    source = ["México Transparente"]
    relation = []
    sets = [MAGAZINE_SET]
    if issue is not None:
        source = [f"México Transparente; vol. {issue.volume}, núm. {issue.number} "
                  f"({issue.issue_date:%Y})" + (f"; {a.first_page}-{a.last_page}"
                                                if a.first_page and a.last_page else "")]
        if issue.live:
            # Ahead of print, the issue's page is a 404 and ListSets does not announce its
            # set (an issue under a private section leaves its articles out altogether).
            relation.append(issue.get_full_url())
            sets.append(issue_set_spec(issue))
    if ctx.settings.issn:
        source.append(f"ISSN {ctx.settings.issn}")
    if pdf is not None:
        relation.append(file_url(pdf, a.slug))
    title = a.title + (f": {a.subtitle}" if a.subtitle else "")
    published = a.first_published_at or a.last_published_at
    metadata = {
        "title": [title],
        "creator": [f"{au.family_names}, {au.given_names}" for au in authors],
        "subject": a.keyword_list + ([a.section.name] if a.section_id else []),
        "description": [a.abstract],
        "publisher": [ctx.settings.publisher],
        "date": [timezone.localtime(published).date().isoformat()] if published else [],
        "type": ["info:eu-repo/semantics/article", "Text"],
        "format": ["text/html"] + (["application/pdf"] if pdf else []),
        "identifier": identifiers,
        "source": source,
        "language": [_language(a.language)],
        "relation": [r for r in relation if r],
        "rights": [Licence.url(a.licence)],
    }
    return Record(a, "article", identifier_for(a), sets, metadata)


def _edition_record(e: EditionPage, booklet: BookletPage | None, ctx: _Context) -> Record:
    url = e.get_full_url()
    pdf = ctx.files.get((e.pk, FileFormat.PDF))
    epub = ctx.files.get((e.pk, FileFormat.EPUB))
    sets = [BOOKLET_SET]
    source = []
    if booklet is not None:
        sets.append(f"{BOOKLET_SET}:{booklet.series.slug}")
        source.append(f"{booklet.series.name}, núm. {booklet.number}: {booklet.title}")
    relation = [file_url(pdf, e.slug), file_url(epub, e.slug)]
    if e.replaces_id and e.replaces and e.replaces.live:
        relation.append(e.replaces.get_full_url())
    laws = list(e.laws.all())
    relation += [law.url for law in laws if law.url]
    metadata = {
        "title": [e.title],
        "creator": [ctx.settings.publisher],
        "subject": [law.name for law in laws],
        "description": [d for d in ((booklet.description if booklet else ""), e.change_summary)
                        if d],
        "publisher": [ctx.settings.publisher],
        "date": [e.current_to.isoformat()],
        "type": ["info:eu-repo/semantics/book", "Text"],
        "format": ["text/html"] + (["application/pdf"] if pdf else [])
        + (["application/epub+zip"] if epub else []),
        "identifier": [url],
        "source": source,
        "language": ["spa"],
        "relation": [r for r in relation if r],
        "rights": [Licence.url(e.licence)],
    }
    return Record(e, "edition", identifier_for(e), sets, metadata)


_DC_ORDER = ("title", "creator", "subject", "description", "publisher", "date", "type", "format",
             "identifier", "source", "language", "relation", "rights")


def _header(parent, record: Record):
    header = etree.SubElement(parent, f"{{{OAI_NS}}}header")
    _text(header, "identifier", record.identifier)
    _text(header, "datestamp", datestamp(record.page.last_published_at))
    for spec in record.set_specs:
        _text(header, "setSpec", spec)
    return header


def _record_element(parent, record: Record) -> None:
    el = etree.SubElement(parent, f"{{{OAI_NS}}}record")
    _header(el, record)
    metadata = etree.SubElement(el, f"{{{OAI_NS}}}metadata")
    dc = etree.SubElement(metadata, f"{{{OAI_DC_NS}}}dc",
                          nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    dc.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    for name in _DC_ORDER:
        for value in record.metadata.get(name, []):
            if value:
                _text(dc, name, value, DC_NS)


_HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "ListIdentifiers": _list_identifiers,
    "ListRecords": _list_records,
    "GetRecord": _get_record,
}
