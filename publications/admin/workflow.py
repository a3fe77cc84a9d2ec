"""Admin: the editorial workflow's history entries (votes, decisions, e-mails) and the
conversion of accepted call entries into draft articles."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from hub.pagescopes import guard_section

from ..enums import Outcome, Verdict

_DECISIONS = {"aprobado": _("aprobó"), Outcome.CHANGES.value: _("devolvió para cambios"),
              Outcome.REJECTED.value: _("rechazó")}


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    @actions.register_action("publications.review.vote")
    class VoteFormatter(LogFormatter):
        label = _("Voto del Comité Editorial")

        def format_message(self, log_entry):
            verdict = log_entry.data.get("verdict", "")
            label = Verdict(verdict).label if verdict in Verdict.values else verdict
            return _("Votó: %(verdict)s") % {"verdict": label}

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")

    @actions.register_action("publications.review.decision")
    class DecisionFormatter(LogFormatter):
        label = _("Decisión del Comité Editorial")

        def format_message(self, log_entry):
            data = log_entry.data
            tally = data.get("tally", {})
            return _("El comité %(decision)s (votos: %(yes)s a favor, %(changes)s cambios, "
                     "%(no)s en contra)") % {
                "decision": _DECISIONS.get(data.get("decision"), data.get("decision", "")),
                "yes": tally.get(Verdict.APPROVE.value, 0),
                "changes": tally.get(Verdict.CHANGES.value, 0),
                "no": tally.get(Verdict.REJECT.value, 0)}

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")

    @actions.register_action("publications.mail.sent")
    class MailFormatter(LogFormatter):
        label = _("Correo enviado")

        def format_message(self, log_entry):
            count = int(log_entry.data.get("count", 0))
            return ngettext("Correo enviado a %(count)s persona: %(subject)s",
                            "Correo enviado a %(count)s personas: %(subject)s", count) % {
                "count": count, "subject": log_entry.data.get("subject", "")}

    @actions.register_action("publications.call.article_created")
    class FromEntryFormatter(LogFormatter):
        label = _("Creado desde una convocatoria")

        def format_message(self, log_entry):
            return _("Borrador creado a partir de la participación %(folio)s") % {
                "folio": log_entry.data.get("folio", "")}


# --- The publications section belongs to the committee (and Coordinación) -----------------

def _may_edit_section(user) -> bool:
    from ..rules import may_edit_section

    return may_edit_section(user)


guard_section("publications", _may_edit_section)


# --- Only what the committee reviewed is published -----------------------------------------

NOT_REVIEWED = _("Se guardó el borrador, pero no se publicó: un artículo o una edición de "
                 "cuadernillo se publica después de la revisión del Comité Editorial. Use "
                 "«Enviar a Revisión del Comité Editorial».")


def may_publish(user, page) -> bool:
    from ..rules import may_publish_section_page

    return may_publish_section_page(user, page)


@hooks.register("construct_page_action_menu")
def _hide_publish_before_review(menu_items, request, context):
    page = context.get("page")
    if page is not None and not may_publish(request.user, page):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_publish_page")
def _refuse_publish_before_review(request, page):
    """«Publicar» or «Programar» sent anyway (an old tab, a crafted form): the revision the
    editor saved stays as the draft; nothing goes live."""
    from django.contrib import messages
    from django.shortcuts import redirect

    if may_publish(request.user, page):
        return None
    from ..domain.review import NotReviewed, reviewed_revision

    if page.pk is not None and reviewed_revision(page.specific) is not None:
        messages.error(request, str(NotReviewed(page)))  # approved, then changed
    else:
        messages.error(request, NOT_REVIEWED)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("after_edit_page")
def _say_what_the_review_action_did(request, page):
    """After a vote or the committee's decision in the page editor, Wagtail says only «Página
    … ha sido actualizada»; the member is told instead what counted and what comes next."""
    action = request.POST.get("workflow-action-name") if request.method == "POST" else None
    if action not in ("vote", "approve", "reject"):
        return None
    from ..domain.review import action_outcome

    text = action_outcome(page, action)
    if text:
        _replace_messages(request, text)
    return None


def _replace_messages(request, text: str) -> None:
    """The messages queued by this request give way to ``text`` (reading them consumes them)."""
    from django.contrib import messages

    list(messages.get_messages(request))
    messages.success(request, text)


# --- Calls for articles: accepted entries → draft articles ---------------------------------

def _calls_view(request):
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect
    from django.template.response import TemplateResponse
    from django.urls import reverse

    from contests.models import Entry

    from ..domain import calls
    from ..models import IssuePage
    from ..rules import may_convert_entries

    if not may_convert_entries(request.user):
        raise PermissionDenied
    issues = IssuePage.objects.order_by("-volume", "-number")
    if request.method == "POST":
        entry_id, issue_id = request.POST.get("entry", ""), request.POST.get("issue", "")
        entry = (Entry.objects.filter(pk=entry_id).first()
                 if entry_id.isascii() and entry_id.isdigit() and len(entry_id) < 19 else None)
        issue = (issues.filter(pk=issue_id).first()
                 if issue_id.isascii() and issue_id.isdigit() and len(issue_id) < 19 else None)
        if entry is None or issue is None:
            messages.error(request, _("Elija una participación aceptada y un número de la "
                                      "revista."))
            return redirect("publications_calls")
        try:
            article = calls.entry_to_article(entry, issue, actor=request.user)
        except calls.CallError as error:
            messages.error(request, str(error))
            return redirect("publications_calls")
        messages.success(request, _("Se creó el borrador «%(title)s» en %(issue)s.") % {
            "title": article.title, "issue": issue.title})
        return redirect(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    return TemplateResponse(request, "publications/admin/calls.html", {
        "entries": calls.accepted_entries(), "issues": issues})


@hooks.register("register_admin_urls")
def _calls_urls():
    from django.urls import path

    return [path("publicaciones/convocatorias/", _calls_view, name="publications_calls")]


@hooks.register("register_admin_menu_item")
def _calls_menu_item():
    from wagtail.admin.menu import MenuItem

    from ..rules import may_convert_entries

    class CallsMenuItem(MenuItem):
        def is_shown(self, request):
            return may_convert_entries(request.user)

    return CallsMenuItem(_("Artículos desde convocatorias"), "/admin/publicaciones/convocatorias/",
                         icon_name="doc-full", order=910)
