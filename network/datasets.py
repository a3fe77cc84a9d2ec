"""The network's open datasets: instituciones, eventos, convenios, hojas de ruta, agendas."""

from collections.abc import Callable
from json.encoder import encode_basestring
from operator import itemgetter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.opendata import (
    Dataset,
    Field,
    Memo,
    changes,
    csv_cell,
    local_iso,
    plain_rows,
    plain_values,
    register,
    start_of_today,
)
from hub.opendata import FieldType as T

from .enums import AgreementStanding, MilestoneStatus, RoadmapDimension
from .models import (
    ActionLine,
    AgendaObjective,
    Agreement,
    Ally,
    Commission,
    Event,
    FollowUp,
    Institution,
    JointAgenda,
    Milestone,
    Region,
    Roadmap,
    RoadmapTool,
)

CHUNK = 2000  # rows read at a time: memory stays flat with 10,000 rows


def institutions_version():
    # "vigente" depends on today; region names are few and counted, not dated.
    return (changes(Institution.objects.all()), Region.objects.count(), start_of_today())


def events_version():
    # Every event, published or not (unpublishing changes the dataset), and what rows name.
    return (changes(Event.objects.all()), changes(Institution.objects.all()),
            changes(Commission.objects.all()))


def agreements_version():
    # "estatus" and "vencido" depend on today.
    return (changes(Agreement.objects.all()), changes(Institution.objects.all()),
            changes(Ally.objects.all()), start_of_today())


def _iso(value):
    return value.isoformat() if value else None


def _page_url_parts(route: str) -> tuple[str, str]:
    """What comes before and after the slug in the absolute URL of a public page."""
    marker = "slug-de-ejemplo"
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(route, kwargs={"slug": marker})
    prefix, suffix = url.split(marker)
    return prefix, suffix


def _page_url(route: str):
    """``slug -> absolute URL`` of a public page: one ``reverse()`` per export, not per row."""
    prefix, suffix = _page_url_parts(route)
    return lambda slug: prefix + slug + suffix


def institution_rows():
    kinds, states = _labels(Institution, "kind"), _labels(Institution, "state")
    url = _page_url("network:institution")
    qs = Institution.objects.select_related("region").prefetch_related("predecessors")
    for i in qs.order_by("name", "pk").iterator(chunk_size=CHUNK):
        yield {
            "id": i.pk,
            "nombre": i.name,
            "siglas": i.acronym,
            "tipo": kinds.get(i.kind, i.kind),
            "entidad": states.get(i.state, i.state) or None,
            "clave_entidad": i.state or None,
            "region": i.region.name if i.region_id else None,
            "sitio_web": i.website or None,
            "correo_institucional": i.email or None,
            "telefono_institucional": i.phone or None,
            "cuenta_x": i.x_handle or None,
            "vigente": i.is_current,
            "vigente_desde": _iso(i.valid_from),
            "vigente_hasta": _iso(i.valid_until),
            "predecesoras": [p.acronym for p in i.predecessors.all()],
            "url": url(i.slug),
        }


def _labels(model, name: str) -> dict:
    """A choice field's labels, translated once per export (``get_FOO_display()`` per row
    rebuilds and translates every choice: most of the time of a 10,000-row export)."""
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def organizer_acronyms(event_ids: set[int] | None = None,
                       encode: Callable[[list[str]], object] | None = None) -> dict[int, object]:
    """The acronyms of the organizers of each event (of ``event_ids`` only, if given), in the
    institutions' order (kind, name), or ``encode(acronyms)`` if given: two plain queries
    without a join or a sort of the links (a few integers per event, read whole: cheaper than
    a subquery choosing the events; the ~33 institutions are ranked once). Events share their
    sets of organizers, so each distinct set is ordered (and encoded) once per call."""
    ranked = Institution.objects.order_by("kind", "name", "pk").values_list("pk", "acronym")
    rank = {pk: (n, acronym) for n, (pk, acronym) in enumerate(plain_rows(ranked))}
    links = Event.organizers.through.objects.order_by().values_list("event_id",
                                                                     "institution_id")
    found: dict[int, list] = {}
    for event_id, institution_id in plain_rows(links, CHUNK):
        if event_ids is None or event_id in event_ids:
            found.setdefault(event_id, []).append(institution_id)

    def named(ids: tuple) -> object:
        acronyms = [acronym for _n, acronym in sorted(rank[pk] for pk in ids)]
        return encode(acronyms) if encode else acronyms

    sets = Memo(named)
    return {event_id: sets[tuple(ids)] for event_id, ids in found.items()}


def event_rows():
    """Plain tuples (``values_list``) and one query for the organizers: no model instance, no
    per-row label, URL or prefetch (10,000 instances with their prefetches were most of the
    time of an export)."""
    kinds, modes, states = _labels(Event, "kind"), _labels(Event, "mode"), _labels(Event, "state")
    url = _page_url("network:event")
    organizers = organizer_acronyms()
    commissions = dict(Commission.objects.values_list("pk", "name"))
    local = local_iso(ZoneInfo(settings.TIME_ZONE))  # the schema's zone, whatever is active
    no_organizers = ()
    for (pk, title, kind, mode, starts, ends, venue, state, online, registration, audience,
         commission, slug) in _public_event_rows():
        yield {
            "id": pk,
            "titulo": title,
            "tipo": kinds.get(kind, kind),
            "modalidad": modes.get(mode, mode),
            "inicio": local(starts),
            "fin": local(ends),
            "sede": venue or None,
            "entidad": states.get(state, state) or None,
            "enlace_transmision": online or None,
            "enlace_registro": registration or None,
            "publico": audience or None,
            "organizadores": organizers.get(pk, no_organizers),
            "comision": commissions.get(commission) if commission else None,
            "url": url(slug),
        }


def _public_event_rows():
    """The public events' columns of ``eventos``, in its order (start, then id), as plain
    rows. Read in the table's order and sorted here: asked to sort, SQLite walks the start
    time index and fetches each row from it, a third slower than reading the table through.
    The start is ISO 8601 text in UTC on both databases, so text order is time order."""
    events = Event.objects.public().order_by()
    rows = list(plain_rows(plain_values(
        events, "pk", "title", "kind", "mode", "starts_at", "ends_at", "venue", "state",
        "online_url", "registration_url", "audience", "commission_id", "slug"), CHUNK))
    rows.sort(key=_start_then_id)
    return rows


_start_then_id = itemgetter(4, 0)


def event_json_rows():
    """``event_rows()`` written as JSON objects, byte for byte what the JSON encoder writes
    for them, without building the dictionaries: labels, commissions, date-times, lists of
    organizers and repeated places and links are encoded once per body (a repeated value is
    one dictionary look-up); only titles and URLs are escaped per row (the C escaper the
    encoder itself uses)."""
    quote = encode_basestring

    def quoted(labels: dict) -> Memo:
        return Memo(quote, {value: quote(label) for value, label in labels.items()})

    kinds, modes = quoted(_labels(Event, "kind")), quoted(_labels(Event, "mode"))
    states = Memo(lambda value: quote(value) if value else "null",
                  {value: quote(label) if label else "null"
                   for value, label in _labels(Event, "state").items()})
    text = Memo(quote, {None: "null", "": "null"})
    prefix, suffix = _page_url_parts("network:event")
    dump = DjangoJSONEncoder(ensure_ascii=False).encode
    organizers = organizer_acronyms(encode=dump)
    commissions = {pk: quote(name) for pk, name in Commission.objects.values_list("pk", "name")}
    local = local_iso(ZoneInfo(settings.TIME_ZONE))
    moments = Memo(lambda value: quote(local(value)), {None: "null"})
    template = ('{"id": %d, "titulo": %s, "tipo": %s, "modalidad": %s, "inicio": %s, '
                '"fin": %s, "sede": %s, "entidad": %s, "enlace_transmision": %s, '
                '"enlace_registro": %s, "publico": %s, "organizadores": %s, "comision": %s, '
                '"url": %s}')
    for (pk, title, kind, mode, starts, ends, venue, state, online, registration, audience,
         commission, slug) in _public_event_rows():
        yield template % (
            pk, quote(title), kinds[kind], modes[mode], moments[starts], moments[ends],
            text[venue], states[state], text[online], text[registration], text[audience],
            organizers.get(pk, "[]"), commissions.get(commission, "null"),
            quote(prefix + slug + suffix))


def event_csv_lines():
    """``event_rows()`` as the lines the CSV writer writes for them (held equal by a test),
    without building the dictionaries or calling the writer: labels, date-times, lists of
    organizers and repeated places and links are written as cells once per body (a repeated
    value is one dictionary look-up); titles and URLs once per row."""
    cell = csv_cell

    def cells(labels: dict) -> Memo:
        return Memo(cell, {value: cell(label) for value, label in labels.items()})

    kinds, modes = cells(_labels(Event, "kind")), cells(_labels(Event, "mode"))
    states = cells(_labels(Event, "state"))
    text = Memo(cell, {None: ""})
    prefix, suffix = _page_url_parts("network:event")
    organizers = organizer_acronyms(encode=lambda acronyms: cell("; ".join(acronyms)))
    commissions = {pk: cell(name) for pk, name in Commission.objects.values_list("pk", "name")}
    local = local_iso(ZoneInfo(settings.TIME_ZONE))
    moments = Memo(lambda value: cell(local(value)), {None: ""})
    template = "%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n"
    for (pk, title, kind, mode, starts, ends, venue, state, online, registration, audience,
         commission, slug) in _public_event_rows():
        yield template % (
            pk, cell(title), kinds[kind], modes[mode], moments[starts], moments[ends],
            text[venue], states[state], text[online], text[registration], text[audience],
            organizers.get(pk, ""), commissions.get(commission, ""),
            cell(prefix + slug + suffix))


def agreement_rows():
    standings = {value: str(label) for value, label in AgreementStanding.choices}
    qs = Agreement.objects.public().select_related("document").prefetch_related(
        Prefetch("institutions", queryset=Institution.objects.only("pk", "acronym")), "allies"
    )
    for a in qs.order_by("-signed_on", "title", "pk").iterator(chunk_size=CHUNK):
        yield {
            "id": a.pk,
            "titulo": a.title,
            "objeto": a.object,
            "instituciones": [i.acronym for i in a.institutions.all()],
            "aliados": [x.name for x in a.allies.all()],
            "otras_partes": a.other_parties or None,
            "fecha_firma": _iso(a.signed_on),
            "vigente_desde": _iso(a.valid_from),
            "vence": _iso(a.valid_until),
            "estatus": standings[a.standing],
            "vencido": a.is_expired,
            "documento": a.document.url if a.document_id else None,
        }


register(Dataset(
    name="instituciones",
    title=_("Instituciones del SNT"),
    description=_("El organismo garante nacional y los órganos garantes de las 32 entidades, "
                  "con su región, vigencia e historia."),
    fields=(
        Field("id", T.INTEGER, _("Identificador estable en Enlace")),
        Field("nombre", T.STRING, _("Nombre oficial")),
        Field("siglas", T.STRING, _("Siglas")),
        Field("tipo", T.STRING, _("Nacional, estatal u otra")),
        Field("entidad", T.STRING, _("Entidad federativa (vacía para la nacional)")),
        Field("clave_entidad", T.STRING, _("Abreviatura de la entidad")),
        Field("region", T.STRING, _("Coordinación regional del SNT")),
        Field("sitio_web", T.URL, _("Sitio web")),
        Field("correo_institucional", T.EMAIL, _("Correo institucional público")),
        Field("telefono_institucional", T.STRING, _("Teléfono institucional público")),
        Field("cuenta_x", T.STRING, _("Cuenta de X, sin @")),
        Field("vigente", T.BOOLEAN, _("Si la institución existe hoy")),
        Field("vigente_desde", T.DATE, _("Inicio de vigencia (AAAA-MM-DD)")),
        Field("vigente_hasta", T.DATE, _("Fin de vigencia (AAAA-MM-DD)")),
        Field("predecesoras", T.LIST, _("Siglas de las instituciones a las que sustituyó")),
        Field("url", T.URL, _("Página de la institución en Enlace")),
    ),
    rows=institution_rows,
    version=institutions_version,
    models=("network.Institution", "network.Region"),
))

register(Dataset(
    name="eventos",
    title=_("Eventos de la red"),
    description=_("Conversatorios, clases magistrales, mesas de análisis, foros y "
                  "capacitaciones publicados en el calendario."),
    fields=(
        Field("id", T.INTEGER, _("Identificador estable en Enlace")),
        Field("titulo", T.STRING, _("Título")),
        Field("tipo", T.STRING, _("Tipo de evento")),
        Field("modalidad", T.STRING, _("Presencial, en línea o híbrido")),
        Field("inicio", T.DATETIME,
              _("Inicio, ISO 8601 con la zona horaria del centro de México (America/Mexico_City)")),
        Field("fin", T.DATETIME, _("Fin, ISO 8601")),
        Field("sede", T.STRING, _("Sede")),
        Field("entidad", T.STRING, _("Entidad federativa")),
        Field("enlace_transmision", T.URL, _("Transmisión o reunión en línea")),
        Field("enlace_registro", T.URL, _("Registro")),
        Field("publico", T.STRING, _("Público al que se dirige")),
        Field("organizadores", T.LIST, _("Siglas de las instituciones organizadoras")),
        Field("comision", T.STRING, _("Comisión del SNT")),
        Field("url", T.URL, _("Página del evento")),
    ),
    rows=event_rows,
    json_rows=event_json_rows,
    csv_lines=event_csv_lines,
    version=events_version,
    models=("network.Event", "network.Institution", "network.Commission"),
))

register(Dataset(
    name="convenios",
    title=_("Convenios de colaboración"),
    description=_("Convenios firmados por integrantes de la red con aliados y otras "
                  "instituciones. No incluye datos de las personas responsables."),
    fields=(
        Field("id", T.INTEGER, _("Identificador estable en Enlace")),
        Field("titulo", T.STRING, _("Título")),
        Field("objeto", T.STRING, _("Objeto del convenio")),
        Field("instituciones", T.LIST, _("Siglas de las instituciones firmantes")),
        Field("aliados", T.LIST, _("Aliados firmantes")),
        Field("otras_partes", T.STRING, _("Otras partes")),
        Field("fecha_firma", T.DATE, _("Fecha de firma")),
        Field("vigente_desde", T.DATE, _("Inicio de vigencia")),
        Field("vence", T.DATE, _("Fecha de vencimiento")),
        Field("estatus", T.STRING, _("En negociación, vigente, vencido (la fecha de vencimiento ya pasó), "
                                    "concluido o cancelado")),
        Field("vencido", T.BOOLEAN, _("Vigente en el registro pero con la fecha ya pasada")),
        Field("documento", T.URL, _("Documento firmado")),
    ),
    rows=agreement_rows,
    version=agreements_version,
    models=("network.Agreement", "network.Institution", "network.Ally"),
))


# --- Municipal roadmaps (hojas de ruta) ------------------------------------------------------

def roadmaps_version():
    # "vencido" depends on today; guarantor names and regions are shown.
    return (changes(Milestone.objects.all()), changes(Roadmap.objects.all()),
            changes(RoadmapTool.objects.all()), changes(Institution.objects.all()),
            start_of_today())


def roadmap_rows():
    today = timezone.localdate()
    statuses = _labels(Milestone, "status")
    states = _labels(Roadmap, "state")
    dimensions = {value: str(label) for value, label in RoadmapDimension.choices}
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    qs = (Milestone.objects.filter(roadmap__agreement__is_public=True)
          .select_related("tool", "roadmap__guarantor__region", "evidence_document"))
    for m in qs.order_by("roadmap__state", "roadmap__municipality", "roadmap_id",
                         "tool__dimension", "tool__order", "cycle", "pk").iterator(chunk_size=CHUNK):
        r = m.roadmap
        yield {
            "id": m.pk,
            "hoja_de_ruta": r.pk,
            "municipio": r.municipality,
            "entidad": states.get(r.state, r.state) or None,
            "clave_entidad": r.state or None,
            "organo_garante": r.guarantor.acronym,
            "region": r.guarantor.region.name if r.guarantor.region_id else None,
            "dimension": dimensions.get(m.tool.dimension, str(m.tool.dimension)),
            "herramienta": m.tool.name,
            "temporalidad": m.tool.duration_label,
            "ciclo": m.cycle,
            "inicia": _iso(m.starts_on),
            "vence": _iso(m.due_on),
            "estado": statuses.get(m.status, m.status),
            "concluido_el": _iso(m.completed_on),
            "vencido": m.status in MilestoneStatus.open() and m.due_on < today,
            "evidencia": m.evidence_url or (base + m.evidence_document.url
                                            if m.evidence_document_id else None),
            "url": base + r.get_absolute_url(),
        }


register(Dataset(
    name="hojas-de-ruta",
    title=_("Hojas de ruta municipales"),
    description=_("Los hitos de las hojas de ruta del Modelo Regional de Transparencia "
                  "Municipal: herramienta, fechas, estado y evidencia. No incluye datos de las "
                  "personas responsables."),
    fields=(
        Field("id", T.INTEGER, _("Identificador estable del hito")),
        Field("hoja_de_ruta", T.INTEGER, _("Identificador de la hoja de ruta")),
        Field("municipio", T.STRING, _("Municipio")),
        Field("entidad", T.STRING, _("Entidad federativa del municipio")),
        Field("clave_entidad", T.STRING, _("Abreviatura de la entidad")),
        Field("organo_garante", T.STRING, _("Siglas del órgano garante que la acompaña")),
        Field("region", T.STRING, _("Coordinación regional del SNT")),
        Field("dimension", T.STRING, _("Dimensión del modelo")),
        Field("herramienta", T.STRING, _("Herramienta del modelo")),
        Field("temporalidad", T.STRING, _("Temporalidad según el modelo")),
        Field("ciclo", T.INTEGER, _("Año de una herramienta anual (1 el primero)")),
        Field("inicia", T.DATE, _("Inicio del hito (AAAA-MM-DD)")),
        Field("vence", T.DATE, _("Vencimiento del hito (AAAA-MM-DD)")),
        Field("estado", T.STRING, _("No iniciado, en proceso o concluido")),
        Field("concluido_el", T.DATE, _("Fecha en que se registró como concluido")),
        Field("vencido", T.BOOLEAN, _("No concluido y con la fecha de vencimiento ya pasada")),
        Field("evidencia", T.URL, _("Enlace o documento de evidencia")),
        Field("url", T.URL, _("Página pública de la hoja de ruta")),
    ),
    rows=roadmap_rows,
    version=roadmaps_version,
    models=("network.Milestone", "network.Roadmap", "network.RoadmapTool",
            "network.Institution"),
))


def agendas_version():
    return (changes(JointAgenda.objects.all()), changes(ActionLine.objects.all()),
            AgendaObjective.objects.count(), FollowUp.objects.count(),
            changes(Institution.objects.all()), changes(Event.objects.all()))


def agenda_rows():
    """One row per line of action of a public agenda."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    statuses, topics = _labels(ActionLine, "status"), _labels(AgendaObjective, "topic")
    qs = ActionLine.objects.public().select_related("objective__agenda__region").prefetch_related(
        Prefetch("responsible", queryset=Institution.objects.only("pk", "acronym")),
        Prefetch("events", queryset=Event.objects.public().only("pk", "slug")),
        "follow_ups",
    )
    order = ("objective__agenda__region__order", "-objective__agenda__year",
             "objective__sort_order", "pk")
    for line in qs.order_by(*order).iterator(chunk_size=CHUNK):
        objective = line.objective
        agenda = objective.agenda
        follow_ups = sorted(line.follow_ups.all(), key=lambda f: (f.date, f.sort_order or 0))
        last = follow_ups[-1] if follow_ups else None
        yield {
            "id": line.pk,
            "region": agenda.region.name,
            "anio": agenda.year,
            "agenda": agenda.title,
            "objetivo": objective.title,
            "eje": topics.get(objective.topic, objective.topic) or None,
            "linea_de_accion": line.title,
            "responsables": [i.acronym for i in line.responsible.all()],
            "inicio": _iso(line.starts_on),
            "fecha_compromiso": _iso(line.ends_on),
            "estatus": statuses.get(line.status, line.status),
            "eventos": [base + e.get_absolute_url() for e in line.events.all()],
            "seguimientos": len(follow_ups),
            "ultimo_seguimiento": _iso(last.date) if last else None,
            "ultimo_avance": last.note if last else None,
            "url": base + agenda.get_absolute_url(),
        }


register(Dataset(
    name="agendas",
    title=_("Agendas regionales conjuntas"),
    description=_("Líneas de acción de las agendas conjuntas de cada región del SNT: objetivo, "
                  "instituciones responsables, fechas, estatus, eventos y último seguimiento."),
    fields=(
        Field("id", T.INTEGER, _("Identificador estable de la línea de acción")),
        Field("region", T.STRING, _("Coordinación regional del SNT")),
        Field("anio", T.INTEGER, _("Año de la agenda")),
        Field("agenda", T.STRING, _("Título de la agenda")),
        Field("objetivo", T.STRING, _("Objetivo compartido")),
        Field("eje", T.STRING, _("Eje temático del objetivo")),
        Field("linea_de_accion", T.STRING, _("Línea de acción")),
        Field("responsables", T.LIST, _("Siglas de las instituciones responsables")),
        Field("inicio", T.DATE, _("Inicio (AAAA-MM-DD)")),
        Field("fecha_compromiso", T.DATE, _("Fecha compromiso (AAAA-MM-DD)")),
        Field("estatus", T.STRING, _("Programada, en curso, con retraso, cumplida o cancelada")),
        Field("eventos", T.LIST, _("Páginas de los eventos que la atienden")),
        Field("seguimientos", T.INTEGER, _("Número de seguimientos registrados")),
        Field("ultimo_seguimiento", T.DATE, _("Fecha del último seguimiento")),
        Field("ultimo_avance", T.STRING, _("Nota del último seguimiento")),
        Field("url", T.URL, _("Página de la agenda de la región")),
    ),
    rows=agenda_rows,
    version=agendas_version,
    models=("network.JointAgenda", "network.ActionLine", "network.AgendaObjective",
            "network.FollowUp", "network.Institution", "network.Event"),
))
