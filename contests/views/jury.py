"""The jury's side: assigned entries only, anonymised; scores, conflicts and deliberation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contests.domain import jury as domain
from contests.domain.errors import ContestError
from contests.domain.results import ranking
from contests.enums import EntryStatus
from contests.forms import ConflictForm, ReviewForm
from contests.kinds import rules_for
from contests.models import Assignment, ContestCallPage, Entry, Review

LOGIN = "account_login"


@login_required(login_url=LOGIN)
def home(request):
    assignments = (Assignment.objects.filter(juror=request.user, entry__status=EntryStatus.SUBMITTED)
                   .select_related("entry__call", "entry__category").order_by("entry__call_id",
                                                                             "entry__category_id",
                                                                             "entry__public_id"))
    done = set(Review.objects.filter(juror=request.user).values_list("entry_id", flat=True))
    calls: dict = {}
    for a in assignments:
        calls.setdefault(a.entry.call, []).append((a.entry, a.entry_id in done))
    presiding = ContestCallPage.objects.filter(jury_president=request.user)
    return render(request, "contests/jury/home.html", {"calls": calls, "presiding": presiding})


def _assigned_entry(request, public_id) -> Entry:
    entry = (Entry.objects.select_related("call", "category")
             .filter(public_id=public_id, status=EntryStatus.SUBMITTED,
                     assignments__juror=request.user).first())
    if entry is None:
        raise Http404
    return entry


@login_required(login_url=LOGIN)
def review(request, public_id):
    entry = _assigned_entry(request, public_id)
    criteria = list(entry.call.criteria.all())
    existing = Review.objects.filter(entry=entry, juror=request.user).first()
    initial = {}
    if existing:
        initial = {f"c{k}": v for k, v in existing.scores.items()}
        initial.update(comment=existing.comment, abstained=existing.abstained)
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                domain.save_review(entry, request.user, scores=form.scores(),
                                   comment=form.cleaned_data["comment"],
                                   abstained=form.cleaned_data["abstained"])
            except ContestError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Evaluación guardada."))
                return redirect("contests:jury_home")
        status = 400
    return render(request, "contests/jury/review.html", {
        "entry": entry, "form": form, "conflict_form": ConflictForm(), "rules": rules_for(entry.category),
        "files": list(entry.files.all()), "existing": existing,
        "scoring_closed": domain.scoring_problem(entry),
    }, status=status)


@login_required(login_url=LOGIN)
@require_POST
def conflict(request, public_id):
    entry = _assigned_entry(request, public_id)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Explique brevemente el motivo del conflicto de interés."))
        return redirect("contests:jury_review", public_id=public_id)
    domain.declare_conflict(entry, request.user, form.cleaned_data["reason"])
    messages.success(request, _("Conflicto de interés registrado. La obra se reasignó a otra persona "
                                "del jurado."))
    return redirect("contests:jury_home")


@login_required(login_url=LOGIN)
def deliberation(request, call_id: int):
    """The jury president's view (staff see the same in the admin): anonymous ranking."""
    call = get_object_or_404(ContestCallPage, pk=call_id)
    if not request.user.has_perm("contests.deliberate", call):
        raise PermissionDenied
    return render(request, "contests/jury/deliberation.html", {
        "call": call, "ranking": ranking(call), "criteria": list(call.criteria.all())})
