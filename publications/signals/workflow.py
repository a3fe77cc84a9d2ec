"""Signals: the editorial workflow.

- A magazine or booklet index page, when created, gets the Comité Editorial's page
  permissions (``hub.roles.grant_section_permissions``) and the editorial workflow.
- Wagtail's workflow signals send our Spanish notices (``domain.review_mail``), each kept in
  the page's history.
- Wagtail's own workflow e-mails are kept for every other workflow (campaign posts) but not
  for the editorial one, which would otherwise send two messages, one of them unlogged: the
  receivers below take Wagtail's ``dispatch_uid``\\s first (this app is ready before
  ``wagtail.admin``, whose later ``connect`` with the same uid is then a no-op) and pass
  everything that is not editorial on to Wagtail's notifier. ``tests/publications/
  test_workflow_mail.py`` fails if that ever stops holding.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from ..enums import Outcome
from ..models import BookletIndexPage, MagazinePage
from ..models.workflow import CommitteeReviewTask, CommitteeReviewTaskState
from ..workflow_setup import WORKFLOW as WORKFLOW_NAME


def is_editorial(workflow) -> bool:
    """A workflow with a committee review task is the editorial one."""
    if workflow is None:
        return False
    task_type = ContentType.objects.get_for_model(CommitteeReviewTask)
    return workflow.workflow_tasks.filter(task__content_type=task_type).exists()


def _page(workflow_state):
    return workflow_state.content_object


# --- Taking over Wagtail's notifiers for the editorial workflow ---------------------------

def _wagtail_notifiers():
    from wagtail.admin import signal_handlers as wagtail_handlers

    return wagtail_handlers


def _workflow_notice_guard(name):
    def guard(sender, instance=None, **kwargs):
        if is_editorial(instance.workflow):
            return None
        return getattr(_wagtail_notifiers(), name)(instance=instance, **kwargs)
    return guard


def _task_notice_guard(sender, instance=None, **kwargs):
    if is_editorial(instance.workflow_state.workflow):
        return None
    return _wagtail_notifiers().task_submission_email_notifier(instance=instance, **kwargs)


_guards = {
    "workflow_state_submitted_email_notification":
        _workflow_notice_guard("workflow_submission_email_notifier"),
    "workflow_state_rejected_email_notification":
        _workflow_notice_guard("workflow_rejection_email_notifier"),
    "workflow_state_approved_email_notification":
        _workflow_notice_guard("workflow_approval_email_notifier"),
}
task_submitted.connect(_task_notice_guard, sender=TaskState,
                       dispatch_uid="group_approval_task_submitted_email_notification")
workflow_submitted.connect(_guards["workflow_state_submitted_email_notification"],
                           sender=WorkflowState,
                           dispatch_uid="workflow_state_submitted_email_notification")
workflow_rejected.connect(_guards["workflow_state_rejected_email_notification"],
                          sender=WorkflowState,
                          dispatch_uid="workflow_state_rejected_email_notification")
workflow_approved.connect(_guards["workflow_state_approved_email_notification"],
                          sender=WorkflowState,
                          dispatch_uid="workflow_state_approved_email_notification")


# --- Our notices ---------------------------------------------------------------------------

@receiver(workflow_submitted, sender=WorkflowState,
          dispatch_uid="publications_workflow_submitted")
def on_submitted(sender, instance, user=None, **kwargs):
    from ..domain.review_mail import notify

    if is_editorial(instance.workflow):
        notify(_page(instance), "submitted", [instance.requested_by], actor=user)


@receiver(task_submitted, dispatch_uid="publications_task_submitted")
def on_task_submitted(sender, instance, user=None, **kwargs):
    from ..domain.review_mail import members_of, notify

    if not isinstance(instance, TaskState) or not is_editorial(instance.workflow_state.workflow):
        return
    task = instance.task.specific
    groups = getattr(task, "groups", None)
    if groups is None:
        return
    requester = instance.workflow_state.requested_by
    kind = "vote_requested" if isinstance(task, CommitteeReviewTask) else "publish_requested"
    recipients = members_of(groups.all(), exclude=requester)
    if kind == "vote_requested":
        from ..domain.review import answers_for

        # Who answers for the text (a linked author, a resubmitter) has no vote to give.
        recipients = [member for member in recipients if not answers_for(instance, member)]
    notify(_page(instance.workflow_state), kind, recipients,
           actor=user, context={"requester": requester.get_full_name() or requester.get_username()
                                if requester else ""})


@receiver(workflow_approved, sender=WorkflowState, dispatch_uid="publications_workflow_approved")
def on_approved(sender, instance, user=None, **kwargs):
    from ..domain.review_mail import notify

    if is_editorial(instance.workflow):
        notify(_page(instance), "approved", [instance.requested_by], actor=user)


@receiver(workflow_rejected, sender=WorkflowState, dispatch_uid="publications_workflow_rejected")
def on_rejected(sender, instance, user=None, **kwargs):
    from ..domain.review_mail import notify

    if not is_editorial(instance.workflow):
        return
    state = instance.current_task_state.specific if instance.current_task_state else None
    rejected = (isinstance(state, CommitteeReviewTaskState)
                and state.outcome == Outcome.REJECTED)
    notify(_page(instance), "rejected" if rejected else "changes_requested",
           [instance.requested_by], actor=user,
           context={"comment": state.comment if state else ""})


# --- The section's pages -------------------------------------------------------------------

def _section_page_created(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    from wagtail.models import Workflow, WorkflowPage

    from hub.roles import grant_section_permissions

    grant_section_permissions(instance)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page_id=instance.pk, defaults={"workflow": workflow})


for _model in (MagazinePage, BookletIndexPage):
    post_save.connect(_section_page_created, sender=_model,
                      dispatch_uid=f"publications_section_page_{_model.__name__}")
