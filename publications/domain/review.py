"""The Comité Editorial's review of an article (or edition) inside Wagtail's workflow.

Rule: every member of the task's groups may vote (aprobar / cambios / rechazar, with a
comment; a member who votes again replaces their vote), except whoever answers for the text
under review: the person who submitted the page, the person who saved the revision under
review (who resubmits after changes), and a member whose account is linked to one of the
article's authors. Once ``task.quorum`` members have voted on the current submission, any
member (or a superuser) who does not answer for the text decides with the task's *approve*
action (the page moves on to "Publicación") or its *reject* action, choosing "devolver para
cambios" or "rechazar"; both go back to the author as Wagtail's "changes requested".
The votes are advice: the decision is the committee's, and both are written to the page's history.

Side effects are listed in each function's docstring. None of these functions reads a request.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState

from ..enums import Outcome, Verdict
from ..forms import review_form_for
from ..models.magazine import Author
from ..models.workflow import CommitteeReviewTask, CommitteeReviewTaskState, ReviewVote

VOTE_ACTION = "publications.review.vote"
DECISION_ACTION = "publications.review.decision"
DECIDED = "aprobado"  # the decision value logged when the committee approves


def is_member(task: CommitteeReviewTask, user) -> bool:
    """A committee member for this task: active and in one of its groups."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and task.groups.filter(pk__in=user.groups.values("pk")).exists())


def answers_for(task_state, user) -> bool:
    """Whether ``user`` answers for the text under review in ``task_state``: they submitted
    it, saved the revision under review (a resubmission), or are one of its authors (their
    account linked to an author of the article, in that revision). Nobody reviews their own
    text: they neither vote nor decide."""
    if not getattr(user, "is_authenticated", False):
        return False
    if task_state.workflow_state.requested_by_id == user.pk:
        return True
    revision = task_state.revision
    if revision is None:
        return False
    if revision.user_id == user.pk:
        return True
    author_ids = [link.get("author") for link in revision.content.get("article_authors", [])
                  if isinstance(link, dict)]
    return bool(author_ids) and Author.objects.filter(pk__in=author_ids, user=user).exists()


def may_decide(task: CommitteeReviewTask, task_state, user) -> bool:
    if answers_for(task_state, user):
        return False
    return is_member(task, user) or bool(getattr(user, "is_superuser", False)
                                         and user.is_active)


def current_state(task: CommitteeReviewTask, page) -> TaskState | None:
    """The page's in-progress task state on ``task``, or None."""
    state = page.current_workflow_task_state
    if state is None or state.task_id != task.pk or state.status != TaskState.STATUS_IN_PROGRESS:
        return None
    return state


def votes(task_state) -> list[ReviewVote]:
    return list(ReviewVote.objects.filter(task_state=task_state).select_related("reviewer"))


def tally(task_state) -> dict[str, int]:
    counts = Counter(ReviewVote.objects.filter(task_state=task_state)
                     .values_list("verdict", flat=True))
    return {verdict.value: counts.get(verdict.value, 0) for verdict in Verdict}


def may_vote(task: CommitteeReviewTask, task_state, user) -> bool:
    return is_member(task, user) and not answers_for(task_state, user)


def quorum_met(task: CommitteeReviewTask, task_state) -> bool:
    return ReviewVote.objects.filter(task_state=task_state).count() >= task.quorum


def available_actions(task: CommitteeReviewTask, page, user) -> list[tuple[str, str, bool]]:
    """Wagtail's ``get_actions``: (name, label, needs a form) for this user on this page."""
    state = current_state(task, page)
    if state is None:
        return []
    actions = []
    if may_vote(task, state, user):
        actions.append(("vote", _("Votar"), True))
    if may_decide(task, state, user) and quorum_met(task, state):
        actions += [("approve", _("Aprobar (decisión del comité)"), True),
                    ("reject", _("No aprobar: cambios o rechazo (decisión del comité)"), True)]
    return actions


def on_action(task: CommitteeReviewTask, task_state, user, action_name: str, data: dict):
    """Wagtail's ``on_action``. The data is validated again with the action's form, because
    the page editor posts it from the browser; anything invalid or unavailable changes
    nothing and is refused (403)."""
    page = task_state.workflow_state.content_object
    if action_name not in {name for name, _label, _form in available_actions(task, page, user)}:
        raise PermissionDenied
    form_class = review_form_for(action_name)
    form = form_class(data={key: value for key, value in data.items() if value is not None})
    if not form.is_valid():
        raise PermissionDenied
    values = form.cleaned_data
    if action_name == "vote":
        record_vote(task_state, user, values["verdict"], values["comment"])
    elif action_name == "approve":
        decide(task_state, user, approve=True, comment=values["comment"])
    else:
        decide(task_state, user, approve=False, outcome=values["outcome"],
               comment=values["comment"])
    return None


@transaction.atomic
def record_vote(task_state, reviewer, verdict: str, comment: str = "") -> ReviewVote:
    """Record (or replace) ``reviewer``'s vote on the current submission.

    Side effects: one ``ReviewVote`` row written; a ``publications.review.vote`` entry in the
    page's history (verdict and comment). The same vote again (same verdict and comment, as
    when the editor's form is sent twice) writes and logs nothing. Raises ``PermissionDenied``
    when the task is no longer in progress, the person is not a member, or answers for the text
    (``answers_for``)."""
    state = TaskState.objects.select_for_update().get(pk=task_state.pk)
    task = state.task.specific
    if state.status != TaskState.STATUS_IN_PROGRESS or not isinstance(task, CommitteeReviewTask):
        raise PermissionDenied
    if not may_vote(task, state, reviewer):
        raise PermissionDenied
    if verdict not in Verdict.values:
        raise PermissionDenied
    if verdict != Verdict.APPROVE and not comment.strip():
        raise PermissionDenied
    comment = comment.strip()
    previous = ReviewVote.objects.filter(task_state=state, reviewer=reviewer).first()
    if previous is not None and (previous.verdict, previous.comment) == (verdict, comment):
        # The same vote again (the editor's form sent twice): nothing changed, nothing logged.
        return previous
    vote, _created = ReviewVote.objects.update_or_create(
        task_state=state, reviewer=reviewer,
        defaults={"verdict": verdict, "comment": comment})
    page = state.workflow_state.content_object
    log(instance=page.specific, action=VOTE_ACTION, user=reviewer, revision=state.revision,
        data={"verdict": verdict, "comment": vote.comment, "task_state_id": state.pk,
              "task": {"id": task.pk, "title": task.name}})
    return vote


@transaction.atomic
def decide(task_state, actor, *, approve: bool, outcome: str = "", comment: str = ""):
    """The committee's decision on the current submission.

    Side effects: the task state is approved (the workflow moves on to its next task) or
    rejected (Wagtail marks the page "changes requested"; ``outcome`` says whether the
    committee asked for changes or rejected it); a ``publications.review.decision`` entry with
    the tally of votes in the page's history; the e-mails follow from Wagtail's signals
    (``publications.signals.workflow``). Raises ``PermissionDenied`` when the actor may not
    decide, the quorum is not met or the task is no longer in progress."""
    state = CommitteeReviewTaskState.objects.select_for_update().get(pk=task_state.pk)
    task = state.task.specific
    if state.status != TaskState.STATUS_IN_PROGRESS or not may_decide(task, state, actor):
        raise PermissionDenied
    if not quorum_met(task, state):
        raise PermissionDenied
    if not approve and outcome not in Outcome.values:
        raise PermissionDenied
    page = state.workflow_state.content_object
    log(instance=page.specific, action=DECISION_ACTION, user=actor, revision=state.revision,
        data={"decision": DECIDED if approve else outcome, "comment": comment.strip(),
              "tally": tally(state), "task_state_id": state.pk,
              "task": {"id": task.pk, "title": task.name}})
    if approve:
        state.approve(user=actor, comment=comment.strip())
    else:
        state.outcome = outcome
        state.save(update_fields=["outcome"])
        state.reject(user=actor, comment=comment.strip())
    return state


def action_outcome(page, action_name: str) -> str:
    """What a vote or the committee's decision on ``page`` just did, in a sentence for the
    member who acted ("" for any other step of the workflow)."""
    state = (page.workflow_states.order_by("-created_at").select_related("current_task_state")
             .first())
    if state is None or state.current_task_state is None:
        return ""
    current = state.current_task_state.specific
    if action_name == "vote" and isinstance(current, CommitteeReviewTaskState):
        task = current.task.specific
        count = ReviewVote.objects.filter(task_state=current).count()
        if count >= task.quorum:
            return _("Su voto quedó registrado. Ya hay %(count)s votos: cualquier integrante "
                     "del comité puede decidir.") % {"count": count}
        return _("Su voto quedó registrado. Votos: %(count)s de %(quorum)s necesarios para "
                 "que el comité decida.") % {"count": count, "quorum": task.quorum}
    if action_name == "approve" and state.status == state.STATUS_IN_PROGRESS and not isinstance(
            current, CommitteeReviewTaskState) and CommitteeReviewTaskState.objects.filter(
            workflow_state=state, status=TaskState.STATUS_APPROVED).exists():
        return _("El comité aprobó «%(title)s». Queda en el paso «%(step)s»: un integrante del "
                 "comité o Coordinación lo publica.") % {"title": page.title,
                                                         "step": current.task.name}
    if action_name == "reject" and isinstance(current, CommitteeReviewTaskState) and (
            current.status == TaskState.STATUS_REJECTED):
        if current.outcome == Outcome.REJECTED:
            return _("El comité no aprobó «%(title)s»; se avisó a quien lo envió.") % {
                "title": page.title}
        return _("El comité devolvió «%(title)s» para cambios; se avisó a quien lo envió.") % {
            "title": page.title}
    return ""


# --- Publishing only what the committee reviewed --------------------------------------------

def passed_review(page, revision=None) -> bool:
    """Whether an article or booklet edition has passed the committee's review, so that the
    committee may publish ``revision`` of it (by default its latest): it is live already (a
    correction of a published text), the workflow approved (or scheduled) its latest
    revision, or the workflow is past the review, in its «Publicación» step, and the text is
    the one the committee approved (:func:`is_reviewed_text`). Pages of other kinds have no
    such review: True."""
    from ..models import ArticlePage, EditionPage
    from .issues import approval_of

    page = page.specific if page.pk else page  # a page being created is not saved yet
    if not isinstance(page, (ArticlePage, EditionPage)) or page.live:
        return True
    if page.pk is None:
        return False
    revision = revision or page.latest_revision
    if revision is None:
        return False
    reviewed = reviewed_revision(page)
    if reviewed is not None:
        return is_reviewed_text(reviewed, revision)
    return revision.pk == page.latest_revision_id and approval_of([page])[page.pk]


# What a revision holds besides the text the committee read: the page's place in the tree, its
# state, dates and locks, who holds it, the reviewers' comments and how it is shared on the
# networks once published.
_NOT_THE_TEXT = frozenset({
    "pk", "path", "depth", "numchild", "translation_key", "locale", "latest_revision", "live",
    "has_unpublished_changes", "first_published_at", "last_published_at", "live_revision",
    "go_live_at", "expire_at", "expired", "locked", "locked_at", "locked_by", "draft_title",
    "content_type", "url_path", "owner", "show_in_menus", "latest_revision_created_at",
    "alias_of", "wagtail_admin_comments", "share_channels", "share_image", "share_again",
})


def _text(content: dict) -> dict:
    return {key: value for key, value in content.items() if key not in _NOT_THE_TEXT}


def is_reviewed_text(reviewed, revision) -> bool:
    """Whether ``revision`` holds the text of ``reviewed`` (the revision the committee
    approved): the same revision, or a later save that changed nothing the reader sees
    (publishing from the editor saves a new revision first)."""
    return reviewed.pk == revision.pk or _text(reviewed.content) == _text(revision.content)


def reviewed_revision(page):
    """The revision the committee approved in the page's latest workflow, if that workflow is
    under way or has just ended approved; None otherwise (no review passed)."""
    state = (WorkflowState.objects.for_instance(page)
             .filter(status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_APPROVED])
             .order_by("-created_at", "-pk").first())
    if state is None:
        return None
    approved = (CommitteeReviewTaskState.objects.filter(
        workflow_state=state, status=TaskState.STATUS_APPROVED)
        .select_related("revision").order_by("-finished_at", "-pk").first())
    return approved.revision if approved is not None else None


class NotReviewed(Exception):
    """A text the committee did not approve was about to go live (``page``: the article or
    edition); raised by their ``publish``, whatever the path."""

    def __init__(self, page, *, changed: bool = True):
        self.page = page
        if changed:  # the committee approved an earlier text
            text = _("No se publicó «%(title)s»: el texto cambió después de que el Comité "
                     "Editorial lo aprobó. Los cambios quedaron como borrador; para "
                     "publicarlos, el comité debe revisarlos: use «Solicitar cambios» (vuelve "
                     "a quien lo envió, que lo envía de nuevo a revisión) o «Cancelar flujo de "
                     "trabajo» y envíelo de nuevo a revisión.")
        else:
            text = _("No se publicó «%(title)s»: un artículo o una edición de cuadernillo se "
                     "publica después de la revisión del Comité Editorial. Use «Enviar a "
                     "Revisión del Comité Editorial».")
        super().__init__(text % {"title": page.title})


def check_reviewed(page, revision, user) -> None:
    """Raise :class:`NotReviewed` when ``user`` is publishing (or scheduling) a first version
    of ``page`` whose text the committee did not approve. Coordinación and superusers publish
    directly; a scheduled publication (no user) was checked when it was scheduled."""
    from ..rules import is_coordinator, is_superuser

    if user is None or page.live or is_coordinator(user) or is_superuser(user):
        return
    if not passed_review(page, revision):
        raise NotReviewed(page, changed=reviewed_revision(page) is not None)
