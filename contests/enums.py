from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryKind(models.TextChoices):
    """What a category (modalidad) asks for; decides the files and fields of its entries."""

    SPOT = "spot", _("Spot de radio")
    JOURNALISM = "reportaje", _("Reportaje o periodismo de investigación")
    ESSAY = "ensayo", _("Ensayo")
    THESIS = "tesis", _("Tesis")
    VIDEO = "video", _("Video")
    DRAWING = "dibujo", _("Dibujo")
    APP = "app", _("Aplicación")
    WRITTEN = "escrito", _("Trabajo escrito (resumen y texto en PDF o DOCX)")


class EducationLevel(models.TextChoices):
    PRIMARY = "primaria", _("Primaria")
    SECONDARY = "secundaria", _("Secundaria")
    HIGH_SCHOOL = "bachillerato", _("Bachillerato")
    UNDERGRADUATE = "licenciatura", _("Licenciatura")
    GRADUATE = "posgrado", _("Posgrado")
    NONE = "ninguno", _("No estudio actualmente")


class EntryStatus(models.TextChoices):
    DRAFT = "borrador", _("Borrador")
    SUBMITTED = "enviada", _("Enviada")
    WITHDRAWN = "retirada", _("Retirada")
    DISQUALIFIED = "descalificada", _("Descalificada")


class License(models.TextChoices):
    CC_BY = "CC BY 4.0", _("Creative Commons Atribución 4.0 (CC BY 4.0)")
    CC_BY_SA = "CC BY-SA 4.0", _("Creative Commons Atribución-CompartirIgual 4.0 (CC BY-SA 4.0)")
    CC_BY_NC = "CC BY-NC 4.0", _("Creative Commons Atribución-NoComercial 4.0 (CC BY-NC 4.0)")


LICENSE_URLS = {
    License.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.es",
    License.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/deed.es",
    License.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/deed.es",
}


class AuditAction(models.TextChoices):
    SUBMITTED = "enviada", _("Participación enviada")
    WITHDRAWN = "retirada", _("Participación retirada")
    EXTENSION = "prorroga", _("Prórroga concedida")
    DISQUALIFIED = "descalificada", _("Participación descalificada")
    REINSTATED = "rehabilitada", _("Participación rehabilitada")
    ASSIGNED = "asignacion", _("Jurado asignado")
    UNASSIGNED = "desasignacion", _("Asignación retirada")
    JUROR_ADDED = "jurado_alta", _("Persona agregada al jurado")
    JUROR_REMOVED = "jurado_baja", _("Persona retirada del jurado")
    CONFLICT = "conflicto", _("Conflicto de interés declarado")
    REVIEWED = "evaluada", _("Evaluación registrada")
    AWARD = "premio", _("Lugar o mención asignado")
    RESULTS = "resultados", _("Resultados publicados")
    DECISION_SENT = "aviso", _("Aviso de resultado enviado")
    LATE_REFUSED = "tardia", _("Envío fuera de plazo rechazado")


class CallPhase(models.TextChoices):
    """Where a call stands in time. Computed from its dates (``ContestCallPage.phase``) and
    queried with ``ContestCallPage.objects.upcoming()``, ``open()``, ``closed()``,
    ``in_review()`` and ``with_results()``."""

    UPCOMING = "proxima", _("Próxima")
    OPEN = "abierta", _("Abierta")
    CLOSED = "cerrada", _("Cerrada, antes de la evaluación")
    IN_REVIEW = "evaluacion", _("En evaluación")
    RESULTS = "resultados", _("Resultados publicados")
