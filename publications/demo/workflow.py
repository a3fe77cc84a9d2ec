"""Demo: take the demo articles through the Comité Editorial's review, so the demo shows
votes, decisions and e-mails in each article's history.

Kept apart from the magazine's demo content (``demo/magazine.py``) so the two can be
written at once; the bootstrap calls ``run_demo_workflow(articles)`` after
``build_magazine_demo(home)``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import WorkflowState

from hub.roles import EDITORIAL

from ..domain import review
from ..enums import Verdict

DEMO_REVIEWERS = (("comite-lectora", "Lectora", "del Comité"),
                  ("comite-lector", "Lector", "del Comité"))
VOTES = ((Verdict.APPROVE, "Argumento claro y bien documentado."),
         (Verdict.CHANGES, "Sugiero citar la Ley General de 2025 en la sección 2."))


def demo_reviewers(password: str | None = None) -> list:
    """Two committee members for the demo (created once; no usable password unless given)."""
    group = Group.objects.get(name=EDITORIAL)
    people = []
    for username, first, last in DEMO_REVIEWERS:
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last,
                                         "email": f"{username}@enlace.local", "is_staff": True})
        if created:
            user.set_password(password) if password else user.set_unusable_password()
            user.save()
        user.groups.add(group)
        people.append(user)
    return people


def run_demo_workflow(articles, *, submitter=None, reviewers=None, publish: bool = True) -> None:
    """Submit each article, have two members vote, the committee approve, and (``publish``)
    approve its publication. Articles already in a workflow or live are left alone."""
    reviewers = list(reviewers or demo_reviewers())
    submitter = submitter or get_user_model().objects.filter(groups__name=EDITORIAL).exclude(
        pk__in=[r.pk for r in reviewers]).first() or reviewers[0]
    for article in articles:
        article.refresh_from_db()
        workflow = article.get_workflow()
        if workflow is None or article.workflow_in_progress or WorkflowState.objects.for_instance(
                article).filter(status=WorkflowState.STATUS_APPROVED).exists():
            continue
        article.save_revision(user=submitter)
        workflow.start(article, submitter)
        article.refresh_from_db()
        state = article.current_workflow_task_state.specific
        voters = [r for r in reviewers if r.pk != submitter.pk] or reviewers
        for voter, (verdict, comment) in zip(voters, VOTES, strict=False):
            review.record_vote(state, voter, verdict, comment)
        if review.quorum_met(state.task.specific, state):
            review.decide(state, voters[0], approve=True,
                          comment="Aprobado; atienda la sugerencia de citar la ley vigente.")
        if publish:
            article.refresh_from_db()
            publication = article.current_workflow_task_state
            if publication is not None:
                publication.approve(user=voters[0], comment="Listo para publicarse.")
