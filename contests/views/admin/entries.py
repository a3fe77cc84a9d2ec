"""Entries of a call: the list, one entry, staff decisions and individual extensions."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from contests.domain import moderation, results
from contests.domain.errors import ContestError
from contests.enums import EntryStatus
from contests.forms import DisqualifyForm, ExtensionForm
from contests.kinds import missing_parts
from contests.models import Entry

from .common import as_id, get_call, require


def entry_list(request, call_id: int):
    require(request, "contests.manage")
    call = get_call(call_id)
    qs = (Entry.objects.filter(call=call).select_related("category", "owner__entrant_profile")
          .annotate(n_files=Count("files", distinct=True), n_reviews=Count("reviews", distinct=True))
          .order_by("category__sort_order", "folio", "created_at"))
    status = request.GET.get("estado", "")
    if status in EntryStatus.values:
        qs = qs.filter(status=status)
    category = as_id(request.GET.get("categoria"))
    if category:
        qs = qs.filter(category_id=category)
    return TemplateResponse(request, "contests/admin/entries.html", {
        "call": call, "entries": qs, "statuses": EntryStatus.choices,
        "status": status if status in EntryStatus.values else "",
        "category": str(category or ""), "categories": call.categories.all(),
        "personal": request.user.has_perm("contests.see_entrant_data"),
        "extension_form": ExtensionForm(),
    })


def entry_detail(request, pk: int):
    require(request, "contests.manage")
    entry = get_object_or_404(Entry.objects.select_related("call", "category", "owner__entrant_profile"),
                              pk=as_id(pk))
    criteria = list(entry.call.criteria.all())
    reviews = [(r, [(c.name, r.scores.get(str(c.pk), "—")) for c in criteria],
                results.review_total(r, criteria)) for r in entry.reviews.select_related("juror")]
    return TemplateResponse(request, "contests/admin/entry.html", {
        "entry": entry, "call": entry.call, "files": entry.files.all(),
        "coauthors": entry.coauthors.all(), "reviews": reviews,
        "assignments": entry.assignments.select_related("juror"),
        "conflicts": entry.conflicts.select_related("juror"), "audit": entry.audit.select_related("actor"),
        "personal": request.user.has_perm("contests.see_entrant_data"),
        "disqualify_form": DisqualifyForm(), "missing": missing_parts(entry),
    })


@require_POST
def entry_status(request, pk: int):
    require(request, "contests.manage")
    entry = get_object_or_404(Entry, pk=as_id(pk))
    try:
        if "reinstate" in request.POST:
            moderation.reinstate(entry, actor=request.user)
            messages.success(request, _("Participación rehabilitada."))
        else:
            form = DisqualifyForm(request.POST)
            if not form.is_valid():
                raise ContestError(" ".join(str(e) for errs in form.errors.values() for e in errs))
            moderation.disqualify(entry, form.cleaned_data["reason"], actor=request.user)
            messages.success(request, _("Participación descalificada; queda en la bitácora."))
    except ContestError as exc:
        messages.error(request, exc.message)
    return redirect("contests_admin_entry", pk=entry.pk)


@require_POST
def grant_extension(request, call_id: int):
    require(request, "contests.manage")
    call = get_call(call_id)
    form = ExtensionForm(request.POST)
    try:
        if not form.is_valid():
            raise ContestError(" ".join(str(e) for errs in form.errors.values() for e in errs))
        moderation.grant_extension(call, form.cleaned_data["entrant_email"], form.cleaned_data["until"],
                                   form.cleaned_data["reason"], actor=request.user)
    except ContestError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Prórroga concedida y registrada en la bitácora."))
    return redirect("contests_admin_entries", call_id=call.pk)
