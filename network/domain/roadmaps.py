"""Municipal transparency roadmaps: start, progress, annual repetition, overdue reminders.

**Schedule rule** (seed 003 gives each tool a duration, not an order between dimensions):

1. The first tool of the catalogue (dimension 1, *Convenio de colaboración*, 1 month) starts
   on the roadmap's start date, chosen by the person who starts it (today in Mexico City by
   default), within the agreement's term (from ``valid_from``, else ``signed_on``, to
   ``valid_until``): dated from a signing months back, many milestones were overdue at once.
2. Within each dimension the tools follow one another in catalogue order; the first tool of
   dimensions 2–5 starts when the convenio's month ends. The five dimensions run in parallel.
3. A tool whose duration "depends on the project" lasts the roadmap's ``project_months``
   (given when the roadmap is started, 12 by default).
4. An annual tool lasts 12 months; when its milestone falls due, the next year's milestone
   (``cycle + 1``) is created while the agreement is in force (``roll_annual_milestones``); a
   roadmap started years back gets every year up to the current one in the first run.

A milestone is **overdue** when it is not concluded and its due date has passed (Mexico City
date). Its responsible counterparts (the agreement's people responsible) and the officers of
the signing institutions are reminded once per period of ``ENLACE_ROADMAP_REMINDER_PERIOD_DAYS``
days; each reminder is claimed as a ``MilestoneReminder`` row before the mail goes out. An
annual tool overdue for several years is reminded once, for its latest overdue year.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hub.roles import COMMUNICATIONS
from hub.safety import FIRST_YEAR, LAST_YEAR
from network import rules
from network.enums import AgreementStatus, MilestoneStatus, ReminderState, ToolRecurrence
from network.models import (
    Agreement,
    Milestone,
    MilestoneReminder,
    Roadmap,
    RoadmapTool,
    unique_slug,
)

log = logging.getLogger(__name__)

MAX_PROJECT_MONTHS = 60
# Years of annual milestones one daily run creates at most per tool (a roadmap started long
# ago catches up over a few runs instead of one unbounded run).
MAX_CATCH_UP_YEARS = 50


@dataclass(frozen=True)
class Planned:
    tool: RoadmapTool
    starts_on: dt.date
    due_on: dt.date


def agreement_start(agreement: Agreement) -> dt.date | None:
    return agreement.valid_from or agreement.signed_on


def _months(tool: RoadmapTool, project_months: int) -> int:
    if tool.recurrence == ToolRecurrence.ANNUAL:
        return 12
    return tool.duration_months or project_months


def _end(start: dt.date, months: int) -> dt.date:
    """The last day of a span of ``months`` starting on ``start`` (inclusive)."""
    return start + relativedelta(months=months) - dt.timedelta(days=1)


def plan(tools: list[RoadmapTool], start: dt.date, project_months: int) -> list[Planned]:
    """The dated milestones of ``tools`` from ``start`` (the rule in this module's docstring)."""
    tools = sorted(tools, key=lambda t: (t.dimension, t.order, t.pk or 0))
    if not tools:
        return []
    foundation = tools[0]
    after_foundation = _end(start, _months(foundation, project_months)) + dt.timedelta(days=1)
    cursor: dict[int, dt.date] = {foundation.dimension: start}
    planned = []
    for tool in tools:
        begins = cursor.get(tool.dimension, after_foundation)
        due = _end(begins, _months(tool, project_months))
        planned.append(Planned(tool, begins, due))
        cursor[tool.dimension] = due + dt.timedelta(days=1)
    return planned


def _guarantor(agreement: Agreement, actor):
    """The guarantor body that leads the roadmap: the actor's own institution if it signed,
    else the signing institution of the municipality's state, else the first signer."""
    institutions = list(agreement.institutions.all())
    own = rules.officer_institution_id(actor)
    for institution in institutions:
        if institution.pk == own:
            return institution
    for institution in institutions:
        if institution.state and institution.state == agreement.municipality_state:
            return institution
    return institutions[0] if institutions else None


def startable_agreements(agreements):
    """Of ``agreements``, those whose roadmap can be started now (``start_refusal`` is empty),
    as a queryset."""
    today = timezone.localdate()
    return (agreements.filter(roadmap__isnull=True, status=AgreementStatus.IN_FORCE)
            .exclude(municipality="").exclude(municipality_state="")
            .filter(Q(valid_from__isnull=False) | Q(signed_on__isnull=False))
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today)))


def start_refusal(agreement: Agreement) -> str:
    """Why the roadmap of ``agreement`` cannot be started (in Spanish), or "" if it can."""
    if not agreement.municipality or not agreement.municipality_state:
        return _("El convenio no es con un municipio: registre el municipio y su entidad en el "
                 "convenio.")
    if agreement_start(agreement) is None:
        return _("El convenio no tiene fecha de inicio de vigencia ni de firma.")
    if agreement.status != AgreementStatus.IN_FORCE or agreement.is_expired:
        return _("Solo se puede iniciar la hoja de ruta de un convenio vigente.")
    return ""


def default_start(agreement: Agreement) -> dt.date:
    """Today in Mexico City, or the agreement's start if it is still to come."""
    return max(timezone.localdate(), agreement_start(agreement) or dt.date.min)


def start_date_refusal(agreement: Agreement, starts_on: dt.date) -> str:
    """Why ``starts_on`` cannot start the roadmap of ``agreement`` (in Spanish), or ""."""
    if not FIRST_YEAR <= starts_on.year <= LAST_YEAR:  # milestones are dated years after it
        return _("Escriba un año entre %(first)s y %(last)s.") % {"first": FIRST_YEAR,
                                                                 "last": LAST_YEAR}
    begins = agreement_start(agreement)
    if begins and starts_on < begins:
        return _("La fecha de inicio no puede ser anterior al inicio del convenio (%(d)s).") % {
            "d": date_format(begins, "DATE_FORMAT")}
    if agreement.valid_until and starts_on > agreement.valid_until:
        return _("La fecha de inicio no puede ser posterior al fin del convenio (%(d)s).") % {
            "d": date_format(agreement.valid_until, "DATE_FORMAT")}
    return ""


def start_roadmap(agreement: Agreement, *, actor, project_months: int = 12,
                  starts_on: dt.date | None = None) -> Roadmap:
    """Turn the active tools of the catalogue into dated milestones of ``agreement``, from
    ``starts_on`` (``default_start`` when not given).

    Side effects: one ``Roadmap`` and one ``Milestone`` per active tool, each with the
    agreement's people responsible as counterparts. Refused (``ValidationError``, nothing
    written) when the agreement has no municipality, no start date, no signing institution,
    is not in force, or already has its roadmap, or ``starts_on`` is outside its term;
    ``PermissionDenied`` for anyone not of the parties.
    """
    if not rules.can_start_roadmap(actor, agreement):
        raise PermissionDenied
    refusal = start_refusal(agreement)
    if refusal:
        raise ValidationError(refusal)
    start = starts_on or default_start(agreement)
    refusal = start_date_refusal(agreement, start)
    if refusal:
        raise ValidationError(refusal)
    if not isinstance(project_months, int) or not 1 <= project_months <= MAX_PROJECT_MONTHS:
        raise ValidationError(_("La duración de los proyectos debe estar entre 1 y %(max)s "
                                "meses.") % {"max": MAX_PROJECT_MONTHS})
    guarantor = _guarantor(agreement, actor)
    if guarantor is None:
        raise ValidationError(_("El convenio no tiene un órgano garante firmante."))
    tools = list(RoadmapTool.objects.filter(active=True))
    if not tools:
        raise ValidationError(_("El catálogo de herramientas del modelo está vacío."))
    already = _("La hoja de ruta de este convenio ya se inició.")
    responsible = list(agreement.responsible.all())
    try:
        with transaction.atomic():
            # One start at a time per agreement; the one-to-one constraint backs it up.
            Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
            if Roadmap.objects.filter(agreement=agreement).exists():
                raise ValidationError(already)
            roadmap = Roadmap.objects.create(
                agreement=agreement, guarantor=guarantor, municipality=agreement.municipality,
                state=agreement.municipality_state, starts_on=start,
                project_months=project_months, started_by=actor,
                slug=unique_slug(Roadmap, f"{agreement.municipality} "
                                          f"{agreement.municipality_state}", max_length=100),
            )
            milestones = Milestone.objects.bulk_create([
                Milestone(roadmap=roadmap, tool=p.tool, starts_on=p.starts_on, due_on=p.due_on)
                for p in plan(tools, start, project_months)
            ])
            for milestone in milestones:
                milestone.responsible.set(responsible)
    except IntegrityError:
        raise ValidationError(already) from None
    return roadmap


class MilestoneChanged(ValidationError):
    """The milestone was saved by someone else after the form was shown (nothing saved)."""


def update_milestone(milestone: Milestone, *, actor, status: str, evidence_url: str = "",
                     evidence_document=None, notes: str = "",
                     seen: dt.datetime | None = None) -> Milestone:
    """Record the progress of ``milestone``.

    ``seen`` is the ``updated_at`` of the milestone as the person's form showed it: if it has
    been saved since, ``MilestoneChanged`` is raised and nothing is saved (None: no check).
    Side effects: status, evidence and notes saved; ``completed_on`` set to today when it is
    concluded (cleared otherwise). Refused when the actor is not of the parties
    (``PermissionDenied``) or when a milestone is concluded without evidence
    (``ValidationError``, nothing saved).
    """
    if not rules.can_update_milestone(actor, milestone):
        raise PermissionDenied
    if status not in MilestoneStatus.values:
        raise ValidationError(_("Elija un estado válido."))
    if status == MilestoneStatus.DONE and not (evidence_url or evidence_document):
        raise ValidationError(_("Para marcar el hito como concluido agregue la evidencia: un "
                                "enlace o un documento."))
    with transaction.atomic():
        current = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if seen is not None and current.updated_at != seen:
            raise MilestoneChanged(
                _("Otra persona guardó este hito mientras usted lo editaba (ahora: «%(status)s»"
                  "). Revise su avance y guárdelo de nuevo si debe reemplazar lo guardado.")
                % {"status": current.get_status_display()})
        current.status = status
        current.evidence_url = evidence_url
        current.evidence_document = evidence_document
        current.notes = notes
        if status == MilestoneStatus.DONE:
            current.completed_on = current.completed_on or timezone.localdate()
        else:
            current.completed_on = None
        current.updated_by = actor
        current.save()
    return current


def roll_annual_milestones(on: dt.date | None = None) -> int:
    """Create the next years' milestones of every annual tool whose milestone has fallen due,
    while the agreement is in force: up to the year that ``on`` falls in, in one run (a
    roadmap started years back catches up at once, not one year a day). Idempotent (one
    milestone per tool and cycle). Returns how many were created."""
    on = on or timezone.localdate()
    created = 0
    for _round in range(MAX_CATCH_UP_YEARS):
        made = _roll_annual_once(on)
        created += made
        if not made:
            break
    return created


def _roll_annual_once(on: dt.date) -> int:
    """One year more of each annual tool whose newest milestone has fallen due."""
    newer = Milestone.objects.filter(roadmap=OuterRef("roadmap"), tool=OuterRef("tool"),
                                     cycle__gt=OuterRef("cycle"))
    due = (Milestone.objects
           .filter(tool__recurrence=ToolRecurrence.ANNUAL, due_on__lt=on,
                   roadmap__agreement__status=AgreementStatus.IN_FORCE)
           .exclude(Exists(newer))
           .select_related("roadmap__agreement", "tool")
           .prefetch_related("responsible"))
    created = 0
    for milestone in due:
        valid_until = milestone.roadmap.agreement.valid_until
        begins = milestone.due_on + dt.timedelta(days=1)
        if valid_until is not None and begins > valid_until:
            continue
        with transaction.atomic():
            nxt, made = Milestone.objects.get_or_create(
                roadmap=milestone.roadmap, tool=milestone.tool, cycle=milestone.cycle + 1,
                defaults={"starts_on": begins, "due_on": _end(begins, 12)},
            )
            if made:
                nxt.responsible.set(milestone.responsible.all())
                created += 1
    return created


def reminder_recipients(milestone: Milestone) -> list[str]:
    """The counterparts responsible for the milestone and the officers of the signing
    institutions, by e-mail address."""
    people = {p.email for p in milestone.responsible.all() if p.email and p.active}
    officers = get_user_model().objects.filter(
        is_active=True, groups__name=COMMUNICATIONS,
        staff_profile__institution__in=milestone.roadmap.agreement.institutions.all(),
    ).exclude(email="").values_list("email", flat=True)
    return sorted(people | set(officers))


def reminder_period(milestone: Milestone, on: dt.date) -> int:
    """0 for the first period after the due date, 1 for the next, ..."""
    days = max(settings.ENLACE_ROADMAP_REMINDER_PERIOD_DAYS, 1)
    return max((on - milestone.due_on).days - 1, 0) // days


def send_milestone_reminders(on: dt.date | None = None) -> int:
    """E-mail the people responsible for each overdue milestone, once per period.

    Side effects: a ``MilestoneReminder`` row claimed (inserted) before each mail, then marked
    sent, failed or without recipients. A second run, or a worker restarted after the claim,
    never sends the same reminder again. Returns mails sent.
    """
    on = on or timezone.localdate()
    # An annual tool missed several years is reminded once, for its latest overdue year.
    later_overdue = Milestone.objects.overdue(on).filter(
        roadmap=OuterRef("roadmap"), tool=OuterRef("tool"), cycle__gt=OuterRef("cycle"))
    # In force: its status says so and its term has not ended (a status nobody updated
    # does not keep mailing the counterparts of an agreement that is over).
    overdue = (Milestone.objects.overdue(on)
               .filter(Q(roadmap__agreement__valid_until__isnull=True)
                       | Q(roadmap__agreement__valid_until__gte=on),
                       roadmap__agreement__status=AgreementStatus.IN_FORCE)
               .exclude(Exists(later_overdue))
               .select_related("roadmap__agreement", "roadmap__guarantor", "tool")
               .prefetch_related("responsible"))
    sent = 0
    for milestone in overdue:
        period = reminder_period(milestone, on)
        try:
            with transaction.atomic():
                reminder = MilestoneReminder.objects.create(milestone=milestone, period=period)
        except IntegrityError:
            continue  # claimed already, by this run's predecessor or a concurrent one
        recipients = reminder_recipients(milestone)
        if not recipients:
            log.warning("Overdue milestone %s has nobody to remind", milestone.pk)
            MilestoneReminder.objects.filter(pk=reminder.pk).update(
                state=ReminderState.NOBODY)
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Hito vencido de la hoja de ruta de %(municipality)s: %(tool)s") % {
                "municipality": milestone.roadmap.municipality, "tool": milestone.tool.name}
            base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            body = render_to_string("network/email/milestone_reminder.txt", {
                "milestone": milestone, "roadmap": milestone.roadmap,
                "days": (on - milestone.due_on).days,
                "admin_url": base + reverse("network_roadmap_admin",
                                            args=[milestone.roadmap_id]),
                "public_url": base + milestone.roadmap.get_absolute_url(),
            })
        try:
            send_mail(subject, body, None, recipients)
        except Exception as exc:  # noqa: BLE001  (recorded; never retried automatically)
            log.exception("Reminder of milestone %s failed", milestone.pk)
            MilestoneReminder.objects.filter(pk=reminder.pk).update(
                state=ReminderState.FAILED, error=str(exc)[:500], recipients=len(recipients))
            continue
        MilestoneReminder.objects.filter(pk=reminder.pk).update(
            state=ReminderState.SENT, sent_at=timezone.now(), recipients=len(recipients))
        sent += 1
    return sent


def run_daily(on: dt.date | None = None) -> dict:
    """The beat job: next year's annual milestones, then the reminders of overdue ones."""
    return {"annual": roll_annual_milestones(on), "reminders": send_milestone_reminders(on)}


# --- Progress -----------------------------------------------------------------------------

def with_progress(queryset, on: dt.date | None = None, *, closed_on: dt.date | None = None):
    """Roadmaps annotated with ``total``, ``done`` and ``overdue`` milestone counts.

    ``closed_on``: the counts as they stood at the end of that (past) day: a milestone
    concluded later was still open then, and overdue if it was due by that day."""
    on = on or timezone.localdate()
    done = Q(milestones__status=MilestoneStatus.DONE)
    overdue = Q(milestones__status__in=MilestoneStatus.open(), milestones__due_on__lt=on)
    if closed_on is not None:
        done &= Q(milestones__completed_on__lte=closed_on)
        overdue = Q(milestones__due_on__lte=closed_on) & (
            Q(milestones__status__in=MilestoneStatus.open())
            | Q(milestones__status=MilestoneStatus.DONE,
                milestones__completed_on__gt=closed_on))
    return queryset.annotate(
        total=Count("milestones", distinct=True),
        done=Count("milestones", filter=done, distinct=True),
        overdue_count=Count("milestones", filter=overdue, distinct=True),
    )


def percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


@dataclass
class Progress:
    label: str
    roadmaps: int = 0
    total: int = 0
    done: int = 0
    overdue: int = 0
    url: str = ""

    @property
    def percent(self) -> int:
        return percent(self.done, self.total)


def grouped_progress(roadmaps, key, label, url=None) -> list[Progress]:
    """Sum annotated ``roadmaps`` by ``key(roadmap)`` (a guarantor, a region...)."""
    groups: dict = {}
    for r in roadmaps:
        k = key(r)
        if k is None:
            continue
        g = groups.setdefault(k, Progress(label(r), url=url(r) if url else ""))
        g.roadmaps += 1
        g.total += r.total
        g.done += r.done
        g.overdue += r.overdue_count
    return sorted(groups.values(), key=lambda g: g.label)


# --- Indicators (hub.indicators hook) --------------------------------------------------------

def _in_scope(queryset, scope, prefix: str = ""):
    if scope.institution_id is not None:
        queryset = queryset.filter(**{f"{prefix}guarantor_id": scope.institution_id})
    if scope.region_id is not None:
        queryset = queryset.filter(**{f"{prefix}guarantor__region_id": scope.region_id})
    return queryset


def indicators_section(scope):
    """Roadmaps active, milestones concluded in the period and overdue at its end, per scope."""
    from hub.indicators import Figure, Section, Series

    today = timezone.localdate()
    # A closed period's figures are those at its close (what was concluded later was still
    # open then); the current period's are today's, as on the roadmap pages.
    closed_on = scope.period.end if scope.period.end < today else None
    active = _in_scope(Roadmap.objects.filter(
        Q(agreement__valid_until__isnull=True) | Q(agreement__valid_until__gte=scope.period.start),
        agreement__status=AgreementStatus.IN_FORCE, starts_on__lte=scope.period.end), scope)
    milestones = _in_scope(Milestone.objects.filter(roadmap__in=active), scope, "roadmap__")
    done = milestones.filter(status=MilestoneStatus.DONE,
                             completed_on__range=(scope.period.start, scope.period.end)).count()
    progress = with_progress(active.order_by("municipality"), on=today, closed_on=closed_on)
    overdue = sum(r.overdue_count for r in progress)
    rows = [(r.municipality, percent(r.done, r.total)) for r in progress[:20]]
    n_active = active.count()
    return Section(
        key="roadmaps",
        title=_("Hojas de ruta municipales"),
        figures=[
            Figure(_("Hojas de ruta activas"), n_active),
            Figure(_("Hitos concluidos en el periodo"), done),
            Figure(_("Hitos vencidos al cierre del periodo"), overdue),
        ],
        series=[Series(_("Avance por municipio"), rows, unit=" %")] if rows else [],
        summary=_("%(following)s; %(concluded)s y %(late)s.") % {
            "following": ngettext(
                "%(active)s municipio sigue su hoja de ruta del Modelo de Transparencia "
                "Municipal",
                "%(active)s municipios siguen su hoja de ruta del Modelo de Transparencia "
                "Municipal", n_active) % {"active": n_active},
            "concluded": ngettext("en el periodo concluyó %(done)s hito",
                                  "en el periodo concluyeron %(done)s hitos",
                                  done) % {"done": done},
            "late": ngettext("%(overdue)s está vencido", "%(overdue)s están vencidos",
                             overdue) % {"overdue": overdue}},
        order=60,
    )
