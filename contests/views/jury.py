"""The jury's side: assigned entries only, anonymised; scores, conflicts and deliberation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contests.domain import jury as domain
from contests.domain.errors import ContestError
from contests.domain.results import ranking, review_total
from contests.enums import EntryStatus
from contests.forms import ConflictForm, ReviewForm
from contests.kinds import rules_for
from contests.models import Conflict, ContestCallPage, Entry, Review
from contests.text import closing_in_words

LOGIN = "account_login"


FILTERS = {"pendientes": False, "calificadas": True}
PER_PAGE = 50  # a juror of a busy contest has thousands of works


@login_required(login_url=LOGIN)
def home(request):
    """The juror's works by call and category, with progress, in a stable order and 50 a page;
    «?estado=» keeps only the pending or the scored ones. The progress counts every work."""
    progress = domain.juror_progress(request.user)
    shown = FILTERS.get(request.GET.get("estado", ""))
    done = domain.scored_by(request.user)
    listed = domain.juror_entries(request.user).annotate(
        scored=Exists(done.filter(entry_id=OuterRef("pk"))))
    if shown is not None:
        listed = listed.filter(pk__in=done) if shown else listed.exclude(pk__in=done)
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("pagina"))
    items: dict = {}
    for entry in page:
        items.setdefault((entry.call_id, entry.category_id), []).append((entry, entry.scored))
    calls: dict = {}
    for group in progress:
        group.items = items.get((group.call.pk, group.category.pk), [])
        group.elsewhere = not group.items and (
            group.total - group.scored if shown is False else
            group.scored if shown else group.total)
        calls.setdefault(group.call, {})[group.category] = group
    now = timezone.now()
    sections = [(call, closing_in_words(call.jury_ends_at, now)
                 if call.jury_ends_at and call.jury_ends_at > now else "", groups)
                for call, groups in calls.items()]
    presiding = ContestCallPage.objects.filter(jury_president=request.user)
    excused = Conflict.objects.filter(juror=request.user).select_related("entry__category")
    return render(request, "contests/jury/home.html", {
        "sections": sections, "presiding": presiding, "excused": excused, "works": page,
        "estado": request.GET.get("estado") if shown is not None else "",
        "total": sum(g.total for g in progress), "scored": sum(g.scored for g in progress)})


def _assigned_entry(request, public_id) -> Entry:
    entry = (Entry.objects.select_related("call", "category")
             .filter(public_id=public_id, status=EntryStatus.SUBMITTED,
                     assignments__juror=request.user).first())
    if entry is None:
        raise Http404
    return entry


def _excused(request, public_id) -> bool:
    """The juror declared a conflict with this work: it is no longer theirs to score."""
    if Conflict.objects.filter(juror=request.user, entry__public_id=public_id).exists():
        messages.info(request, _("Usted declaró un conflicto de interés con esa obra: ya no está en "
                                 "su lista."))
        return True
    return False


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "HEAD", "POST"])
def review(request, public_id):
    if _excused(request, public_id):
        return redirect("contests:jury_home")
    entry = _assigned_entry(request, public_id)
    criteria = list(entry.call.criteria.all())
    existing = Review.objects.filter(entry=entry, juror=request.user).first()
    initial = {}
    if existing:
        initial = {f"c{k}": v for k, v in existing.scores.items()}
        initial.update(comment=existing.comment, abstained=existing.abstained)
    closed = domain.scoring_problem(entry)
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial, read_only=bool(closed))
    status = 200
    if request.method == "POST":
        if closed:  # the page says why; nothing is saved
            pass
        elif form.is_valid():
            try:
                domain.save_review(entry, request.user, scores=form.scores(),
                                   comment=form.cleaned_data["comment"],
                                   abstained=form.cleaned_data["abstained"])
            except ContestError as exc:
                form.add_error(None, exc.message)
            else:
                return _after_saving(request, entry)
        status = 400
    deadline = domain.scoring_deadline(entry)
    return render(request, "contests/jury/review.html", {
        "entry": entry, "form": form, "rules": rules_for(entry.category),
        "files": list(entry.files.all()), "existing": existing, "scoring_closed": closed,
        "place": domain.place_of(entry, request.user), "weights": form.weights(),
        "total": review_total(existing, criteria) if existing else None,
        "deadline": closing_in_words(deadline) if deadline and not closed else "",
    }, status=status)


def _after_saving(request, entry):
    """On to the next work the juror has not scored, or back to the list when none is left."""
    following = domain.place_of(entry, request.user).next_unscored
    if following is None:
        messages.success(request, _("Evaluación de %(code)s guardada. Ya calificó todas sus obras de "
                                    "esta categoría.") % {"code": entry.anonymous_code})
        return redirect("contests:jury_home")
    messages.success(request, _("Evaluación de %(code)s guardada. Sigue %(next)s, la siguiente sin "
                                "calificar.") % {"code": entry.anonymous_code,
                                                 "next": following.anonymous_code})
    return redirect("contests:jury_review", public_id=following.public_id)


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "HEAD", "POST"])
def conflict(request, public_id):
    """A step of its own, apart from the scores: the juror excuses themself from a work,
    which leaves their list at once. Declaring twice changes nothing."""
    if _excused(request, public_id):
        return redirect("contests:jury_home")
    entry = _assigned_entry(request, public_id)
    form = ConflictForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                domain.declare_conflict(entry, request.user, form.cleaned_data["reason"])
            except ContestError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Conflicto de interés registrado: la obra %(code)s salió de "
                                            "su lista y se asignará a otra persona del jurado.")
                                 % {"code": entry.anonymous_code})
                return redirect("contests:jury_home")
        status = 400
    return render(request, "contests/jury/conflict.html", {"entry": entry, "form": form},
                  status=status)


@login_required(login_url=LOGIN)
def deliberation(request, call_id: int):
    """The jury president's view (staff see the same in the admin): anonymous ranking."""
    call = get_object_or_404(ContestCallPage, pk=call_id)
    if not request.user.has_perm("contests.deliberate", call):
        raise PermissionDenied
    return render(request, "contests/jury/deliberation.html", {
        "call": call, "ranking": ranking(call), "criteria": list(call.criteria.all())})
