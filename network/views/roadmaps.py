"""Public pages of the municipal roadmaps: overview (per region and guarantor body), one
guarantor body, one region, one municipality. Only roadmaps of public agreements are shown;
no personal data (counterparts are named on the admin screens only)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from network.domain import roadmaps as domain
from network.enums import MilestoneStatus, RoadmapDimension
from network.models import Institution, Region, Roadmap


def _public(on):
    qs = Roadmap.objects.public().select_related("guarantor__region")
    roadmaps = list(domain.with_progress(qs, on=on).order_by("state", "municipality"))
    for r in roadmaps:
        r.percent = domain.percent(r.done, r.total)
    return roadmaps


def _national(roadmaps) -> domain.Progress:
    total = domain.Progress("")
    for r in roadmaps:
        total.roadmaps += 1
        total.total += r.total
        total.done += r.done
        total.overdue += r.overdue_count
    return total


@require_safe
def overview(request):
    roadmaps = _public(timezone.localdate())
    by_region = domain.grouped_progress(
        roadmaps, key=lambda r: r.guarantor.region_id, label=lambda r: r.guarantor.region.name,
        url=lambda r: reverse("network:roadmaps_region", args=[r.guarantor.region.slug]))
    by_guarantor = domain.grouped_progress(
        roadmaps, key=lambda r: r.guarantor_id, label=lambda r: r.guarantor.name,
        url=lambda r: reverse("network:roadmaps_guarantor", args=[r.guarantor.slug]))
    return render(request, "network/roadmaps.html", {
        "roadmaps": roadmaps, "total": _national(roadmaps),
        "by_region": by_region, "by_guarantor": by_guarantor,
    })


@require_safe
def by_guarantor(request, slug):
    institution = get_object_or_404(Institution, slug=slug)
    roadmaps = [r for r in _public(timezone.localdate()) if r.guarantor_id == institution.pk]
    return render(request, "network/roadmaps_group.html", {
        "heading": institution.name, "roadmaps": roadmaps, "total": _national(roadmaps),
    })


@require_safe
def by_region(request, slug):
    region = get_object_or_404(Region, slug=slug)
    roadmaps = [r for r in _public(timezone.localdate()) if r.guarantor.region_id == region.pk]
    by_guarantor = domain.grouped_progress(
        roadmaps, key=lambda r: r.guarantor_id, label=lambda r: r.guarantor.name,
        url=lambda r: reverse("network:roadmaps_guarantor", args=[r.guarantor.slug]))
    return render(request, "network/roadmaps_group.html", {
        "heading": region.name, "is_region": True, "roadmaps": roadmaps,
        "total": _national(roadmaps), "by_guarantor": by_guarantor,
    })


@require_safe
def detail(request, slug):
    roadmap = get_object_or_404(
        Roadmap.objects.public().select_related("guarantor", "agreement"), slug=slug)
    today = timezone.localdate()
    milestones = list(roadmap.milestones.select_related("tool", "evidence_document"))
    groups: dict[int, list] = {}
    for m in milestones:
        m.flag_overdue = m.is_overdue(today)
        groups.setdefault(m.tool.dimension, []).append(m)
    done = sum(1 for m in milestones if m.status == MilestoneStatus.DONE)
    progress = domain.Progress("", roadmaps=1, total=len(milestones), done=done,
                               overdue=sum(1 for m in milestones if m.flag_overdue))
    return render(request, "network/roadmap.html", {
        "roadmap": roadmap, "progress": progress,
        "groups": [(RoadmapDimension(d).label, rows) for d, rows in sorted(groups.items())],
    })
