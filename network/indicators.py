"""The network's figures for dashboards and the quarterly report: events and agreements.

Providers on ``hub.indicators.INDICATORS_HOOK`` (registered in ``network.wagtail_hooks``). They
count what the scope covers (an institution: rows it organizes or signs; a region: rows of any
of its institutions) and never decide who may see them.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hub.indicators import Figure, Scope, Section, Series

from .enums import AgreementStatus, EventKind
from .models import Agreement, Event


def _scoped(qs, scope: Scope, through: str):
    """``qs`` limited to the scope's institution or region, ``through`` the M2M to Institution."""
    if scope.institution_id is not None:
        qs = qs.filter(**{through: scope.institution_id})
    elif scope.region_id is not None:
        qs = qs.filter(**{f"{through}__region": scope.region_id})
    else:
        return qs
    return qs.model._default_manager.filter(pk__in=qs.values("pk"))  # no M2M duplicates


def events_section(scope: Scope) -> Section:
    """Public events that started in the period (those still to come are not held yet), by
    type."""
    start, end = scope.period.bounds()
    events = _scoped(Event.objects.public(), scope, "organizers").filter(
        starts_at__gte=start, starts_at__lt=min(end, timezone.now()))
    counts = dict(events.order_by().values_list("kind").annotate(n=Count("pk")))
    total = sum(counts.values())
    rows = [(str(label), counts.get(value, 0)) for value, label in EventKind.choices]
    summary = ngettext(
        "En el periodo se realizó %(count)s evento público de la Red (conversatorios, foros, "
        "capacitaciones y otros).",
        "En el periodo se realizaron %(count)s eventos públicos de la Red (conversatorios, foros, "
        "capacitaciones y otros).", total) % {"count": total}
    return Section(
        key="network-events", title=_("Eventos"), order=40,
        figures=[Figure(_("Eventos realizados"), total)],
        series=[Series(_("Eventos por tipo"), rows)],
        summary=summary,
    )


def agreements_section(scope: Scope) -> Section:
    """Agreements signed in the period and agreements in force at its end."""
    period = scope.period
    agreements = _scoped(Agreement.objects.all(), scope, "institutions")
    signed = agreements.filter(signed_on__gte=period.start, signed_on__lte=period.end).count()
    in_force = agreements.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=period.end),
        Q(valid_until__isnull=True) | Q(valid_until__gte=period.end),
        status=AgreementStatus.IN_FORCE,
    ).count()
    summary = _("%(signed)s; %(in_force)s.") % {
        "signed": ngettext("En el periodo se firmó %(n)s convenio de colaboración",
                           "En el periodo se firmaron %(n)s convenios de colaboración",
                           signed) % {"n": signed},
        "in_force": ngettext("al cierre del trimestre había %(n)s convenio vigente",
                             "al cierre del trimestre había %(n)s convenios vigentes",
                             in_force) % {"n": in_force}}
    return Section(
        key="network-agreements", title=_("Convenios"), order=50,
        figures=[Figure(_("Convenios firmados en el periodo"), signed),
                 Figure(_("Convenios vigentes al cierre"), in_force)],
        series=[Series(_("Convenios"), [(_("Firmados en el periodo"), signed),
                                        (_("Vigentes al cierre"), in_force)])],
        summary=summary,
    )
