"""Contests' figures for dashboards and the quarterly report: calls open and entries received.

A provider on ``hub.indicators.INDICATORS_HOOK`` (registered in ``contests.wagtail_hooks``).
Calls are convened by the commission for the whole country, so every scope sees the calls open
in the period; an institution or a region sees the entries sent from its state(s) (the state the
entrant gave in their profile). Only counts leave this module, never an entrant's data.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from hub.indicators import Figure, Scope, Section, Series

from .enums import EntryStatus
from .models import ContestCallPage, Entry


def _states_of(scope: Scope) -> list[str] | None:
    """The states whose entrants the scope covers; None for the whole country."""
    from network.models import Institution

    if scope.institution_id is not None:
        found = Institution.objects.filter(pk=scope.institution_id)
    elif scope.region_id is not None:
        found = Institution.objects.filter(region_id=scope.region_id)
    else:
        return None
    return [state for state in found.values_list("state", flat=True) if state]


def calls_section(scope: Scope) -> Section | None:
    start, end = scope.period.bounds()
    states = _states_of(scope)
    if states == []:
        return None  # an institution with no state (the national one): no local entrants
    calls = list(ContestCallPage.objects.live().with_deadline()
                 .filter(opens_at__lt=end, deadline_at__gte=start).order_by("opens_at"))
    entries = Entry.objects.filter(status=EntryStatus.SUBMITTED, submitted_at__gte=start,
                                   submitted_at__lt=end)
    if states is not None:
        entries = entries.filter(owner__entrant_profile__state__in=states)
    per_call = dict(entries.order_by().values_list("call").annotate(n=Count("pk")))
    received = sum(per_call.values())
    summary = _("Hubo %(calls)s convocatorias abiertas a concursos y se recibieron %(entries)s "
                "trabajos participantes.") % {"calls": len(calls), "entries": received}
    return Section(
        key="contests-calls", title=_("Concursos"), order=30,
        figures=[Figure(_("Convocatorias abiertas en el periodo"), len(calls)),
                 Figure(_("Trabajos recibidos"), received,
                        note="" if states is None else _("Enviados desde su entidad."))],
        series=[Series(_("Trabajos recibidos por convocatoria"),
                       [(call.title, per_call.get(call.pk, 0)) for call in calls])],
        summary=summary,
    )
