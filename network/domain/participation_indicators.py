"""The participation indicators of the Manual de Operaciones de Vinculación Ciudadana (VIII):
people trained, citizen satisfaction, and participation by mechanism, institution, region
and quarter. Aggregates only: no name or e-mail ever leaves this module.

The dashboards' section is added up by the database (a quarter holds thousands of events); the
open data is computed per event first (one grouped query per measure), then added up per
quarter, institution and mechanism. An event organised by several institutions counts for each
of them in a per-institution view, and once in every total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from hub.indicators import Figure, Scope, Section, Series
from network.enums import EventKind, ParticipationMechanism, RegistrationStatus
from network.models import Event, Registration, SurveyResponse

# Below this many answers an average is not published in open data (one answer would be a
# person's own rating).
MIN_ANSWERS_PUBLISHED = 3


@dataclass
class Tally:
    events: int = 0
    registered: int = 0
    attendees: int = 0
    trained: int = 0
    answers: int = 0
    rating_sum: int = 0

    def add(self, other: Tally) -> None:
        for name in ("events", "registered", "attendees", "trained", "answers", "rating_sum"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def satisfaction(self) -> float | None:
        return round(self.rating_sum / self.answers, 2) if self.answers else None


@dataclass(frozen=True)
class EventRow:
    """What the indicators read of an event (plain values: a quarter holds thousands)."""

    pk: int
    mechanism: str
    kind: str
    starts_at: datetime


@dataclass(frozen=True)
class Organizer:
    acronym: str
    region_name: str | None


@dataclass
class EventFacts:
    event: EventRow
    organizers: list[Organizer] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)

    @property
    def is_training(self) -> bool:
        return (self.event.mechanism == ParticipationMechanism.TRAINING
                or self.event.kind == EventKind.TRAINING)


def scoped_events(scope: Scope):
    """Published events of the scope's period that belong to its institution or region."""
    start, end = scope.period.bounds()
    qs = Event.objects.public().filter(starts_at__gte=start, starts_at__lt=end)
    organized = Event.organizers.through.objects
    if scope.institution_id is not None:
        qs = qs.filter(pk__in=organized.filter(institution_id=scope.institution_id)
                       .values("event_id"))
    if scope.region_id is not None:
        qs = qs.filter(pk__in=organized.filter(institution__region_id=scope.region_id)
                       .values("event_id"))
    return qs


def event_facts(events) -> list[EventFacts]:
    """Each event with its counts: registered (holding a place), attendees, survey answers."""
    rows = events.values_list("pk", "mechanism", "kind", "starts_at")
    by_id = {row[0]: EventFacts(EventRow(*row)) for row in rows}
    if not by_id:
        return []
    # The events as a subquery, not a list of thousands of ids sent back to the database.
    ids = events.order_by().values("pk")
    organizers = (Event.organizers.through.objects.filter(event_id__in=ids)
                  .order_by("institution__acronym")
                  .values_list("event_id", "institution__acronym", "institution__region__name"))
    for event_id, acronym, region_name in organizers:
        by_id[event_id].organizers.append(Organizer(acronym, region_name))
    counts = (Registration.objects.filter(event_id__in=ids).values("event_id").annotate(
        registered=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        attendees=Count("pk", filter=Q(attended=True))))
    for row in counts:
        tally = by_id[row["event_id"]].tally
        tally.registered, tally.attendees = row["registered"], row["attendees"]
    answers = (SurveyResponse.objects.filter(registration__event_id__in=ids)
               .values("registration__event_id")
               .annotate(n=Count("pk"), total=Sum("rating")))
    for row in answers:
        tally = by_id[row["registration__event_id"]].tally
        tally.answers, tally.rating_sum = row["n"], row["total"] or 0
    for facts in by_id.values():
        facts.tally.events = 1
        facts.tally.trained = facts.tally.attendees if facts.is_training else 0
    return list(by_id.values())


@lru_cache(maxsize=64)
def _mechanism_label(mechanism: str, language: str | None) -> str:
    labels = dict(ParticipationMechanism.choices)
    return str(labels.get(mechanism, _("Sin mecanismo")))


def quarter_of(event: EventRow) -> tuple[int, int]:
    local = timezone.localtime(event.starts_at)
    return local.year, (local.month - 1) // 3 + 1


def _series(title: str, attendees: dict[str, int]) -> Series:
    rows = sorted(((label, n) for label, n in attendees.items() if n), key=lambda r: (-r[1], r[0]))
    return Series(title=title, rows=rows)


def scope_tally(events) -> Tally:
    """The tally of ``events`` added up by the database (what :func:`total` of their
    :func:`event_facts` gives; ``events`` counts as the number of events with participation:
    places held, attendance or a mechanism)."""
    ids = events.order_by().values("pk")
    registrations = Registration.objects.filter(event_id__in=ids)
    attended = Q(attended=True)
    training = Q(event__mechanism=ParticipationMechanism.TRAINING) | Q(
        event__kind=EventKind.TRAINING)
    counts = registrations.aggregate(
        registered=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        attendees=Count("pk", filter=attended), trained=Count("pk", filter=attended & training))
    answers = SurveyResponse.objects.filter(registration__event_id__in=ids).aggregate(
        answers=Count("pk"), rating_sum=Sum("rating"))
    took_part = registrations.filter(Q(status=RegistrationStatus.CONFIRMED) | attended)
    held = events.filter(Q(mechanism__gt="") | Q(pk__in=took_part.values("event_id"))).count()
    return Tally(events=held, rating_sum=answers["rating_sum"] or 0, answers=answers["answers"],
                 **counts)


def attendees_by(events, by: str) -> dict[str, int]:
    """Attendees of ``events`` per mechanism, organizing institution or region (added up by
    the database): an event counts for each of its institutions and once per region."""
    ids = events.order_by().values("pk")
    attended = Registration.objects.filter(event_id__in=ids, attended=True)
    organized = Event.organizers.through.objects
    if by == "mechanism":
        rows = attended.values_list("event__mechanism").annotate(n=Count("pk"))
        none_label, rows = None, [(_mechanism_label(m, get_language()), n) for m, n in rows]
    elif by == "institution":
        rows = attended.values_list("event__organizers__acronym").annotate(n=Count("pk"))
        none_label = _("Sin institución")
    else:
        rows = (attended.filter(event__organizers__region__name__gt="")
                .values_list("event__organizers__region__name")
                .annotate(n=Count("pk", distinct=True)))
        none_label = _("Sin región")
        rows = [*rows, (None, attended.exclude(event_id__in=organized.filter(
            institution__region__name__gt="").values("event_id")).count())]
    grouped: dict[str, int] = defaultdict(int)
    for label, n in rows:
        grouped[label if label is not None else none_label] += n
    return dict(grouped)


def participation_section(scope: Scope) -> Section | None:
    """The provider of ``hub.indicators``: figures of the scope's period."""
    events = scoped_events(scope)
    overall = scope_tally(events)
    # Dashboards feed published reports: below the threshold an average is one person's rating.
    satisfaction = overall.satisfaction if overall.answers >= MIN_ANSWERS_PUBLISHED else None
    figures = [
        Figure(_("Personas capacitadas"), overall.trained, _("personas"),
               _("Asistentes a capacitaciones.")),
        Figure(_("Satisfacción ciudadana"), satisfaction, _("de 5"),
               ngettext("Promedio de %(n)s respuesta a la encuesta (se muestra desde %(min)s).",
                        "Promedio de %(n)s respuestas a la encuesta (se muestra desde %(min)s).",
                        overall.answers) % {
                   "n": overall.answers, "min": MIN_ANSWERS_PUBLISHED}),
        Figure(_("Asistentes a mecanismos de participación"), overall.attendees, _("personas")),
        Figure(_("Eventos con participación registrada"), overall.events, _("eventos")),
    ]
    series = [_series(_("Asistentes por mecanismo de participación"),
                      attendees_by(events, "mechanism"))]
    if scope.institution_id is None:
        series.append(_series(_("Asistentes por institución organizadora"),
                              attendees_by(events, "institution")))
    if scope.is_national:
        series.append(_series(_("Asistentes por región"), attendees_by(events, "region")))
    if overall.attendees:
        summary = _("En el %(period)s, %(took_part)s; %(trained)s.") % {
            "period": scope.period.label,
            "took_part": ngettext("%(n)s persona participó en eventos de la red",
                                  "%(n)s personas participaron en eventos de la red",
                                  overall.attendees) % {"n": overall.attendees},
            "trained": ngettext("%(n)s se capacitó", "%(n)s se capacitaron",
                                overall.trained) % {"n": overall.trained}}
        if satisfaction is not None:
            summary += " " + _("Calificaron su satisfacción con %(avg)s de 5 en promedio.") % {
                "avg": satisfaction}
    else:
        summary = _("En el %(period)s no se registró asistencia a eventos de "
                    "participación.") % {
            "period": scope.period.label}
    return Section(key="participacion", title=_("Participación ciudadana"), figures=figures,
                   series=series, summary=summary, order=40)


def open_data_rows():
    """One row per quarter × institution × mechanism: counts and the average satisfaction
    (published only from ``MIN_ANSWERS_PUBLISHED`` answers). No personal data."""
    facts = event_facts(Event.objects.public().filter(
        Q(mechanism__gt="") | Q(registrations__isnull=False)).distinct())
    mechanisms = dict(ParticipationMechanism.choices)
    grouped: dict[tuple, Tally] = defaultdict(Tally)
    for f in facts:
        year, quarter = quarter_of(f.event)
        for o in f.organizers or [None]:
            key = (year, quarter, o.acronym if o else "", (o.region_name or "") if o else "",
                   f.event.mechanism)
            grouped[key].add(f.tally)
    for (year, quarter, acronym, region, mechanism), t in sorted(grouped.items()):
        yield {
            "anio": year,
            "trimestre": quarter,
            "institucion": acronym or None,
            "region": region or None,
            "mecanismo": str(mechanisms[mechanism]) if mechanism in mechanisms else None,
            "eventos": t.events,
            "personas_registradas": t.registered,
            "asistentes": t.attendees,
            "personas_capacitadas": t.trained,
            "respuestas_encuesta": t.answers,
            "satisfaccion_promedio": (t.satisfaction if t.answers >= MIN_ANSWERS_PUBLISHED
                                      else None),
        }
