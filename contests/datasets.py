"""Open data of the contests: published results (resultados-concursos)."""

from django.conf import settings
from django.db.models import Count, Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.opendata import Dataset, Field, register

from .domain.archive import archived_entries
from .domain.results import public_authors, public_school


def results_version():
    """One aggregate query over the published works: what they are and when they changed
    (entries, profiles, awards, coauthors, the calls and their results publication)."""
    found = archived_entries().order_by().aggregate(
        count=Count("pk", distinct=True),
        entries=Max("updated_at"),
        profiles=Max("owner__entrant_profile__updated_at"),
        places=Sum("award__place"),
        awards=Max("award__pk"),
        coauthors=Count("coauthors", distinct=True),
        calls=Max("call__last_published_at"),
        published=Max("call__results_publication__published_at"),
        visible_from=Max("call__results_at"),
    )
    return tuple(sorted(found.items()))


def result_rows():
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for e in (archived_entries().order_by("-call__year", "call_id", "category__sort_order", "award__place",
                                          "pk").iterator(chunk_size=2000)):
        profile = getattr(e.owner, "entrant_profile", None)
        yield {
            "convocatoria": e.call.title,
            "edicion": e.call.edition,
            "anio": e.call.year,
            "categoria": e.category.name,
            "tipo_de_obra": e.category.get_kind_display(),
            "lugar": e.award.place or None,
            "premio": e.award.label,
            "folio": e.folio,
            "titulo": e.title,
            "autoria": public_authors(e),
            "escuela_o_medio": public_school(e) or None,
            "entidad": profile.get_state_display() if profile else None,
            "licencia": e.call.license,
            "publicado": timezone.localtime(e.call.results_at).isoformat(),
            "url": base + reverse("contests:archive_item", args=[e.folio]),
        }


register(Dataset(
    name="resultados-concursos",
    title=_("Resultados de los concursos"),
    description=_("Obras ganadoras y menciones de los concursos nacionales del SNT, una vez publicados "
                  "los resultados. Los nombres de menores de edad no se publican."),
    fields=(
        Field("convocatoria", "string", _("Título de la convocatoria")),
        Field("edicion", "integer", _("Número de edición")),
        Field("anio", "integer", _("Año de la convocatoria")),
        Field("categoria", "string", _("Categoría (modalidad)")),
        Field("tipo_de_obra", "string", _("Spot, reportaje, ensayo, tesis, video, dibujo o aplicación")),
        Field("lugar", "integer", _("1, 2, 3…; vacío para mención honorífica")),
        Field("premio", "string", _("Lugar o mención, en palabras")),
        Field("folio", "string", _("Folio de la participación")),
        Field("titulo", "string", _("Título de la obra")),
        Field("autoria", "string", _("Autoras y autores (reservado para menores de edad)")),
        Field("escuela_o_medio", "string", _("Escuela, universidad o medio")),
        Field("entidad", "string", _("Entidad federativa de la persona responsable")),
        Field("licencia", "string", _("Licencia de la obra")),
        Field("publicado", "datetime", _("Fecha de publicación de los resultados (hora del centro)")),
        Field("url", "string", _("Ficha de la obra en el acervo")),
    ),
    rows=result_rows,
    tags=("concursos",),
    version=results_version,
    models=("contests.Entry", "contests.EntrantProfile", "contests.CoAuthor", "contests.Award",
            "contests.ResultsPublication", "contests.ContestCallPage", "contests.Category"),
))
