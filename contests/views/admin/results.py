"""Deliberation (places and mentions), publishing the results, the decision e-mails, and
the audit log of a call."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin import messages

from contests.domain import results
from contests.domain.errors import ContestError
from contests.models import AuditEvent, Award, DecisionEmail, Entry

from .common import as_id, get_call, require


def deliberation(request, call_id: int):
    require(request, "contests.manage")
    call = get_call(call_id)
    if request.method == "POST":
        failed = False
        for key, value in request.POST.items():
            if not key.startswith("place-"):
                continue
            entry = Entry.objects.filter(call=call, pk=as_id(key[6:])).first()
            if entry is None:
                continue
            current = Award.objects.filter(entry=entry).first()
            place = as_id(value) if value.isascii() and value.isdigit() else None
            if (current.place if current else None) == place:
                continue
            try:
                results.set_award(entry, place, actor=request.user)
            except ContestError as exc:
                failed = True
                messages.error(request, f"{entry.folio}: {exc.message}")
        if not failed:
            messages.success(request, _("Premios guardados."))
        return redirect("contests_admin_deliberation", call_id=call.pk)
    return TemplateResponse(request, "contests/admin/deliberation.html", {
        "call": call, "ranking": results.ranking(call), "criteria": list(call.criteria.all()),
        "places": [(1, _("1º lugar")), (2, _("2º lugar")), (3, _("3º lugar")), (0, _("Mención honorífica"))],
    })


def results_screen(request, call_id: int):
    require(request, "contests.manage")
    call = get_call(call_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "publish":
            try:
                n = results.publish_results(call, actor=request.user)
            except ContestError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, ngettext(
                    "Resultados publicados (visibles desde la fecha de resultados). "
                    "%(n)s aviso en borrador para revisar.",
                    "Resultados publicados (visibles desde la fecha de resultados). "
                    "%(n)s avisos en borrador para revisar.", n) % {"n": n})
        elif action == "save":
            decision = get_object_or_404(DecisionEmail, pk=as_id(request.POST.get("pk")), entry__call=call,
                                         sent_at__isnull=True)
            try:
                results.edit_decision(decision, subject=request.POST.get("subject", decision.subject),
                                      body=request.POST.get("body", decision.body), actor=request.user)
            except ContestError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Aviso actualizado."))
        elif action == "send":
            decision = get_object_or_404(DecisionEmail, pk=as_id(request.POST.get("pk")), entry__call=call)
            if results.send_decision(decision, actor=request.user):
                messages.success(request, _("Aviso enviado."))
            else:
                messages.error(request, _("No se envió: ya se había enviado, la participación ya no está "
                                          "en concurso o el servidor de correo falló."))
        elif action == "send_all":
            pending = results.send_all_decisions(call, actor=request.user)
            messages.success(request, ngettext(
                "Se está enviando %(n)s aviso; recargue esta página para ver su fecha de envío.",
                "Se están enviando %(n)s avisos; recargue esta página para ver la fecha de envío "
                "de cada uno.", pending) % {"n": pending})
        return redirect("contests_admin_results", call_id=call.pk)
    return TemplateResponse(request, "contests/admin/results.html", {
        "call": call, "decisions": DecisionEmail.objects.filter(entry__call=call).select_related(
            "entry__owner", "entry__category").order_by("sent_at", "entry__folio"),
        "awards": Award.objects.published_by_category(call) if call.results_public else None,
    })


def audit(request, call_id: int):
    require(request, "contests.manage")
    call = get_call(call_id)
    events = AuditEvent.objects.filter(call=call).select_related("actor", "entry")
    return TemplateResponse(request, "contests/admin/audit.html", {"call": call, "events": events[:500]})
