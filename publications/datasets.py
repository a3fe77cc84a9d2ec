"""Open data of publications: ``articulos`` and ``cuadernillos`` under /datos/.

Only live, public pages; authors' names, affiliations and ORCID iDs (public scholarly
metadata), never their e-mail.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub import pagecache
from hub.opendata import Dataset, Field, changes, register
from hub.opendata import FieldType as T

from .domain.discovery import article_rows, edition_rows
from .models import ArticlePage, EditionPage, PublicationFile


def _version(pages) -> tuple:
    """What the rows depend on: the live pages (publishing, unpublishing), their ready files,
    and the page cache's generation, which every change to something public replaces (authors,
    sections, laws, files: hub/pagecache.py). Should the store be unreachable, every request is
    a new version (never a stale 304)."""
    token = pagecache.current_generation() or timezone.now().isoformat()
    return (token, changes(pages.live(), "last_published_at"),
            changes(PublicationFile.objects.filter(status="listo"), "ready_at"))


def articles_version() -> tuple:
    return _version(ArticlePage.objects.all())


def editions_version() -> tuple:
    return _version(EditionPage.objects.all())

ARTICLES = register(Dataset(
    name="articulos",
    title=_("Artículos de la revista México Transparente"),
    description=_("Cada artículo publicado de la revista, con sus autores en orden, su número, "
                  "DOI, licencia y enlaces. Nunca incluye correos electrónicos."),
    fields=(
        Field("id", T.INTEGER, _("Identificador del artículo en el sitio")),
        Field("titulo", T.STRING, _("Título")),
        Field("subtitulo", T.STRING, _("Subtítulo")),
        Field("autores", T.LIST, _("Nombres de las personas autoras, en el orden publicado")),
        Field("adscripciones", T.LIST, _("Adscripción de cada persona autora, en el mismo orden")),
        Field("orcid", T.LIST, _("ORCID de cada persona autora, en el mismo orden (vacío si no "
                                 "lo tiene)")),
        Field("seccion", T.STRING, _("Sección de la revista")),
        Field("numero_titulo", T.STRING, _("Título del número")),
        Field("volumen", T.INTEGER, _("Volumen")),
        Field("numero", T.INTEGER, _("Número")),
        Field("fecha", T.DATE, _("Fecha de publicación del artículo (hora del centro)")),
        Field("doi", T.STRING, _("DOI, sin el prefijo https://doi.org/")),
        Field("licencia", T.URL, _("Licencia (dirección de su texto)")),
        Field("palabras_clave", T.LIST, _("Palabras clave")),
        Field("resumen", T.STRING, _("Resumen")),
        Field("url", T.URL, _("Página del artículo")),
        Field("pdf_url", T.URL, _("PDF vigente del artículo, si ya está disponible")),
        Field("paginas", T.STRING, _("Páginas en el PDF del número (inicial-final)")),
    ),
    rows=article_rows,
    version=articles_version,
    page_cache=True,  # a change to anything it shows purges the page cache
    tags=("publicaciones", "revista"),
))

BOOKLETS = register(Dataset(
    name="cuadernillos",
    title=_("Ediciones de los cuadernillos Los ABC"),
    description=_("Cada edición publicada de los cuadernillos, con las leyes en que se basa, la "
                  "reforma que la motivó y enlaces a sus archivos."),
    fields=(
        Field("id", T.INTEGER, _("Identificador de la edición en el sitio")),
        Field("cuadernillo", T.STRING, _("Título del cuadernillo")),
        Field("serie", T.STRING, _("Serie")),
        Field("numero_en_serie", T.INTEGER, _("Número del cuadernillo en la serie")),
        Field("edicion", T.INTEGER, _("Número de edición")),
        Field("tipo", T.STRING, _("Nueva edición, corrección o fe de erratas")),
        Field("actualizado_a", T.DATE, _("Fecha a la que el contenido está actualizado")),
        Field("vigente", T.BOOLEAN, _("Si es la edición vigente del cuadernillo")),
        Field("leyes", T.LIST, _("Nombres cortos de las leyes en que se basa")),
        Field("motivo", T.STRING, _("Reforma o ley nueva que motivó la edición")),
        Field("sustituye_a", T.URL, _("Edición que sustituye")),
        Field("que_cambio", T.STRING, _("Qué cambió, para las personas lectoras")),
        Field("licencia", T.URL, _("Licencia (dirección de su texto)")),
        Field("fecha_publicacion", T.DATETIME, _("Fecha y hora de publicación (hora del centro)")),
        Field("url", T.URL, _("Página de la edición")),
        Field("pdf_url", T.URL, _("PDF de la edición, si ya está disponible")),
        Field("epub_url", T.URL, _("EPUB de la edición, si ya está disponible")),
    ),
    rows=edition_rows,
    version=editions_version,
    page_cache=True,  # a change to anything it shows purges the page cache
    tags=("publicaciones", "cuadernillos"),
))
