"""Open data: a registry of public datasets served as JSON and CSV under /datos/.

An app registers a dataset with its schema (Spanish field names, type, description) and a
function that yields rows. Only what a dataset's rows contain is ever published, so personal
data appears only where a dataset deliberately includes fields marked public.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.models.functions import Cast
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition

from hub import pagecache
from hub.safety import FORMULA_STARTS, spreadsheet_safe

log = logging.getLogger(__name__)


class FieldType(models.TextChoices):
    """The one vocabulary of field types in every public schema: Frictionless Table Schema's.

    ``url`` and ``email`` are strings with a ``format`` in the schema, as that standard says.
    """

    STRING = "string", _("texto")
    INTEGER = "integer", _("número entero")
    NUMBER = "number", _("número")
    BOOLEAN = "boolean", _("verdadero o falso")
    DATE = "date", _("fecha (AAAA-MM-DD)")
    DATETIME = "datetime", _("fecha y hora (ISO 8601)")
    LIST = "array", _("lista")
    URL = "url", _("dirección web")
    EMAIL = "email", _("correo electrónico")

    @property
    def schema_type(self) -> str:
        return "string" if self in (FieldType.URL, FieldType.EMAIL) else self.value

    @property
    def schema_format(self) -> str | None:
        return {FieldType.URL: "uri", FieldType.EMAIL: "email"}.get(self)


# Names used before the vocabulary was fixed; kept so an older Field("x", "texto") still works.
_LEGACY_TYPES = {
    "texto": FieldType.STRING, "entero": FieldType.INTEGER, "numero": FieldType.NUMBER,
    "booleano": FieldType.BOOLEAN, "fecha": FieldType.DATE, "fecha y hora": FieldType.DATETIME,
    "lista": FieldType.LIST, "list": FieldType.LIST, "correo": FieldType.EMAIL,
}


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    description: str

    def __post_init__(self):
        # Accept the enum or its value; anything else is a programming error caught at import.
        value = _LEGACY_TYPES.get(self.type, self.type)
        object.__setattr__(self, "type", FieldType(value))


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: Callable[[], Iterable[dict]]
    license: str = "CC BY 4.0"
    tags: tuple[str, ...] = field(default_factory=tuple)
    # A cheap fingerprint of everything the rows depend on (counts, max(updated_at), today's
    # start when a field depends on the date), usually one or two aggregate queries. It gives
    # the ETag, and its newest date-time the Last-Modified; pollers whose copy is current get
    # a 304 and the JSON body is cached under it. Without one, every request builds the rows.
    version: Callable[[], tuple] | None = None
    # The models (``"app.Model"`` labels) whose saves, deletes and many-to-many changes can
    # change the rows: after such a change commits, a worker rebuilds the dataset's JSON and
    # CSV under their new ETag (``rebuild()``), so the next request finds them in the cache.
    models: tuple[str, ...] = ()
    # Instead (or as well): the version holds the page cache's generation (``hub.pagecache``),
    # which a change to anything public replaces; the bodies are then rebuilt once each purge
    # has taken effect, under the new generation, whatever model changed.
    page_cache: bool = False
    # Optional fast path for a large dataset: its rows already written as JSON objects, the
    # exact text the JSON encoder writes for ``rows()`` (tests hold them equal). The C encoder
    # then never sees the rows, and labels, dates and lists repeated across rows are encoded
    # once per body instead of once per row.
    json_rows: Callable[[], Iterable[str]] | None = None
    # Likewise for the CSV: each row as the line the CSV writer writes for it, "\r\n"
    # included (cells from ``csv_cell()``: spreadsheet-safe, quoted as the writer quotes).
    csv_lines: Callable[[], Iterable[str]] | None = None

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


_REGISTRY: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    _REGISTRY[dataset.name] = dataset
    name = f"datos:{dataset.name}"
    if dataset.version is not None and (dataset.models or dataset.page_cache):
        register_rebuild(name, dataset.models, lambda: _rebuild_dataset(dataset))
    if dataset.version is not None and dataset.page_cache:
        _AFTER_PURGE.add(name)
        pagecache.after_purge(_rebuild_after_purge)
    else:
        _AFTER_PURGE.discard(name)
    return dataset


_AFTER_PURGE: set[str] = set()  # rebuilds of datasets whose version holds the generation


def _rebuild_after_purge() -> None:
    for name in sorted(_AFTER_PURGE):
        schedule_rebuild(name)


def datasets() -> list[Dataset]:
    return sorted(_REGISTRY.values(), key=lambda d: d.name)


def get_dataset(name: str) -> Dataset:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise Http404(name) from None


def index(request):
    return render(request, "hub/datos.html", {"datasets": datasets()})


def changes(queryset, field: str = "updated_at") -> tuple:
    """How many rows and when the last one changed: one aggregate query, for a ``version``."""
    found = queryset.order_by().aggregate(count=models.Count("pk"), changed=models.Max(field))
    return found["count"], found["changed"]


def start_of_today() -> dt.datetime:
    """Local midnight, for versions of datasets with a field that depends on today's date
    (it moves the Last-Modified forward when the day, and so the field, changes)."""
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def plain_rows(queryset, chunk_size: int = 2000) -> Iterator[tuple]:
    """The rows of a ``values_list()`` queryset as the database driver gives them, skipping
    Django's per-value converters (on SQLite, parsing every date-time was most of the time of
    a 10,000-row export). Pass date-time columns through ``moment()``; other columns must be
    text or integers, which every driver already gives as such."""
    compiler = queryset.query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            yield from rows


def moment(value) -> dt.datetime | None:
    """A date-time column of ``plain_rows()`` as an aware date-time: PostgreSQL gives one (or
    its text, with its offset); SQLite gives the naive UTC date-time (or its text) that Django
    stored."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def plain_values(queryset, *names: str):
    """``queryset.values_list(*names)`` for ``plain_rows()``, with each date-time column read as
    text (ISO 8601: SQLite's stored text, PostgreSQL's ``timestamptz::text``), which
    ``moment()`` and ``local_iso()`` read in one C call: Django's own converters (SQLite) and
    date-time loader (PostgreSQL) parse each value with a regular expression, most of the
    cost of reading 20,000 date-times."""
    fields = {f.name: f for f in queryset.model._meta.concrete_fields}
    raw, columns = {}, []
    for name in names:
        if isinstance(fields.get(name), models.DateTimeField):
            alias = f"plain_{name}"
            raw[alias] = Cast(name, models.TextField())
            columns.append(alias)
        else:
            columns.append(name)
    return queryset.annotate(**raw).values_list(*columns) if raw else queryset.values_list(*names)


def local_iso(zone: dt.tzinfo) -> Callable[[object], str | None]:
    """``value -> ISO 8601 in zone`` for date-time columns of ``plain_rows()`` (``None`` stays
    ``None``), remembering each value it converted: events share start times (a whole day's
    programme, weekly series), and a dictionary look-up costs far less than a conversion."""
    seen: dict = {None: None}

    def convert(value):
        try:
            return seen[value]
        except KeyError:
            seen[value] = text = moment(value).astimezone(zone).isoformat()
            return text

    return convert


FORMAT = "3"  # bump when the JSON or CSV layout changes, so cached bodies and ETags renew


@dataclass(frozen=True)
class Validator:
    etag: str
    last_modified: dt.datetime | None


def _moments(value):
    if isinstance(value, dt.datetime):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _moments(item)


def validator(dataset: Dataset) -> Validator | None:
    if dataset.version is None:
        return None
    version = dataset.version()
    parts = (FORMAT, dataset.name, get_language() or "", version)
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    moments = list(_moments(version))
    last = min(max(moments), timezone.now()).replace(microsecond=0) if moments else None
    return Validator(etag=f'"{digest}"', last_modified=last)


def _request_validator(request, name: str) -> Validator | None:
    """Computed once per request: the ETag, Last-Modified and the view all read it."""
    if not hasattr(request, "_enlace_opendata"):
        dataset = _REGISTRY.get(name)
        request._enlace_opendata = validator(dataset) if dataset else None
    return request._enlace_opendata


def _etag(request, name: str):
    found = _request_validator(request, name)
    return found.etag if found else None


def _last_modified(request, name: str):
    found = _request_validator(request, name)
    return found.last_modified if found else None


def _schema(dataset: Dataset) -> dict:
    return {
        "nombre": dataset.name,
        "titulo": str(dataset.title),
        "descripcion": str(dataset.description),
        "licencia": dataset.license,
        "campos": [_field_schema(f) for f in dataset.fields],
    }


def _field_schema(f: Field) -> dict:
    described = {"nombre": f.name, "tipo": f.type.schema_type}
    if f.type.schema_format:
        described["formato"] = f.type.schema_format
    described["descripcion"] = str(f.description)
    return described


BATCH = 500  # rows encoded per call of the JSON encoder (or of the CSV writer)
SLICE = 256 * 1024  # bytes per piece of a cached CSV body


def _schema_rows(dataset: Dataset, rows: Iterable[dict] | None = None) -> Iterator[dict]:
    """The dataset's rows holding exactly its schema's fields, in the schema's order."""
    names = dataset.field_names()
    for row in dataset.rows() if rows is None else rows:
        yield row if list(row) == names else {name: row.get(name) for name in names}


def _json_body(dataset: Dataset, rows: Iterable[dict] | None = None) -> bytes:
    """The JSON document (of ``rows`` if given, the dataset's rows read once). Rows are
    encoded ``BATCH`` at a time (one call of the C encoder each, not one per row), so only
    the encoded text of every row is ever kept."""
    dump = DjangoJSONEncoder(ensure_ascii=False).encode  # lazy labels, dates
    chunks, count, batch = [], 0, []
    if rows is None and dataset.json_rows is not None:
        chunks = list(dataset.json_rows())
        count = len(chunks)
        rows = ()
    for row in _schema_rows(dataset, rows):
        batch.append(row)
        if len(batch) == BATCH:
            chunks.append(dump(batch)[1:-1])
            count += len(batch)
            batch = []
    if batch:
        chunks.append(dump(batch)[1:-1])
        count += len(batch)
    head = dump({"dataset": dataset.name, "count": count, "schema": _schema(dataset)})
    return "".join((head[:-1], ', "results": [', ", ".join(chunks), "]}")).encode()


# First characters after which a cell may read as a formula (``spreadsheet_safe`` decides):
# a set lookup per text cell instead of a function call.
_MAYBE_FORMULA = frozenset(FORMULA_STARTS) | {" ", "\u00a0"}


def _csv_value(value):
    if value is None:
        return ""
    if value.__class__ is str:
        return spreadsheet_safe(value) if value[:1] in _MAYBE_FORMULA else value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return spreadsheet_safe(value)


def _csv_lines(dataset: Dataset, rows: Iterable[dict] | None = None) -> Iterator[str]:
    """The CSV text, a batch of lines at a time (with the byte order mark spreadsheet programs
    need to read UTF-8), of ``rows`` if given, otherwise of the dataset's rows read once."""
    names = dataset.field_names()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(names)
    yield "\ufeff" + out.getvalue()
    batch = []
    if rows is None and dataset.csv_lines is not None:
        for line in dataset.csv_lines():
            batch.append(line)
            if len(batch) == BATCH:
                yield "".join(batch)
                batch = []
        if batch:
            yield "".join(batch)
        return
    maybe_formula, value = _MAYBE_FORMULA, _csv_value
    for row in dataset.rows() if rows is None else rows:
        # Most cells are plain text, integers or empty, which the writer takes as they are
        # (None is written empty): only the rest goes through ``_csv_value``.
        batch.append([cell if cell is None or (kind := cell.__class__) is int
                      or (kind is str and cell[:1] not in maybe_formula) else value(cell)
                      for cell in map(row.get, names)])
        if len(batch) == BATCH:
            yield _csv_text(batch)
            batch = []
    if batch:
        yield _csv_text(batch)


# What makes the CSV writer (its default dialect: ``,``, ``"``, "\r\n") quote a cell.
_NEEDS_QUOTES = re.compile('[,"\r\n]').search


def csv_cell(value: str | None) -> str:
    """A text cell of a dataset's ``csv_lines``, exactly as the generic writer writes it
    (``_csv_value``, then the CSV writer's minimal quoting): spreadsheet-safe, quoted when it
    holds a comma, a quote or a line break; ``None`` and ``""`` empty."""
    if not value:
        return ""
    if value[:1] in _MAYBE_FORMULA:
        value = spreadsheet_safe(value)
    if _NEEDS_QUOTES(value):
        return '"' + value.replace('"', '""') + '"'
    return value


class Memo(dict):
    """``memo[value]``: ``convert(value)``, computed once per distinct value. A value met
    again costs one dictionary look-up, without a Python call: for columns whose values
    repeat across rows (places, links, date-times, lists of organizers)."""

    def __init__(self, convert: Callable, known: dict | None = None):
        super().__init__(known or ())
        self.convert = convert

    def __missing__(self, value):
        self[value] = found = self.convert(value)
        return found


def _csv_text(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


BODY_SECONDS = 24 * 3600  # how long a built body is kept (a new version is a new key anyway)


def _body_key(fmt: str, found: Validator) -> str:
    return f"opendata:{fmt}:{found.etag.strip(chr(34))}"


def _csv_body(dataset: Dataset, rows: Iterable[dict] | None = None) -> bytes:
    return "".join(_csv_lines(dataset, rows)).encode()


def _still(dataset: Dataset, found: Validator) -> bool:
    """Whether the dataset's version is still the one ``found`` was computed from: a body
    built in between is kept under that ETag only then (a change committed while the rows
    were read would otherwise leave newer rows under the older ETag)."""
    current = validator(dataset)
    return current is not None and current.etag == found.etag


def _cached_body(dataset: Dataset, found: Validator | None, fmt: str) -> bytes:
    """The body built once per dataset version and kept in the shared ``default`` cache under
    its ETag: the version (counts, last changes) moves whenever a row can change, so a new
    version is a new key and an old body is never served. Every worker then serves it; a
    worker usually built it already, right after the change (``rebuild()``)."""
    build = _json_body if fmt == "json" else _csv_body
    if found is None:
        return build(dataset)
    key = _body_key(fmt, found)
    body = cache.get(key)
    if body is None:
        body = build(dataset)
        if _still(dataset, found):
            cache.set(key, body, BODY_SECONDS)
    return body


def _rebuild_dataset(dataset: Dataset) -> int:
    """Build and keep the dataset's JSON and CSV (in the active language) under its current
    ETag, the bytes a request would build, from one reading of the rows; nothing is kept if
    the data changed meanwhile (the change asked for its own rebuild). Returns how many
    bodies were stored."""
    found = validator(dataset)
    keys = {fmt: _body_key(fmt, found) for fmt in ("json", "csv")}
    missing = [fmt for fmt, key in keys.items() if not cache.has_key(key)]
    if not missing:
        return 0
    # One reading of the rows for the formats without a fast path of their own.
    fast = {"json": dataset.json_rows is not None, "csv": dataset.csv_lines is not None}
    rows = None if all(fast[fmt] for fmt in missing) else list(dataset.rows())
    bodies = {fmt: (_json_body if fmt == "json" else _csv_body)(
        dataset, None if fast[fmt] else rows) for fmt in missing}
    if not _still(dataset, found):
        return 0
    cache.set_many({keys[fmt]: body for fmt, body in bodies.items()}, BODY_SECONDS)
    return len(bodies)


@cache_control(max_age=300, public=True)
@condition(etag_func=_etag, last_modified_func=_last_modified)
def as_json(request, name: str):
    dataset = get_dataset(name)
    body = _cached_body(dataset, _request_validator(request, name), "json")
    response = HttpResponse(body, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_control(max_age=300, public=True)
@condition(etag_func=_etag, last_modified_func=_last_modified)
def as_csv(request, name: str):
    """Built once per version and cached like the JSON, then streamed from the cache; a
    dataset without a version is streamed as it is read (memory stays flat however many
    rows). A current copy gets a 304."""
    dataset = get_dataset(name)
    found = _request_validator(request, name)
    if found is None:
        response = StreamingHttpResponse((text.encode() for text in _csv_lines(dataset)),
                                         content_type="text/csv; charset=utf-8")
    else:
        body = _cached_body(dataset, found, "csv")
        # Still a streaming answer (clients and tests read it as one), in slices.
        response = StreamingHttpResponse(
            (body[i:i + SLICE] for i in range(0, len(body), SLICE)),
            content_type="text/csv; charset=utf-8")
        response["Content-Length"] = str(len(body))
    response["Content-Disposition"] = f'attachment; filename="{dataset.name}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_control(max_age=3600, public=True)
def schema(request, name: str):
    return JsonResponse(_schema(get_dataset(name)), json_dumps_params={"ensure_ascii": False})


# --- Rebuilt after each change, before anyone asks --------------------------------------------
#
# A change to the data behind a dataset or feed gives it a new ETag, so its next request would
# build the body (a "miss"). Instead, once the change commits, one job per dataset or feed
# (``hub.rebuild_open_data``) builds the default bodies in every language and stores them under
# their new ETag; the next request is a cache hit. Debounced: while one rebuild of a name waits
# in the queue, further changes enqueue nothing (the job reads the data when it runs, after
# them). A request that comes before the job still builds the body itself: slower, never wrong.


@dataclass(frozen=True)
class Rebuild:
    name: str
    models: frozenset[str]  # "app.Model" labels whose writes change it
    build: Callable[[], int]  # stores the default bodies in the active language; how many


_REBUILDS: dict[str, Rebuild] = {}
_BY_MODEL: dict[str, tuple[str, ...]] = {}
PENDING_SECONDS = 600  # a job lost with its broker frees the name after this long
REBUILD_TASK = "hub.rebuild_open_data"


def register_rebuild(name: str, models: Iterable[str], build: Callable[[], int]) -> None:
    """``build()`` runs in a worker after any save, delete or many-to-many change of
    ``models`` commits (see above). Datasets with ``models`` or ``page_cache`` are registered by
    ``register``; other feeds (the iCal calendar) register themselves."""
    _REBUILDS[name] = Rebuild(name, frozenset(models), build)
    by_model: dict[str, list[str]] = {}
    for entry in _REBUILDS.values():
        for label in entry.models:
            by_model.setdefault(label, []).append(entry.name)
    _BY_MODEL.clear()
    _BY_MODEL.update({label: tuple(sorted(names)) for label, names in by_model.items()})


def rebuilds() -> list[str]:
    return sorted(_REBUILDS)


def _pending_key(name: str) -> str:
    return f"opendata:rebuild-pending:{name}"


def rebuild(name: str) -> int:
    """Build and store the default bodies of ``name`` in every language of the site (the
    job's work; harmless to run again: bodies already stored are not built). Returns how
    many bodies were stored; 0 for a name no longer registered."""
    entry = _REBUILDS.get(name)
    if entry is None:
        return 0
    cache.delete(_pending_key(name))  # changes from now on ask for another rebuild
    stored = 0
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            stored += entry.build()
    return stored


def _task(name: str):
    """The registered task; outside a worker, Celery's autodiscovery runs on first use."""
    from celery import current_app

    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def _enqueue(name: str) -> None:
    """One rebuild job for ``name`` unless one is already waiting; never raises (a broker
    that is down only means the next request builds the body itself)."""
    key = _pending_key(name)
    if not cache.add(key, True, PENDING_SECONDS):
        return
    try:
        _task(REBUILD_TASK).apply_async(kwargs={"name": name},
                                        retry_policy={"max_retries": 1, "interval_start": 0})
    except Exception as exc:  # kombu/redis raise many kinds; none may reach the saver
        cache.delete(key)
        log.warning("Could not enqueue the rebuild of %s: %s: %s", name, type(exc).__name__, exc)


class _AfterCommit:
    """The callback that enqueues the rebuild of ``name``; it knows whether it ran."""

    def __init__(self, name: str):
        self.name, self.ran = name, False

    def __call__(self):
        self.ran = True
        _enqueue(self.name)


def _rebuilds_reach_requests() -> bool:
    """A body a worker builds helps requests only through a cache every process shares
    (Redis, files), or when jobs run in the saving process (``task_always_eager``): not with
    the per-process memory cache of a run without ``REDIS_URL``."""
    from celery import current_app
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    return (not isinstance(caches["default"], LocMemCache)
            or bool(current_app.conf.task_always_eager))


def schedule_rebuild(name: str, *, using: str | None = None) -> None:
    """Ask for a rebuild of ``name`` once the current transaction commits (at once outside
    one); once per transaction however many rows it writes. Nothing is asked when no request
    could use what the job builds (``_rebuilds_reach_requests``)."""
    if not _rebuilds_reach_requests():
        return
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        current = set(connection.savepoint_ids)
        for sids, func, _robust in connection.run_on_commit:
            # Already asked at this level or an outer one: it survives whatever this does.
            if (isinstance(func, _AfterCommit) and func.name == name and not func.ran
                    and sids <= current):
                return
    transaction.on_commit(_AfterCommit(name), using=using, robust=True)


def _changed(sender, instance=None, raw=False, using=None, **kwargs):
    if raw:
        return
    for name in _BY_MODEL.get(sender._meta.label, ()):
        schedule_rebuild(name, using=using)


def _relinked(sender, instance, action, model, using=None, **kwargs):
    if not action.startswith("post_"):
        return
    names = set(_BY_MODEL.get(type(instance)._meta.label, ()))
    names.update(_BY_MODEL.get(model._meta.label, ()))
    for name in sorted(names):
        schedule_rebuild(name, using=using)


def connect_rebuilds() -> None:
    """Called once from ``HubConfig.ready()``: every save, delete and relink is looked up
    (one dictionary look-up) among the models of the registered rebuilds."""
    post_save.connect(_changed, dispatch_uid="hub.opendata.rebuild_on_save")
    post_delete.connect(_changed, dispatch_uid="hub.opendata.rebuild_on_delete")
    m2m_changed.connect(_relinked, dispatch_uid="hub.opendata.rebuild_on_relink")


__all__ = ["Dataset", "Field", "FieldType", "register", "datasets", "io"]
