"""The editorial workflow: the Comité Editorial's review task and its members' votes.

``CommitteeReviewTask`` is a Wagtail task (registered by being a ``Task`` subclass): the
members of its groups *vote* (aprobar / cambios / rechazar, with a comment) and, once
``quorum`` members have voted, any member *decides* with the task's approve/reject actions.
Decisions and votes live in ``publications.domain.review``; this module holds the rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState

from ..enums import Outcome, Verdict


class CommitteeReviewTaskState(TaskState):
    """A review task state; remembers whether a refusal asked for changes or rejected."""

    outcome = models.CharField(_("resultado"), max_length=20, choices=Outcome.choices,
                               blank=True)

    class Meta:
        verbose_name = _("estado de revisión del comité")
        verbose_name_plural = _("estados de revisión del comité")


class CommitteeReviewTask(AbstractGroupApprovalTask):
    """Each member of the chosen groups votes; the committee then approves or refuses."""

    quorum = models.PositiveSmallIntegerField(
        _("votos necesarios para decidir"), default=2,
        help_text=_("Cuántos integrantes deben votar antes de que el comité pueda decidir."))

    admin_form_fields = AbstractGroupApprovalTask.admin_form_fields + ["quorum"]
    task_state_class = CommitteeReviewTaskState

    class Meta:
        verbose_name = _("revisión del Comité Editorial")
        verbose_name_plural = _("revisiones del Comité Editorial")

    @classmethod
    def get_description(cls):
        return _("Cada integrante de los grupos elegidos vota (aprobar, solicitar cambios o "
                 "rechazar, con comentario); reunidos los votos, el comité decide.")

    def get_actions(self, obj, user):
        from ..domain import review

        return review.available_actions(self, obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        """The dashboard's «Esperando su revisión»: never a submission the member answers for
        (they sent it or its revision under review), where they have nothing to do."""
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user).exclude(revision__user=user)

    def get_form_for_action(self, action):
        from ..forms import review_form_for

        return review_form_for(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        from ..domain import review

        return review.on_action(self, task_state, user, action_name, kwargs)


class ReviewVote(models.Model):
    """One member's vote on one review task state (a new submission starts a new state)."""

    task_state = models.ForeignKey(TaskState, verbose_name=_("revisión"),
                                   on_delete=models.CASCADE, related_name="committee_votes")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("integrante"),
                                 on_delete=models.CASCADE, related_name="committee_votes")
    verdict = models.CharField(_("voto"), max_length=20, choices=Verdict.choices)
    comment = models.TextField(_("comentario"), blank=True)
    at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        verbose_name = _("voto del comité")
        verbose_name_plural = _("votos del comité")
        ordering = ["at"]
        constraints = [models.UniqueConstraint(fields=["task_state", "reviewer"],
                                               name="publications_one_vote_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.get_verdict_display()}"
