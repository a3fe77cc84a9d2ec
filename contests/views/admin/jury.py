"""The jury of a call: pools per category, assignments (balanced, in bulk, manual) and
their removal."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin import messages

from contests.domain import jury
from contests.domain.errors import ContestError
from contests.enums import EntryStatus
from contests.models import Assignment, Conflict, Entry, Review
from contests.text import query_text

from .common import as_id, get_call, require


def _act(request, call, action: str) -> str:
    """Run one posted action; the success message, or raises ContestError."""
    post = request.POST
    if action == "add_juror":
        pool = jury.add_juror(call, as_id(post.get("category")), query_text(post.get("email"), 254),
                              actor=request.user)
        return _("%(email)s forma parte del jurado de %(cat)s.") % {
            "email": pool.juror.email, "cat": pool.category.name}
    if action == "remove_juror":
        jury.remove_juror(call, as_id(post.get("pk")), actor=request.user)
        return _("La persona ya no forma parte del jurado de esa categoría.")
    if action == "bulk":
        category = call.categories.filter(pk=as_id(post.get("category"))).first()
        if category is None:
            raise ContestError(_("Elija una categoría de esta convocatoria."))
        made = jury.assign_whole_pool(category, actor=request.user)
        return ngettext("%(n)s asignación nueva.", "%(n)s asignaciones nuevas.", made) % {"n": made}
    if action == "balance":
        made = jury.assign_balanced(call, actor=request.user)
        return ngettext("%(n)s asignación nueva.", "%(n)s asignaciones nuevas.", made) % {"n": made}
    if action == "assign":
        entry = Entry.objects.filter(call=call, folio=query_text(post.get("folio"), 40)).first()
        user = get_user_model().objects.filter(email__iexact=query_text(post.get("email"), 254)).first()
        if entry is None or user is None:
            raise ContestError(_("Revise el folio y el correo."))
        jury.assign(entry, user, actor=request.user)
        return _("Asignación registrada.")
    if action == "unassign":
        jury.unassign(call, as_id(post.get("pk")), actor=request.user)
        return _("Asignación retirada; sus calificaciones ya no cuentan y queda en la bitácora.")
    raise ContestError(_("Acción desconocida."))


def jury_screen(request, call_id: int):
    require(request, "contests.manage")
    call = get_call(call_id)
    if request.method == "POST":
        try:
            done = _act(request, call, request.POST.get("action", ""))
        except ContestError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return redirect("contests_admin_jury", call_id=call.pk)
    pools = {c: list(c.jurors.select_related("juror")) for c in call.categories.all()}
    assigned = Counter(Assignment.objects.filter(entry__call=call).values_list("juror__email", flat=True))
    done = Counter(Review.objects.filter(entry__call=call).values_list("juror__email", flat=True))
    return TemplateResponse(request, "contests/admin/jury.html", {
        "call": call, "pools": pools,
        "load": [{"email": email, "assigned": n, "done": done[email]}
                 for email, n in sorted(assigned.items())],
        "conflicts": Conflict.objects.filter(entry__call=call).select_related("juror", "entry"),
        "assignments": Assignment.objects.filter(entry__call=call).select_related("juror", "entry")
        .order_by("entry__folio"),
        "unassigned": Entry.objects.filter(call=call, status=EntryStatus.SUBMITTED).annotate(
            n=Count("assignments")).filter(n__lt=call.reviews_per_entry).count(),
    })
