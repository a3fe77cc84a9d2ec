"""The catalog of /datos/: every public dataset described for the tools that harvest open data.

* ``/datos/datapackage.json``: a Frictionless Data Package (v2). One resource per dataset: its
  CSV (UTF-8) with its Table Schema, so ``frictionless validate`` (or any tool of that
  ecosystem) reads and checks every file in one go.
* ``/datos/catalogo.jsonld``: a DCAT catalog in JSON-LD (the DCAT-AP vocabulary), what CKAN's
  DCAT harvester (datos.gob.mx runs CKAN) and other catalogs import: each dataset with its
  title, description, keywords, licence, publisher and its CSV and JSON distributions.

Both are built from the registry of ``hub.opendata`` (the code's datasets, not their rows), in
the visitor's language, with absolute addresses on the host that was asked; no query is run.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from hub import opendata
from hub.opendata import Dataset, Field, FieldType

# The licences datasets declare, by the short name ``Dataset.license`` holds.
LICENSES = {
    "CC BY 4.0": {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                  "title": "Creative Commons Attribution 4.0 International"},
}
LIST_DELIMITER = "; "  # how the CSV writes a list in one cell (``opendata._csv_value``)


def _license(dataset: Dataset) -> dict:
    return LICENSES.get(dataset.license, {"name": dataset.license, "title": dataset.license})


def _table_field(f: Field) -> dict:
    described = {"name": f.name, "description": str(f.description)}
    if f.type is FieldType.LIST:
        described.update(type="list", delimiter=LIST_DELIMITER, itemType="string")
    else:
        described["type"] = f.type.schema_type
        if f.type.schema_format:
            described["format"] = f.type.schema_format
    return described


def _absolute(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _publisher() -> str:
    return _(
        "Sistema Nacional de Transparencia, Comisión de Vinculación, Promoción, Difusión y "
        "Comunicación Social")


def _catalog_title() -> str:
    return _("Datos abiertos de Enlace, Sistema Nacional de Transparencia")


def _catalog_description() -> str:
    return _("Los conjuntos de datos públicos de la red del Sistema Nacional de Transparencia: "
             "instituciones, eventos, convenios, publicaciones, concursos y herramientas de "
             "gobierno abierto, en CSV y JSON con su esquema.")


@cache_control(max_age=3600, public=True)
def data_package(request):
    resources = [{
        "name": d.name,
        "title": str(d.title),
        "description": str(d.description),
        "path": _absolute(request, "opendata_csv", d.name),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "licenses": [_license(d)],
        "schema": {"fields": [_table_field(f) for f in d.fields]},
    } for d in opendata.datasets()]
    package = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "enlace-datos-abiertos",
        "title": _catalog_title(),
        "description": _catalog_description(),
        "homepage": _absolute(request, "opendata"),
        "licenses": sorted({d.license: _license(d) for d in opendata.datasets()}.values(),
                           key=lambda lic: lic["name"]),
        "contributors": [{"title": _publisher(), "roles": ["publisher"]}],
        "keywords": sorted({tag for d in opendata.datasets() for tag in d.tags}),
        "resources": resources,
    }
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}


@cache_control(max_age=3600, public=True)
def dcat_catalog(request):
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]

    def text(value) -> dict:
        return {"@value": str(value), "@language": language}

    publisher = {"@type": "foaf:Organization", "foaf:name": text(_publisher())}
    home = _absolute(request, "opendata")

    def distribution(d: Dataset, view: str, fmt: str, media: str) -> dict:
        return {
            "@id": _absolute(request, view, d.name),
            "@type": "dcat:Distribution",
            "dct:title": text(f"{d.name}.{fmt.lower()}"),
            "dct:format": fmt,
            "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
            "dcat:downloadURL": {"@id": _absolute(request, view, d.name)},
            "dcat:accessURL": {"@id": home},
            "dct:license": {"@id": _license(d).get("path", d.license)},
            "dct:conformsTo": {"@id": _absolute(request, "opendata_schema", d.name)},
        }

    datasets = [{
        "@id": f"{home}#ds-{d.name}",
        "@type": "dcat:Dataset",
        "dct:identifier": d.name,
        "dct:title": text(d.title),
        "dct:description": text(d.description),
        "dcat:keyword": [text(tag) for tag in d.tags],
        "dct:publisher": publisher,
        "dct:license": {"@id": _license(d).get("path", d.license)},
        "dcat:landingPage": {"@id": f"{home}#ds-{d.name}"},
        "dcat:distribution": [distribution(d, "opendata_csv", "CSV", "text/csv"),
                              distribution(d, "opendata_json", "JSON", "application/json")],
    } for d in opendata.datasets()]
    catalog = {
        "@context": _CONTEXT,
        "@id": _absolute(request, "opendata_dcat"),
        "@type": "dcat:Catalog",
        "dct:title": text(_catalog_title()),
        "dct:description": text(_catalog_description()),
        "dct:publisher": publisher,
        "dct:language": language,
        "foaf:homepage": {"@id": home},
        "dcat:dataset": datasets,
    }
    response = JsonResponse(catalog, content_type="application/ld+json",
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response
