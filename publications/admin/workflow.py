"""Admin: the editorial workflow's history entries (votes, decisions, e-mails) and the
conversion of accepted call entries into draft articles."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.log_actions import LogFormatter

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
# Officers keep their page rights at the root for the site's content pages; Wagtail's page
# permissions are inherited down the tree, so these hooks refuse everyone else every page
# view of the section (create, edit, publish, unpublish, delete, copy, move).

def _in_section(page) -> bool:
    return page is not None and page.specific_class is not None and (
        page.specific_class._meta.app_label == "publications")


def _deny_unless_section_editor(user) -> None:
    from django.core.exceptions import PermissionDenied

    from ..rules import may_edit_section

    if not may_edit_section(user):
        raise PermissionDenied


@hooks.register("before_create_page")
def _before_create(request, parent_page, page_class):
    if page_class._meta.app_label == "publications" or _in_section(parent_page):
        _deny_unless_section_editor(request.user)


def _before_page_action(request, page, *args, **kwargs):
    if _in_section(page):
        _deny_unless_section_editor(request.user)


for _hook in ("before_edit_page", "before_delete_page", "before_copy_page",
              "before_unpublish_page", "before_publish_page"):
    hooks.register(_hook, _before_page_action)


@hooks.register("before_move_page")
def _before_move(request, page, destination):
    if _in_section(page) or _in_section(destination):
        _deny_unless_section_editor(request.user)
