"""The list of calls and each call's dashboard (aggregate figures only)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils import timezone

from contests.enums import EntryStatus
from contests.kinds import missing_parts
from contests.models import Assignment, ContestCallPage, Entry, Review
from network.enums import State

from .common import get_call, require


def calls(request):
    require(request, "contests.see_stats")
    rows = ContestCallPage.objects.annotate(
        submitted=Count("entries", filter=Q(entries__status=EntryStatus.SUBMITTED)),
        drafts=Count("entries", filter=Q(entries__status=EntryStatus.DRAFT)),
    ).order_by("-closes_at")
    return TemplateResponse(request, "contests/admin/calls.html", {"calls": rows})


def dashboard(request, call_id: int):
    require(request, "contests.see_stats")
    call = get_call(call_id)
    entries = Entry.objects.filter(call=call)
    submitted = entries.filter(status=EntryStatus.SUBMITTED)
    per_category = []
    for category in call.categories.all():
        qs = entries.filter(category=category)
        drafts = list(qs.filter(status=EntryStatus.DRAFT).select_related("category")
                      .prefetch_related("files"))
        per_category.append({
            "category": category,
            "submitted": qs.filter(status=EntryStatus.SUBMITTED).count(),
            "drafts": len(drafts),
            "ready": sum(1 for d in drafts if not missing_parts(d)),
            "withdrawn": qs.filter(status=EntryStatus.WITHDRAWN).count(),
            "disqualified": qs.filter(status=EntryStatus.DISQUALIFIED).count(),
        })
    states = dict(State.choices)
    per_state = [(states.get(code, code), n) for code, n in
                 submitted.values_list("owner__entrant_profile__state").annotate(n=Count("id"))
                 .order_by("-n")]
    days = Counter(timezone.localtime(at).date() for at in submitted.values_list("submitted_at", flat=True))
    series = sorted(days.items())
    peak = max(days.values(), default=0)
    bars = []
    if series:
        width = min(600 / len(series), 40)
        for i, (day, n) in enumerate(series):
            height = 180 * n / peak
            bars.append({"x": round(i * width + 1, 1), "w": round(max(width - 2, 1), 1),
                         "y": round(190 - height, 1), "h": round(height, 1), "day": day, "n": n})
    assigned = Assignment.objects.filter(entry__in=submitted).count()
    reviewed = Review.objects.filter(entry__in=submitted).count()
    return TemplateResponse(request, "contests/admin/dashboard.html", {
        "call": call, "per_category": per_category, "per_state": per_state, "bars": bars,
        "total": submitted.count(), "peak": peak, "assigned": assigned, "reviewed": reviewed,
        "review_pct": round(100 * reviewed / assigned) if assigned else 0,
    })
