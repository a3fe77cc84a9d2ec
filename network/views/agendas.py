"""Public pages of the regional joint agendas: the regions, and each region's agendas."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from network.models import ActionLine, AgendaObjective, Event, FollowUp, Institution, Region


def agenda_index(request):
    regions = Region.objects.annotate(
        agenda_count=Count("agendas", filter=Q(agendas__is_public=True))).order_by("order", "name")
    return render(request, "network/agendas.html", {"regions": regions})


def agenda_region(request, slug):
    region = get_object_or_404(Region, slug=slug)
    lines = ActionLine.objects.order_by("ends_on", "pk").prefetch_related(
        Prefetch("responsible", queryset=Institution.objects.only("pk", "acronym", "slug")),
        Prefetch("events", queryset=Event.objects.public().only("pk", "title", "slug",
                                                                "starts_at")),
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("evidence_document")),
    )
    objectives = AgendaObjective.objects.prefetch_related(Prefetch("lines", queryset=lines))
    agendas = region.agendas.public().prefetch_related(Prefetch("objectives", queryset=objectives))
    return render(request, "network/agenda_region.html", {"region": region, "agendas": agendas})
