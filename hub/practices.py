"""The library of good practices: public search and filters, who edits which practice, its
open dataset, its figures for the dashboards and its demo content.

Officers (Comunicación) document practices of their own institution: the admin's page hooks
(``hub.wagtail_hooks``) ask :func:`may_edit_page` before every edit, delete, copy, move,
publish or unpublish, and the explorer lists only their institution's practices.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from hub.indicators import Figure, Scope, Section, Series
from hub.opendata import Dataset, Field, changes, register
from hub.opendata import FieldType as T
from hub.search import normalise_query
from network import rules
from network.enums import PracticeTopic
from network.models import Institution, Region

from .models import GoodPracticePage, PracticeLibraryPage

PER_PAGE = 12


# --- Public library ---------------------------------------------------------------------------

def published_practices():
    return GoodPracticePage.objects.live().public()


def library_context(library: PracticeLibraryPage, params) -> dict:
    """The practices of ``library`` matching the query string (``q``, ``tema``, ``region``,
    ``pagina``); unknown values are reported in Spanish and match nothing."""
    qs = published_practices().descendant_of(library)
    topic = params.get("tema", "")
    region_slug = params.get("region", "")
    query = normalise_query(params.get("q", ""))
    errors = []
    if topic:
        if topic in PracticeTopic.values:
            qs = qs.filter(topic=topic)
        else:
            errors.append(_("Ese tema no existe; elija uno de la lista."))
            qs = qs.none()
    regions = list(Region.objects.all())
    if region_slug:
        region = next((r for r in regions if r.slug == region_slug), None)
        if region is None:
            errors.append(_("Esa región no existe; elija una de la lista."))
            qs = qs.none()
        else:
            qs = qs.filter(region=region)
    if query:
        results = qs.search(query)
    else:
        results = qs.order_by("-first_published_at", "title")
    page = Paginator(results, PER_PAGE).get_page(params.get("pagina"))
    ids = [p.pk for p in page.object_list]
    practices = {p.pk: p for p in GoodPracticePage.objects.filter(pk__in=ids).select_related(
        "institution", "region")}
    return {
        "practices": [practices[pk] for pk in ids if pk in practices],
        "page_obj": page,
        "regions": regions,
        "topics": PracticeTopic.choices,
        "selected": {"tema": topic, "region": region_slug, "q": params.get("q", "")[:200]},
        "errors": errors,
    }


# --- Who edits which practice -----------------------------------------------------------------

def may_edit_page(user, page) -> bool:
    """Any page but a practice: the page permissions decide. A practice: Coordinación, or an
    officer of the institution that documents it."""
    if page.specific_class is not GoodPracticePage:
        return True
    return bool(rules.can_act_on(user, page.specific))


def practices_hidden_from(user):
    """Ids of the practices ``user`` may not edit (none for Coordinación)."""
    if rules.is_coordinator(user):
        return GoodPracticePage.objects.none().values("pk")
    own = rules.officer_institution_id(user) if rules.is_officer(user) else None
    return GoodPracticePage.objects.exclude(institution_id=own).values("pk")


def scope_explorer(parent_page, pages, user):
    """The practices an officer sees in the explorer: their own institution's."""
    if rules.is_coordinator(user) or parent_page.specific_class is not PracticeLibraryPage:
        return pages
    own = rules.officer_institution_id(user) if rules.is_officer(user) else None
    return pages.filter(Q(goodpracticepage__isnull=True) | Q(goodpracticepage__institution_id=own))


# --- Open data --------------------------------------------------------------------------------

def practices_version():
    return (changes(published_practices(), "last_published_at"),
            changes(GoodPracticePage.objects.all(), "last_published_at"),
            changes(Institution.objects.all()), Region.objects.count())


def _plain(html: str) -> str:
    return " ".join(strip_tags(html or "").split())


def practice_rows():
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    topics = {value: str(label) for value, label in PracticeTopic.choices}
    qs = published_practices().select_related("institution", "region").prefetch_related(
        Prefetch("documents__document"))
    for p in qs.order_by("-first_published_at", "pk").iterator(chunk_size=500):
        contact = p.public_contact
        yield {
            "id": p.pk,
            "titulo": p.title,
            "institucion": p.institution.acronym,
            "region": p.region.name if p.region_id else None,
            "tema": topics.get(p.topic, p.topic),
            "anio": p.year,
            "resumen": p.intro,
            "problema": _plain(p.problem),
            "que_se_hizo": _plain(p.actions),
            "resultados": _plain(p.results),
            "contacto": contact.get("name"),
            "correo_contacto": contact.get("email"),
            "documentos": [base + d.document.url for d in p.documents.all()],
            "publicada": (timezone.localtime(p.first_published_at).isoformat()
                          if p.first_published_at else None),
            "url": p.full_url or "",
        }


register(Dataset(
    name="buenas-practicas",
    title=_("Biblioteca de buenas prácticas"),
    description=_("Prácticas documentadas por los órganos garantes: problema, qué se hizo, "
                  "resultados, tema y región. El contacto solo aparece si la institución lo "
                  "publicó."),
    fields=(
        Field("id", T.INTEGER, _("Identificador estable en Enlace")),
        Field("titulo", T.STRING, _("Título")),
        Field("institucion", T.STRING, _("Siglas de la institución que la documenta")),
        Field("region", T.STRING, _("Coordinación regional del SNT")),
        Field("tema", T.STRING, _("Tema")),
        Field("anio", T.INTEGER, _("Año de implementación")),
        Field("resumen", T.STRING, pgettext_lazy("buena práctica", "Resumen")),
        Field("problema", T.STRING, _("Problema que atendió (texto)")),
        Field("que_se_hizo", T.STRING, _("Qué se hizo (texto)")),
        Field("resultados", T.STRING, _("Resultados (texto)")),
        Field("contacto", T.STRING, _("Persona de contacto, si es pública")),
        Field("correo_contacto", T.EMAIL, _("Correo de contacto, si es público")),
        Field("documentos", T.LIST, _("Documentos de la práctica")),
        Field("publicada", T.DATETIME, _("Primera publicación, ISO 8601")),
        Field("url", T.URL, _("Página de la práctica")),
    ),
    rows=practice_rows,
    version=practices_version,
    models=("hub.GoodPracticePage", "hub.GoodPracticeDocument", "network.Institution",
            "network.Region"),
))


# --- Dashboards -------------------------------------------------------------------------------

def practice_indicators(scope: Scope) -> Section:
    """Practices published (in all, and in the period) for the scope, and by topic."""
    practices = published_practices()
    if scope.region_id is not None:
        practices = practices.filter(region_id=scope.region_id)
    if scope.institution_id is not None:
        practices = practices.filter(institution_id=scope.institution_id)
    start, end = scope.period.bounds()
    # The library as it stood at the period's end: a past quarter does not count the
    # practices published after it.
    practices = practices.filter(first_published_at__lt=end)
    in_period = practices.filter(first_published_at__gte=start)
    counts = dict(practices.order_by().values_list("topic").annotate(n=Count("pk")))
    total, recent = practices.count(), in_period.count()
    return Section(
        key="practices", order=65,
        title=_("Buenas prácticas"),
        figures=[Figure(_("Buenas prácticas publicadas"), total),
                 Figure(_("Publicadas en el periodo"), recent)],
        series=[Series(_("Buenas prácticas por tema"),
                       [(str(label), counts.get(value, 0))
                        for value, label in PracticeTopic.choices])],
        summary=_("%(held)s; %(published)s.") % {
            "held": ngettext("La biblioteca reúne %(total)s buena práctica",
                             "La biblioteca reúne %(total)s buenas prácticas",
                             total) % {"total": total},
            "published": ngettext("%(recent)s se publicó en el periodo",
                                  "%(recent)s se publicaron en el periodo",
                                  recent) % {"recent": recent}},
    )


# --- Demo -------------------------------------------------------------------------------------

DEMO_PRACTICES = [
    ("Solicitudes de información en lenguas originarias", "INAIP", PracticeTopic.ACCESS,
     "Intérpretes y formatos en maya para que más personas ejerzan su derecho a saber.",
     "Las comunidades mayahablantes casi no presentaban solicitudes de información.",
     "Se tradujeron los formatos y se capacitó a intérpretes comunitarios en cada municipio.",
     "Las solicitudes en lengua maya se triplicaron en un año."),
    ("Archivo municipal en orden en 100 días", "IVAI", PracticeTopic.ARCHIVES,
     "Un método sencillo para que los ayuntamientos pequeños organicen su archivo de trámite.",
     "Los ayuntamientos no localizaban expedientes y declaraban inexistencias.",
     "Se acompañó a 20 ayuntamientos con una guía, plantillas y visitas de seguimiento.",
     "Las declaratorias de inexistencia bajaron a la mitad en los municipios participantes."),
    ("Datos abiertos de obra pública para la ciudadanía", "INFOEM", PracticeTopic.PROACTIVE,
     "Publicación proactiva del avance de la obra pública municipal, en mapas y datos abiertos.",
     "La población preguntaba una y otra vez por las mismas obras.",
     "Se publicó un tablero con el avance físico y financiero, actualizado cada mes.",
     "Las solicitudes repetidas sobre obra pública bajaron 40 %."),
]


def build_practices_demo(home) -> PracticeLibraryPage | None:
    """The library under ``home`` with three published practices; idempotent."""
    if home is None:
        return None
    library = PracticeLibraryPage.objects.first()
    if library is None:
        library = PracticeLibraryPage(
            title="Buenas prácticas", slug="buenas-practicas",
            intro="Experiencias de los órganos garantes para aprender unos de otros.")
        home.add_child(instance=library)
        library.save_revision().publish()
    institutions = {i.acronym: i for i in Institution.objects.filter(
        acronym__in=[row[1] for row in DEMO_PRACTICES])}
    for title, acronym, topic, intro, problem, actions, results in DEMO_PRACTICES:
        if acronym not in institutions or GoodPracticePage.objects.filter(title=title).exists():
            continue
        practice = GoodPracticePage(
            title=title, institution=institutions[acronym], topic=topic, year=2025,
            intro=intro, problem=f"<p>{problem}</p>", actions=f"<p>{actions}</p>",
            results=f"<p>{results}</p>", contact_name="Unidad de Vinculación",
            contact_email=f"vinculacion@{institutions[acronym].slug}.example.org",
            contact_public=True)
        library.add_child(instance=practice)
        practice.save_revision().publish()
    return library
