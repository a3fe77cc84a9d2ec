from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    """The 32 entidades federativas, keyed by their INEGI abbreviation."""

    AGS = "AGS", "Aguascalientes"
    BC = "BC", "Baja California"
    BCS = "BCS", "Baja California Sur"
    CAMP = "CAMP", "Campeche"
    CHIS = "CHIS", "Chiapas"
    CHIH = "CHIH", "Chihuahua"
    CDMX = "CDMX", "Ciudad de México"
    COAH = "COAH", "Coahuila"
    COL = "COL", "Colima"
    DGO = "DGO", "Durango"
    MEX = "MEX", "Estado de México"
    GTO = "GTO", "Guanajuato"
    GRO = "GRO", "Guerrero"
    HGO = "HGO", "Hidalgo"
    JAL = "JAL", "Jalisco"
    MICH = "MICH", "Michoacán"
    MOR = "MOR", "Morelos"
    NAY = "NAY", "Nayarit"
    NL = "NL", "Nuevo León"
    OAX = "OAX", "Oaxaca"
    PUE = "PUE", "Puebla"
    QRO = "QRO", "Querétaro"
    QROO = "QROO", "Quintana Roo"
    SLP = "SLP", "San Luis Potosí"
    SIN = "SIN", "Sinaloa"
    SON = "SON", "Sonora"
    TAB = "TAB", "Tabasco"
    TAMPS = "TAMPS", "Tamaulipas"
    TLAX = "TLAX", "Tlaxcala"
    VER = "VER", "Veracruz"
    YUC = "YUC", "Yucatán"
    ZAC = "ZAC", "Zacatecas"


class InstitutionKind(models.TextChoices):
    NATIONAL = "nacional", _("Organismo garante nacional")
    STATE = "estatal", _("Órgano garante estatal")
    OTHER = "otro", _("Otra institución del SNT")


class PersonRole(models.TextChoices):
    COMMISSIONER = "comisionado", _("Comisionada o comisionado")
    PRESIDENT = "presidente", _("Comisionada o comisionado presidente")
    COMMUNICATIONS = "comunicacion", _("Enlace de comunicación social")
    LIAISON = "vinculacion", _("Enlace de vinculación")
    TECHNICAL = "tecnico", _("Personal técnico")
    OTHER = "otro", _("Otro cargo")

    @classmethod
    def network_roles(cls) -> list[str]:
        """Roles whose people form the Red de Vinculación by default."""
        return [cls.COMMUNICATIONS, cls.LIAISON]


class CommissionRole(models.TextChoices):
    COORDINATOR = "coordinacion", _("Coordinación")
    TECHNICAL_SECRETARY = "secretaria", _("Secretaría técnica")
    MEMBER = "integrante", _("Integrante")


class AllySector(models.TextChoices):
    CIVIL_SOCIETY = "osc", _("Organización de la sociedad civil")
    ACADEMIA = "academia", _("Universidad o institución académica")
    BUSINESS = "empresarial", _("Cámara o sector empresarial")
    MEDIA = "medio", _("Medio de comunicación")
    JOURNALIST = "periodista", _("Periodista")
    GOVERNMENT = "gobierno", _("Institución pública")
    OTHER = "otro", _("Otro")


class AgreementStatus(models.TextChoices):
    NEGOTIATION = "negociacion", _("En negociación")
    IN_FORCE = "vigente", _("Vigente")
    CONCLUDED = "concluido", _("Concluido")
    TERMINATED = "cancelado", _("Cancelado")

    @classmethod
    def active(cls) -> list[str]:
        """States in which an agreement can expire and its people need reminders."""
        return [cls.IN_FORCE]


class AgreementStanding(models.TextChoices):
    """What an agreement is today: its recorded status, or *Vencido* when its end date passed
    while it is still recorded as in force. Shown on public pages, open data and the admin."""

    NEGOTIATION = AgreementStatus.NEGOTIATION.value, AgreementStatus.NEGOTIATION.label
    IN_FORCE = AgreementStatus.IN_FORCE.value, AgreementStatus.IN_FORCE.label
    EXPIRED = "vencido", _("Vencido")
    CONCLUDED = AgreementStatus.CONCLUDED.value, AgreementStatus.CONCLUDED.label
    TERMINATED = AgreementStatus.TERMINATED.value, AgreementStatus.TERMINATED.label


class EventKind(models.TextChoices):
    CONVERSATORIO = "conversatorio", _("Conversatorio")
    MASTER_CLASS = "clase-magistral", _("Clase magistral")
    ROUNDTABLE = "mesa-analisis", _("Mesa de análisis")
    FORUM = "foro", _("Foro")
    TRAINING = "capacitacion", _("Capacitación")
    SEMINAR = "seminario", _("Seminario")
    OTHER = "otro", pgettext_lazy("event kind", "Otro")


class EventMode(models.TextChoices):
    IN_PERSON = "presencial", _("Presencial")
    ONLINE = "en-linea", _("En línea")
    HYBRID = "hibrido", _("Híbrido")


class ImportKind(models.TextChoices):
    CONTACTS = "contactos", _("Contactos de la red")
    ALLIES = "aliados", _("Aliados")


class ImportStatus(models.TextChoices):
    PREVIEW = "vista-previa", _("En vista previa")
    APPLIED = "aplicada", _("Aplicada")
    REJECTED = "con-errores", _("Con errores")


class RoadmapDimension(models.IntegerChoices):
    """The five dimensions of the Modelo Regional de Transparencia Municipal (seed 003)."""

    STRATEGY = 1, _("Estrategia")
    RESOURCES = 2, _("Recursos")
    PROCESSES = 3, _("Procesos")
    CITIZENS = 4, _("Ciudadanía")
    IMPROVEMENT = 5, _("Mejora continua")


class ToolRecurrence(models.TextChoices):
    ONCE = "unica", _("Una vez")
    ANNUAL = "anual", _("Cada año")


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "no-iniciado", _("No iniciado")
    IN_PROGRESS = "en-proceso", _("En proceso")
    DONE = "concluido", _("Concluido")

    @classmethod
    def open(cls) -> list[str]:
        """States in which a milestone can fall overdue."""
        return [cls.NOT_STARTED, cls.IN_PROGRESS]


class ReminderState(models.TextChoices):
    SENDING = "enviando", _("Enviando")
    SENT = "enviado", _("Enviado")
    FAILED = "fallido", _("Fallido")
    NOBODY = "sin-destinatarios", _("Sin destinatarios")


class PracticeTopic(models.TextChoices):
    """The axes of the regional work plans (seed 004): topics of agendas and good practices."""

    PROMOTION = "promocion", _("Promoción y difusión del derecho")
    ARCHIVES = "archivos", _("Archivo y gestión documental")
    ACCESS = "acceso", _("Acceso a la información pública")
    OPEN_GOVERNMENT = "gobierno_abierto", _("Gobierno abierto")
    PROACTIVE = "proactiva", _("Transparencia proactiva")
    SIPOT = "sipot", _("SIPOT y obligaciones de transparencia")
    ACCOUNTABILITY = "rendicion", _("Rendición de cuentas")
    DATA_PROTECTION = "datos_personales", _("Protección de datos personales")


class ActionLineStatus(models.TextChoices):
    """Where a line of action of a joint agenda stands."""

    PLANNED = "planned", _("Programada")
    IN_PROGRESS = "in_progress", _("En curso")
    DELAYED = "delayed", _("Con retraso")
    DONE = "done", _("Cumplida")
    CANCELLED = "cancelled", _("Cancelada")

    @classmethod
    def open(cls) -> tuple[str, ...]:
        """States of a line still to be carried out."""
        return (cls.PLANNED, cls.IN_PROGRESS, cls.DELAYED)


class ParticipationMechanism(models.TextChoices):
    """The citizen-participation mechanisms of the Manual de Operaciones de Vinculación
    Ciudadana (section VII.2), plus trainings and forums (sections VI.2 and VII.3)."""

    PUBLIC_CONSULTATION = "consulta-publica", _("Consulta pública")
    DIALOGUE = "mesa-dialogo", _("Mesa de diálogo")
    CITIZEN_COUNCIL = "consejo-ciudadano", _("Consejo ciudadano")
    CITIZEN_OBSERVATORY = "observatorio-ciudadano", _("Observatorio ciudadano")
    PUBLIC_HEARING = "audiencia-publica", _("Audiencia pública")
    TRAINING = "capacitacion", _("Capacitación")
    FORUM = "foro", _("Foro")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmado", _("Lugar confirmado")
    WAITLISTED = "en-espera", _("En lista de espera")
    CANCELLED = "cancelado", pgettext_lazy("registration", "Cancelado")

    @classmethod
    def active(cls) -> list[str]:
        """States that hold a place (or a turn): one per e-mail and event."""
        return [cls.CONFIRMED, cls.WAITLISTED]
