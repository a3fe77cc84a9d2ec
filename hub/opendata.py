"""Open data: a registry of public datasets served as JSON and CSV under /datos/.

An app registers a dataset with its schema (Spanish field names, type, description) and a
function that yields rows. Only what a dataset's rows contain is ever published, so personal
data appears only where a dataset deliberately includes fields marked public.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control

from hub.safety import spreadsheet_safe


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

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


_REGISTRY: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    _REGISTRY[dataset.name] = dataset
    return dataset


def datasets() -> list[Dataset]:
    return sorted(_REGISTRY.values(), key=lambda d: d.name)


def get_dataset(name: str) -> Dataset:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise Http404(name) from None


def index(request):
    return render(request, "hub/datos.html", {"datasets": datasets()})


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


@cache_control(max_age=300, public=True)
def as_json(request, name: str):
    dataset = get_dataset(name)
    results = [_only_schema(dataset, row) for row in dataset.rows()]
    response = JsonResponse(
        {"dataset": dataset.name, "count": len(results), "schema": _schema(dataset),
         "results": results},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _only_schema(dataset: Dataset, row: dict) -> dict:
    return {name: row.get(name) for name in dataset.field_names()}


class _Echo:
    def write(self, value):
        return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return spreadsheet_safe(value)


@cache_control(max_age=300, public=True)
def as_csv(request, name: str):
    dataset = get_dataset(name)
    writer = csv.writer(_Echo())
    names = dataset.field_names()

    def stream():
        yield "\ufeff" + writer.writerow(names)
        for row in dataset.rows():
            yield writer.writerow([_csv_value(row.get(n)) for n in names])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dataset.name}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_control(max_age=3600, public=True)
def schema(request, name: str):
    return JsonResponse(_schema(get_dataset(name)), json_dumps_params={"ensure_ascii": False})


__all__ = ["Dataset", "Field", "FieldType", "register", "datasets", "io"]
