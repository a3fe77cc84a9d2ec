"""The Comité Editorial's review inside Wagtail's workflow: votes, decision, history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from hub import roles
from publications.domain import review
from publications.enums import Outcome, Verdict
from publications.models import ReviewVote
from tests.factories import UserFactory
from tests.publications.workflow_helpers import committee, draft_article, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    ana, beto, carla = committee("ana", "beto", "carla")
    return {"author": ana, "r1": beto, "r2": carla}


@pytest.fixture
def page(site, people):
    return draft_article(site, title="Datos abiertos municipales")


def _state(page):
    page.refresh_from_db()
    return page.current_workflow_task_state.specific


def _action_url(page, action, state):
    return f"/admin/pages/workflow/action/{page.pk}/{action}/{state.pk}/"


def test_magazine_pages_get_the_editorial_workflow(page):
    workflow = page.get_workflow()
    assert workflow is not None and workflow.name == "Revisión del Comité Editorial"
    tasks = [t.specific for t in workflow.tasks]
    assert [t.name for t in tasks] == ["Revisión del Comité Editorial", "Publicación"]
    assert type(tasks[0]).__name__ == "CommitteeReviewTask"


def test_members_vote_and_then_the_committee_approves(page, people):
    submit(page, people["author"])
    state = _state(page)
    task = state.task.specific
    assert [a[0] for a in task.get_actions(page, people["r1"])] == ["vote"]
    review.record_vote(state, people["r1"], Verdict.APPROVE, "Bien argumentado.")
    assert [a[0] for a in task.get_actions(page, people["r1"])] == ["vote"]
    review.record_vote(state, people["r2"], Verdict.CHANGES, "Falta una fuente.")
    assert {a[0] for a in task.get_actions(page, people["r1"])} == {"vote", "approve", "reject"}

    review.decide(state, people["r1"], approve=True, comment="Aprobado con la fuente.")
    page.refresh_from_db()
    next_state = page.current_workflow_task_state
    assert next_state.task.name == "Publicación"
    actions = list(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert actions.count("publications.review.vote") == 2
    assert "publications.review.decision" in actions
    decision = PageLogEntry.objects.get(page=page, action="publications.review.decision")
    assert decision.data["tally"] == {"aprobar": 1, "cambios": 1, "rechazar": 0}
    assert "aprobó" in str(decision.message)


def test_the_author_cannot_vote_on_their_own_submission(page, people):
    submit(page, people["author"])
    state = _state(page)
    assert state.task.specific.get_actions(page, people["author"]) == []
    with pytest.raises(PermissionDenied):
        review.record_vote(state, people["author"], Verdict.APPROVE)
    assert not ReviewVote.objects.exists()


def test_no_decision_before_the_quorum(page, people):
    submit(page, people["author"])
    state = _state(page)
    review.record_vote(state, people["r1"], Verdict.APPROVE)
    with pytest.raises(PermissionDenied):
        review.decide(state, people["r2"], approve=True)
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS


def test_voting_again_replaces_the_vote(page, people):
    submit(page, people["author"])
    state = _state(page)
    review.record_vote(state, people["r1"], Verdict.REJECT, "No es original.")
    review.record_vote(state, people["r1"], Verdict.APPROVE, "Tras releerlo, sí.")
    vote = ReviewVote.objects.get()
    assert vote.verdict == Verdict.APPROVE and vote.comment == "Tras releerlo, sí."
    assert review.quorum_met(state.task.specific, state) is False


def test_outsiders_cannot_vote_or_decide(page, people, coordinator):
    officer = UserFactory(username="oficial", groups=[roles.COMMUNICATIONS])
    submit(page, people["author"])
    state = _state(page)
    review.record_vote(state, people["r1"], Verdict.APPROVE)
    review.record_vote(state, people["r2"], Verdict.APPROVE)
    for outsider in (officer, coordinator):
        assert state.task.specific.get_actions(page, outsider) == []
        with pytest.raises(PermissionDenied):
            review.record_vote(state, outsider, Verdict.APPROVE)
        with pytest.raises(PermissionDenied):
            review.decide(state, outsider, approve=True)
    assert ReviewVote.objects.count() == 2


def test_rejection_is_recorded_as_the_committees_outcome(page, people):
    submit(page, people["author"])
    state = _state(page)
    review.record_vote(state, people["r1"], Verdict.REJECT, "Fuera de tema.")
    review.record_vote(state, people["r2"], Verdict.REJECT, "Fuera de tema.")
    review.decide(state, people["r2"], approve=False, outcome=Outcome.REJECTED,
                  comment="No corresponde a la línea editorial.")
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_REJECTED and state.outcome == Outcome.REJECTED
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_NEEDS_CHANGES


def test_vote_through_the_admin_modal(client, page, people):
    submit(page, people["author"])
    state = _state(page)
    client.force_login(people["r1"])
    url = _action_url(page, "vote", state)
    assert client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 200
    # Asking for changes without saying which: the form refuses, nothing is recorded.
    response = client.post(url, {"verdict": "cambios", "comment": " "},
                           headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200 and "Explique" in response.json()["html"]
    assert not ReviewVote.objects.exists()
    client.post(url, {"verdict": "cambios", "comment": "Cite la ley vigente."},
                headers={"x-requested-with": "XMLHttpRequest"})
    assert ReviewVote.objects.get().verdict == Verdict.CHANGES


def test_a_bogus_verdict_from_the_editor_changes_nothing(client, page, people):
    submit(page, people["author"])
    state = _state(page)
    client.force_login(people["r1"])
    response = client.post(_action_url(page, "vote", state),
                           {"verdict": "aprobar-todo", "comment": ""})
    assert response.status_code in (200, 302)
    with pytest.raises(PermissionDenied):
        state.task.specific.on_action(state, people["r1"], "vote", verdict="aprobar-todo")
    with pytest.raises(PermissionDenied):
        state.task.specific.on_action(state, people["r1"], "approve")  # quorum not met
    assert not ReviewVote.objects.exists()


def test_history_shows_votes_in_spanish(client, page, people):
    submit(page, people["author"])
    state = _state(page)
    review.record_vote(state, people["r1"], Verdict.CHANGES, "Revise la tabla 2.")
    client.force_login(people["r2"])
    html = client.get(f"/admin/pages/{page.pk}/history/").content.decode()
    assert "Voto del Comité Editorial" in html
    assert "Revise la tabla 2." in html


def test_the_same_vote_sent_twice_is_recorded_once(page, people):
    """The page editor posted a vote twice (seen in Chromium: the modal's form went out twice
    after a validation error): one vote, one line in the history, not «Votó: Aprobar» twice."""
    submit(page, people["author"])
    state = _state(page)
    task = state.task.specific
    task.on_action(state, people["r1"], "vote", verdict=Verdict.APPROVE, comment="Claro.")
    task.on_action(state, people["r1"], "vote", verdict=Verdict.APPROVE, comment="Claro. ")
    assert ReviewVote.objects.count() == 1
    votes = PageLogEntry.objects.filter(page=page, action="publications.review.vote")
    assert votes.count() == 1
    # A changed vote is still a new line: the history shows the member changed their mind.
    task.on_action(state, people["r1"], "vote", verdict=Verdict.CHANGES, comment="Falta la ley.")
    assert votes.count() == 2
    assert ReviewVote.objects.get().verdict == Verdict.CHANGES


def _act_in_editor(client, page, action, **extra):
    """What the page editor posts for a workflow action (the modal's fields as extra data)."""
    import json

    from django.contrib.messages import get_messages
    from wagtail.test.utils.form_data import inline_formset

    from tests.publications.test_magazine_admin import article_data

    byline = page.article_authors.first()
    authors = inline_formset([{"id": byline.pk, "author": byline.author_id, "corresponding": ""}],
                             initial=1)
    response = client.post(f"/admin/pages/{page.pk}/edit/", {
        **article_data(byline.author, title=page.title, slug=page.slug,
                       article_authors=authors),
        "action-workflow-action": "true", "workflow-action-name": action,
        "workflow-action-extra-data": json.dumps(extra)}, follow=True)
    assert response.status_code == 200 and response.redirect_chain
    return [str(m) for m in get_messages(response.wsgi_request)]  # what the next page shows


def test_the_editor_says_what_a_vote_and_the_decision_did(client, page, people):
    """After «Votar» the member read «Página … ha sido actualizada»: nothing said the vote
    counted, how many were missing, or where the text went after the decision."""
    submit(page, people["author"])
    client.force_login(people["r1"])
    assert _act_in_editor(client, page, "vote", verdict=Verdict.APPROVE, comment="") == [
        "Su voto quedó registrado. Votos: 1 de 2 necesarios para que el comité decida."]
    client.force_login(people["r2"])
    assert _act_in_editor(client, page, "vote", verdict=Verdict.CHANGES,
                          comment="Falta la ley de 2025.") == [
        "Su voto quedó registrado. Ya hay 2 votos: cualquier integrante del comité puede "
        "decidir."]
    assert _act_in_editor(client, page, "approve", comment="") == [
        "El comité aprobó «Datos abiertos municipales». Queda en el paso «Publicación»: "
        "un integrante del comité o Coordinación lo publica."]


def test_the_author_cannot_decide_on_their_own_submission_once_others_voted(page, people):
    """Two colleagues voted against: the member who sent the article must not be offered the
    committee's decision, nor be able to post it (their own article would be approved)."""
    submit(page, people["author"])
    state = _state(page)
    review.record_vote(state, people["r1"], Verdict.REJECT, "No es original.")
    review.record_vote(state, people["r2"], Verdict.REJECT, "Fuera de tema.")
    task = state.task.specific
    assert task.get_actions(page, people["author"]) == []
    with pytest.raises(PermissionDenied):
        review.decide(state, people["author"], approve=True)
    with pytest.raises(PermissionDenied):
        task.on_action(state, people["author"], "approve", comment="")
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS
    # The others still decide.
    assert {a[0] for a in task.get_actions(page, people["r1"])} == {"vote", "approve", "reject"}


def test_a_listed_author_or_whoever_resubmitted_cannot_vote_or_decide(page, people):
    """A member named among the article's authors (their account linked to the author), or who
    resubmitted it after changes, reviews someone else's text only."""
    from publications.models import Author

    dora, = committee("dora")
    author = page.article_authors.first().author
    Author.objects.filter(pk=author.pk).update(user=people["r2"])
    submit(page, people["author"])
    state = _state(page)
    task = state.task.specific
    assert task.get_actions(page, people["r2"]) == []
    with pytest.raises(PermissionDenied):
        review.record_vote(state, people["r2"], Verdict.APPROVE)
    # Changes requested; r1 edits and resubmits: r1 now answers for that revision.
    review.record_vote(state, people["r1"], Verdict.CHANGES, "Cite la ley.")
    review.record_vote(state, dora, Verdict.CHANGES, "Cite la ley.")
    review.decide(state, dora, approve=False, outcome=Outcome.CHANGES, comment="Cite la ley.")
    Author.objects.filter(pk=author.pk).update(user=None)
    page.refresh_from_db()
    page.save_revision(user=people["r1"])
    page.current_workflow_state.resume(people["r1"])
    state = _state(page)
    assert state.status == TaskState.STATUS_IN_PROGRESS
    assert state.task.specific.get_actions(page, people["r1"]) == []
    with pytest.raises(PermissionDenied):
        review.record_vote(state, people["r1"], Verdict.APPROVE)
    assert [a[0] for a in state.task.specific.get_actions(page, dora)] == ["vote"]


def test_the_dashboard_does_not_ask_the_author_to_review_their_own_submission(page, people):
    """Wagtail's «Esperando su revisión» lists what a member can act on: not their own article
    (they have no vote there), still every colleague's."""
    submit(page, people["author"])
    task = _state(page).task.specific
    assert not task.get_task_states_user_can_moderate(people["author"]).exists()
    assert task.get_task_states_user_can_moderate(people["r1"]).count() == 1
