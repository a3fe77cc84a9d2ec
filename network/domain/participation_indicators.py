"""The participation indicators of the Manual de Operaciones de Vinculación Ciudadana (VIII):
people trained, citizen satisfaction, and participation by mechanism, institution, region
and quarter. Aggregates only: no name or e-mail ever leaves this module.

Both the dashboards' section and the open data are added up by the database (a quarter holds
thousands of events): only totals come back, in a fixed number of queries. An event organised
by several institutions counts for each of them in a per-institution view, and once in every
total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear
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

    @property
    def satisfaction(self) -> float | None:
        return round(self.rating_sum / self.answers, 2) if self.answers else None


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


@lru_cache(maxsize=64)
def _mechanism_label(mechanism: str, language: str | None) -> str:
    labels = dict(ParticipationMechanism.choices)
    return str(labels.get(mechanism, _("Sin mecanismo")))


def _series(title: str, attendees: dict[str, int]) -> Series:
    rows = sorted(((label, n) for label, n in attendees.items() if n), key=lambda r: (-r[1], r[0]))
    return Series(title=title, rows=rows)


def scope_tally(events) -> Tally:
    """The tally of ``events`` added up by the database (``events`` counts as the number of
    events with participation: places held, attendance or a mechanism)."""
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


def _open_data_totals() -> dict[tuple, Tally]:
    """The tallies per (year, quarter, institution's acronym, its region, mechanism), added up
    by the database in one grouped query per table: one row per group comes back, however
    many events and registrations there are. An event of several institutions counts for
    each (its registrations are joined once per organizer), one without organizers under an
    empty acronym; quarters are those of the day it starts in Mexico City (``starts_on``, a
    date: no time zone to convert per row)."""
    held = Event.objects.public().filter(
        Q(mechanism__gt="") | Q(pk__in=Registration.objects.values("event_id")))

    def grouped(rows, event: str):
        return rows.order_by().values(
            in_year=ExtractYear(f"{event}starts_on"),
            in_quarter=ExtractQuarter(f"{event}starts_on"),
            by_acronym=F(f"{event}organizers__acronym"),
            by_region=F(f"{event}organizers__region__name"),
            by_mechanism=F(f"{event}mechanism"))

    def key(row) -> tuple:
        return (row["in_year"], row["in_quarter"], row["by_acronym"] or "",
                row["by_region"] or "", row["by_mechanism"])

    totals: dict[tuple, Tally] = defaultdict(Tally)
    for row in grouped(held, "").annotate(n=Count("pk")):
        totals[key(row)].events += row["n"]
    attended = Q(attended=True)
    training = Q(event__mechanism=ParticipationMechanism.TRAINING) | Q(
        event__kind=EventKind.TRAINING)
    for row in grouped(Registration.objects.filter(event__in=held), "event__").annotate(
            registered=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
            attendees=Count("pk", filter=attended),
            trained=Count("pk", filter=attended & training)):
        tally = totals[key(row)]
        tally.registered += row["registered"]
        tally.attendees += row["attendees"]
        tally.trained += row["trained"]
    answers = SurveyResponse.objects.filter(registration__event__in=held)
    for row in grouped(answers, "registration__event__").annotate(n=Count("pk"),
                                                                 total=Sum("rating")):
        tally = totals[key(row)]
        tally.answers += row["n"]
        tally.rating_sum += row["total"] or 0
    return totals


def open_data_rows():
    """One row per quarter × institution × mechanism: counts and the average satisfaction
    (published only from ``MIN_ANSWERS_PUBLISHED`` answers). No personal data."""
    mechanisms = dict(ParticipationMechanism.choices)
    for (year, quarter, acronym, region, mechanism), t in sorted(_open_data_totals().items()):
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
