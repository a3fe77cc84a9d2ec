"""Staff screens in the Wagtail admin: dashboards, entries, jury, deliberation, results,
exports and the audit log."""

from __future__ import annotations

import csv
import io
from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from contests.access import can_manage, can_see_entrant_data, can_see_stats
from contests.domain import jury, results
from contests.domain.entries import clear_outcome
from contests.domain.kinds import missing_parts
from contests.enums import AuditAction, EntryStatus
from contests.forms import DisqualifyForm, ExtensionForm
from contests.models import (
    Assignment,
    AuditEvent,
    Award,
    CategoryJuror,
    Conflict,
    ContestCallPage,
    DecisionEmail,
    Entry,
    Extension,
    Review,
    log,
)
from contests.text import local_time
from network.enums import State
from network.rules import JURY


def _stats(request):
    if not can_see_stats(request.user):
        raise PermissionDenied


def _manage(request):
    if not can_manage(request.user):
        raise PermissionDenied


def _int(value) -> int:
    """A posted or queried id as an int; 0 (matches nothing) for anything else."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else 0


def _call(call_id) -> ContestCallPage:
    return get_object_or_404(ContestCallPage, pk=call_id)


def calls(request):
    _stats(request)
    rows = ContestCallPage.objects.annotate(
        submitted=Count("entries", filter=Q(entries__status=EntryStatus.SUBMITTED)),
        drafts=Count("entries", filter=Q(entries__status=EntryStatus.DRAFT)),
    ).order_by("-closes_at")
    return TemplateResponse(request, "contests/admin/calls.html", {"calls": rows})


def dashboard(request, call_id: int):
    _stats(request)
    call = _call(call_id)
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
        "can_manage": can_manage(request.user),
    })


def entry_list(request, call_id: int):
    _manage(request)
    call = _call(call_id)
    qs = (Entry.objects.filter(call=call).select_related("category", "owner__entrant_profile")
          .annotate(n_files=Count("files", distinct=True), n_reviews=Count("reviews", distinct=True))
          .order_by("category__sort_order", "folio", "created_at"))
    status = request.GET.get("estado", "")
    if status in EntryStatus.values:
        qs = qs.filter(status=status)
    category = request.GET.get("categoria", "")
    if _int(category):
        qs = qs.filter(category_id=_int(category))
    return TemplateResponse(request, "contests/admin/entries.html", {
        "call": call, "entries": qs, "statuses": EntryStatus.choices, "status": status,
        "category": category, "categories": call.categories.all(),
        "personal": can_see_entrant_data(request.user), "extension_form": ExtensionForm(),
    })


def entry_detail(request, pk: int):
    _manage(request)
    entry = get_object_or_404(Entry.objects.select_related("call", "category", "owner__entrant_profile"),
                              pk=pk)
    criteria = list(entry.call.criteria.all())
    reviews = [(r, [(c.name, r.scores.get(str(c.pk), "—")) for c in criteria],
                results.review_total(r, criteria)) for r in entry.reviews.select_related("juror")]
    return TemplateResponse(request, "contests/admin/entry.html", {
        "entry": entry, "call": entry.call, "files": entry.files.all(),
        "coauthors": entry.coauthors.all(), "reviews": reviews,
        "assignments": entry.assignments.select_related("juror"),
        "conflicts": entry.conflicts.select_related("juror"), "audit": entry.audit.select_related("actor"),
        "personal": can_see_entrant_data(request.user), "disqualify_form": DisqualifyForm(),
        "missing": missing_parts(entry),
    })


@require_POST
def entry_status(request, pk: int):
    _manage(request)
    entry = get_object_or_404(Entry, pk=pk)
    if "reinstate" in request.POST and entry.status == EntryStatus.DISQUALIFIED:
        entry.status, entry.disqualified_reason = EntryStatus.SUBMITTED, ""
        entry.save(update_fields=["status", "disqualified_reason", "updated_at"])
        log(entry.call, AuditAction.REINSTATED, actor=request.user, entry=entry)
        messages.success(request, _("Participación rehabilitada."))
    else:
        form = DisqualifyForm(request.POST)
        if form.is_valid() and entry.status == EntryStatus.SUBMITTED:
            entry.status, entry.disqualified_reason = EntryStatus.DISQUALIFIED, form.cleaned_data["reason"]
            entry.save(update_fields=["status", "disqualified_reason", "updated_at"])
            clear_outcome(entry)
            log(entry.call, AuditAction.DISQUALIFIED, actor=request.user, entry=entry,
                detail=form.cleaned_data["reason"])
            messages.success(request, _("Participación descalificada; queda en la bitácora."))
        else:
            messages.error(request, _("Indique el motivo; solo se descalifican participaciones enviadas."))
    return redirect("contests_admin_entry", pk=entry.pk)


@require_POST
def grant_extension(request, call_id: int):
    _manage(request)
    call = _call(call_id)
    form = ExtensionForm(request.POST)
    user = None
    if form.is_valid():
        user = get_user_model().objects.filter(email__iexact=form.cleaned_data["entrant_email"]).first()
        if user is None:
            form.add_error("entrant_email", _("No hay una cuenta con ese correo."))
        elif form.cleaned_data["until"] <= call.deadline:
            form.add_error("until", _("La prórroga debe terminar después del cierre general."))
        elif form.cleaned_data["until"] >= _jury_starts(call):
            when = local_time(_jury_starts(call))
            form.add_error("until", _("La prórroga debe terminar antes de que empiece la evaluación "
                                      "(%(when)s).") % {"when": when})
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("contests_admin_entries", call_id=call.pk)
    until, reason = form.cleaned_data["until"], form.cleaned_data["reason"]
    Extension.objects.create(call=call, entrant=user, until=until, reason=reason, granted_by=request.user)
    log(call, AuditAction.EXTENSION, actor=request.user,
        detail=_("%(email)s hasta %(until)s: %(reason)s") % {
            "email": user.email, "until": local_time(until),
            "reason": reason})
    messages.success(request, _("Prórroga concedida y registrada en la bitácora."))
    return redirect("contests_admin_entries", call_id=call.pk)


def _jury_starts(call):
    """When the jury starts: its first day at 00:00 Mexico City time, or the results date."""
    import datetime as dt

    if call.jury_starts_on:
        return timezone.make_aware(dt.datetime.combine(call.jury_starts_on, dt.time.min))
    return call.results_at


def jury_screen(request, call_id: int):
    _manage(request)
    call = _call(call_id)
    User = get_user_model()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add_juror":
            email = request.POST.get("email", "").strip()
            category = call.categories.filter(pk=_int(request.POST.get("category"))).first()
            user = jury.juror_account(email, invited_by=request.user) if category else None
            if user is None:
                messages.error(request, _("Escriba un correo válido."))
            else:
                CategoryJuror.objects.get_or_create(category=category, juror=user)
                user.groups.add(Group.objects.get(name=JURY))
                messages.success(request, _("%(email)s forma parte del jurado de %(cat)s.")
                                 % {"email": user.email, "cat": category.name})
        elif action == "remove_juror":
            CategoryJuror.objects.filter(pk=_int(request.POST.get("pk")), category__call=call).delete()
        elif action == "bulk":
            category = call.categories.filter(pk=_int(request.POST.get("category"))).first()
            made = jury.assign_whole_pool(category, actor=request.user) if category else 0
            messages.success(request, _("%(n)s asignaciones nuevas.") % {"n": made})
        elif action == "balance":
            made = jury.assign_balanced(call, actor=request.user)
            messages.success(request, _("%(n)s asignaciones nuevas.") % {"n": made})
        elif action == "assign":
            entry = Entry.objects.filter(call=call, folio=request.POST.get("folio", "").strip()).first()
            user = User.objects.filter(email__iexact=request.POST.get("email", "").strip()).first()
            try:
                if entry is None or user is None:
                    raise ValueError(_("Revise el folio y el correo."))
                jury.assign(entry, user, actor=request.user)
            except ValueError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Asignación registrada."))
        elif action == "unassign":
            Assignment.objects.filter(pk=_int(request.POST.get("pk")), entry__call=call).delete()
        if action in ("bulk", "balance", "assign"):
            from contests import tasks

            # Jurors get copies without metadata; make them now, off the request.
            tasks.prepare_blind_copies.delay(call.pk)
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


def deliberation(request, call_id: int):
    _manage(request)
    call = _call(call_id)
    if request.method == "POST":
        for key, value in request.POST.items():
            if not key.startswith("place-"):
                continue
            entry = Entry.objects.filter(call=call, pk=_int(key[6:])).first()
            if entry is None:
                continue
            current = Award.objects.filter(entry=entry).first()
            place = _int(value) if value.isascii() and value.isdigit() else None
            if (current.place if current else None) == place:
                continue
            try:
                results.set_award(entry, place, actor=request.user)
            except ValueError as exc:
                messages.error(request, f"{entry.folio}: {exc}")
        messages.success(request, _("Premios guardados."))
        return redirect("contests_admin_deliberation", call_id=call.pk)
    return TemplateResponse(request, "contests/admin/deliberation.html", {
        "call": call, "ranking": results.ranking(call), "criteria": list(call.criteria.all()),
        "places": [(1, _("1º lugar")), (2, _("2º lugar")), (3, _("3º lugar")), (0, _("Mención honorífica"))],
    })


def results_screen(request, call_id: int):
    _manage(request)
    call = _call(call_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "publish":
            try:
                n = results.publish_results(call, actor=request.user)
            except ValueError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Resultados publicados (visibles desde la fecha de resultados). "
                                            "%(n)s avisos en borrador para revisar.") % {"n": n})
        elif action == "save":
            decision = get_object_or_404(DecisionEmail, pk=_int(request.POST.get("pk")), entry__call=call,
                                         sent_at__isnull=True)
            decision.subject = " ".join(request.POST.get("subject", decision.subject).split())[:200]
            decision.body = request.POST.get("body", decision.body)
            decision.save(update_fields=["subject", "body"])
            messages.success(request, _("Aviso actualizado."))
        elif action == "send":
            decision = get_object_or_404(DecisionEmail, pk=_int(request.POST.get("pk")), entry__call=call)
            if results.send_decision(decision, actor=request.user):
                messages.success(request, _("Aviso enviado."))
            else:
                messages.error(request, _("No se envió: ya se había enviado, la participación ya no está "
                                          "en concurso o el servidor de correo falló."))
        elif action == "send_all":
            from contests import tasks

            pending = DecisionEmail.objects.filter(entry__call=call, sent_at__isnull=True).count()
            tasks.send_decisions.delay(call.pk, request.user.pk)
            messages.success(request, _("Se están enviando %(n)s avisos; recargue esta página para ver la "
                                        "fecha de envío de cada uno.") % {"n": pending})
        return redirect("contests_admin_results", call_id=call.pk)
    return TemplateResponse(request, "contests/admin/results.html", {
        "call": call, "decisions": DecisionEmail.objects.filter(entry__call=call).select_related(
            "entry__owner", "entry__category").order_by("sent_at", "entry__folio"),
        "awards": results.published_awards(call) if call.results_public else None,
    })


def audit(request, call_id: int):
    _manage(request)
    call = _call(call_id)
    events = AuditEvent.objects.filter(call=call).select_related("actor", "entry")
    return TemplateResponse(request, "contests/admin/audit.html", {"call": call, "events": events[:500]})


EXPORTS = {"participaciones", "evaluaciones"}


def export(request, call_id: int, what: str, fmt: str):
    _manage(request)
    call = _call(call_id)
    if what not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise PermissionDenied
    header, rows = _entries_table(call, personal=can_see_entrant_data(request.user)) \
        if what == "participaciones" else _reviews_table(call)
    filename = f"{call.slug}-{what}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows([_csv_safe(v) for v in row] for row in rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(what)
        sheet.append(header)
        for row in rows:
            sheet.append([_csv_safe(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_safe(value):
    """Neutralise spreadsheet formulas in what entrants typed."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _local(moment):
    """Spreadsheets sort ISO-like dates: yyyy-mm-dd hh:mm:ss, Mexico City time."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _entries_table(call, *, personal: bool):
    header = ["folio", "categoria", "estado", "titulo", "tema", "enlace", "enviada", "archivos",
              "sha256"]
    if personal:
        header += ["nombre", "correo", "entidad", "escuela", "nivel", "menor_de_edad", "coautores"]
    rows = []
    for e in (Entry.objects.filter(call=call).select_related("category", "owner__entrant_profile")
              .prefetch_related("files", "coauthors").order_by("category__sort_order", "folio")):
        files = list(e.files.all())
        row = [e.folio or "", e.category.name, e.get_status_display(), e.title, e.theme, e.link,
               _local(e.submitted_at), "; ".join(f.original_name for f in files),
               "; ".join(f.sha256 for f in files)]
        if personal:
            p = getattr(e.owner, "entrant_profile", None)
            row += [p.full_name if p else "", e.owner.email, p.get_state_display() if p else "",
                    p.school if p else "", p.get_education_level_display() if p else "",
                    ("sí" if p.is_minor else "no") if p else "",
                    "; ".join(f"{c.name} <{c.email}>" for c in e.coauthors.all())]
        rows.append(row)
    return header, rows


def _reviews_table(call):
    criteria = list(call.criteria.all())
    header = ["folio", "categoria", "jurado", "abstencion"] + [c.name for c in criteria] + [
        "total_0_100", "comentario", "actualizada"]
    rows = []
    for r in (Review.objects.filter(entry__call=call).select_related("entry__category", "juror")
              .order_by("entry__folio", "juror__email")):
        rows.append([r.entry.folio, r.entry.category.name, r.juror.email, "sí" if r.abstained else "no"]
                    + [r.scores.get(str(c.pk), "") for c in criteria]
                    + [results.review_total(r, criteria) or "", r.comment, _local(r.updated_at)])
    return header, rows
