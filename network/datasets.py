"""The network's open datasets: instituciones, eventos, convenios."""

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.opendata import Dataset, Field, register

from .models import Agreement, Event, Institution


def _iso(value):
    return value.isoformat() if value else None


def institution_rows():
    today = timezone.localdate()
    qs = Institution.objects.select_related("region").prefetch_related("predecessors")
    for i in qs.order_by("name"):
        yield {
            "id": i.pk,
            "nombre": i.name,
            "siglas": i.acronym,
            "tipo": i.get_kind_display(),
            "entidad": i.get_state_display() or None,
            "clave_entidad": i.state or None,
            "region": i.region.name if i.region_id else None,
            "sitio_web": i.website or None,
            "correo_institucional": i.email or None,
            "telefono_institucional": i.phone or None,
            "cuenta_x": i.x_handle or None,
            "vigente": (i.valid_from is None or i.valid_from <= today)
            and (i.valid_until is None or i.valid_until >= today),
            "vigente_desde": _iso(i.valid_from),
            "vigente_hasta": _iso(i.valid_until),
            "predecesoras": [p.acronym for p in i.predecessors.all()],
            "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + i.get_absolute_url(),
        }


def event_rows():
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    qs = Event.objects.public().select_related("commission").prefetch_related(
        Prefetch("organizers", queryset=Institution.objects.only("pk", "acronym"))
    )
    for e in qs.order_by("starts_at"):
        yield {
            "id": e.pk,
            "titulo": e.title,
            "tipo": e.get_kind_display(),
            "modalidad": e.get_mode_display(),
            "inicio": timezone.localtime(e.starts_at).isoformat(),
            "fin": timezone.localtime(e.ends_at).isoformat() if e.ends_at else None,
            "sede": e.venue or None,
            "entidad": e.get_state_display() or None,
            "enlace_transmision": e.online_url or None,
            "enlace_registro": e.registration_url or None,
            "publico": e.audience or None,
            "organizadores": [o.acronym for o in e.organizers.all()],
            "comision": e.commission.name if e.commission_id else None,
            "url": base + e.get_absolute_url(),
        }


def agreement_rows():
    qs = Agreement.objects.public().select_related("document").prefetch_related(
        Prefetch("institutions", queryset=Institution.objects.only("pk", "acronym")), "allies"
    )
    today = timezone.localdate()
    for a in qs.order_by("-signed_on", "title"):
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
            "estatus": a.get_status_display(),
            "vencido": bool(a.status == "vigente" and a.valid_until and a.valid_until < today),
            "documento": a.document.url if a.document_id else None,
        }


register(Dataset(
    name="instituciones",
    title=_("Instituciones del SNT"),
    description=_("El organismo garante nacional y los órganos garantes de las 32 entidades, "
                  "con su región, vigencia e historia."),
    fields=(
        Field("id", "entero", _("Identificador estable en Enlace")),
        Field("nombre", "texto", _("Nombre oficial")),
        Field("siglas", "texto", _("Siglas")),
        Field("tipo", "texto", _("Nacional, estatal u otra")),
        Field("entidad", "texto", _("Entidad federativa (vacía para la nacional)")),
        Field("clave_entidad", "texto", _("Abreviatura de la entidad")),
        Field("region", "texto", _("Coordinación regional del SNT")),
        Field("sitio_web", "url", _("Sitio web")),
        Field("correo_institucional", "texto", _("Correo institucional público")),
        Field("telefono_institucional", "texto", _("Teléfono institucional público")),
        Field("cuenta_x", "texto", _("Cuenta de X, sin @")),
        Field("vigente", "booleano", _("Si la institución existe hoy")),
        Field("vigente_desde", "fecha", _("Inicio de vigencia (AAAA-MM-DD)")),
        Field("vigente_hasta", "fecha", _("Fin de vigencia (AAAA-MM-DD)")),
        Field("predecesoras", "lista", _("Siglas de las instituciones a las que sustituyó")),
        Field("url", "url", _("Página de la institución en Enlace")),
    ),
    rows=institution_rows,
))

register(Dataset(
    name="eventos",
    title=_("Eventos de la red"),
    description=_("Conversatorios, clases magistrales, mesas de análisis, foros y "
                  "capacitaciones publicados en el calendario."),
    fields=(
        Field("id", "entero", _("Identificador estable en Enlace")),
        Field("titulo", "texto", _("Título")),
        Field("tipo", "texto", _("Tipo de evento")),
        Field("modalidad", "texto", _("Presencial, en línea o híbrido")),
        Field("inicio", "fecha y hora", _("Inicio, ISO 8601 con la zona de Ciudad de México")),
        Field("fin", "fecha y hora", _("Fin, ISO 8601")),
        Field("sede", "texto", _("Sede")),
        Field("entidad", "texto", _("Entidad federativa")),
        Field("enlace_transmision", "url", _("Transmisión o reunión en línea")),
        Field("enlace_registro", "url", _("Registro")),
        Field("publico", "texto", _("Público al que se dirige")),
        Field("organizadores", "lista", _("Siglas de las instituciones organizadoras")),
        Field("comision", "texto", _("Comisión del SNT")),
        Field("url", "url", _("Página del evento")),
    ),
    rows=event_rows,
))

register(Dataset(
    name="convenios",
    title=_("Convenios de colaboración"),
    description=_("Convenios firmados por integrantes de la red con aliados y otras "
                  "instituciones. No incluye datos de las personas responsables."),
    fields=(
        Field("id", "entero", _("Identificador estable en Enlace")),
        Field("titulo", "texto", _("Título")),
        Field("objeto", "texto", _("Objeto del convenio")),
        Field("instituciones", "lista", _("Siglas de las instituciones firmantes")),
        Field("aliados", "lista", _("Aliados firmantes")),
        Field("otras_partes", "texto", _("Otras partes")),
        Field("fecha_firma", "fecha", _("Fecha de firma")),
        Field("vigente_desde", "fecha", _("Inicio de vigencia")),
        Field("vence", "fecha", _("Fecha de vencimiento")),
        Field("estatus", "texto", _("En negociación, vigente, concluido o cancelado")),
        Field("vencido", "booleano", _("Vigente en el registro pero con la fecha ya pasada")),
        Field("documento", "url", _("Documento firmado")),
    ),
    rows=agreement_rows,
))
