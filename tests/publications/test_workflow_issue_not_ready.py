"""An issue goes through the editorial workflow too. The last step ("Publicación") publishes
it; when an article of the issue is still not approved, the approval is refused with a
Spanish message and nothing changes (no 500 from inside Wagtail's workflow view)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from wagtail.models import TaskState

from publications.domain import review
from publications.enums import Verdict
from publications.models import IssuePage
from tests.publications import factories as pub
from tests.publications.workflow_helpers import committee, submit

pytestmark = pytest.mark.django_db


def through_committee_review(page, author, first, second):
    """Submitted by ``author``, approved by two members' votes and the committee's decision:
    the page, fresh from the database, waits in the «Publicación» step."""
    submit(page, author)
    page.refresh_from_db()
    state = page.current_workflow_task_state.specific
    review.record_vote(state, first, Verdict.APPROVE, "")
    review.record_vote(state, second, Verdict.APPROVE, "")
    review.decide(state, first, approve=True, comment="Aprobado.")
    return type(page).objects.get(pk=page.pk)


@pytest.fixture
def issue_at_publication(site):
    """A draft issue holding a draft article, approved by the committee's review, waiting
    for the "Publicación" step."""
    author, first, second = committee("ana", "beto", "carla")
    issue = pub.issue(pub.magazine(site), publish=False, live=False, title="Número pendiente")
    pub.article(issue, publish=False, live=False, title="Borrador sin aprobar")
    issue = through_committee_review(issue, author, first, second)
    publication = issue.current_workflow_task_state
    assert publication.task.name == "Publicación"
    return issue, publication, first


@pytest.mark.parametrize("xhr", [False, True])
def test_final_approval_of_an_issue_with_unapproved_articles_is_refused(
        client, issue_at_publication, xhr):
    issue, publication, member = issue_at_publication
    client.force_login(member)
    headers = {"x-requested-with": "XMLHttpRequest"} if xhr else {}
    response = client.post(
        f"/admin/pages/workflow/action/{issue.pk}/approve/{publication.pk}/", headers=headers)
    assert response.status_code in (200, 302)
    edit_url = f"/admin/pages/{issue.pk}/edit/"
    if xhr:
        assert response.json()["redirect"] == edit_url
    else:
        assert response["Location"] == edit_url
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("«Borrador sin aprobar»" in t and "no están aprobados" in t for t in texts), texts
    issue = IssuePage.objects.get(pk=issue.pk)
    assert not issue.live
    assert TaskState.objects.get(pk=publication.pk).status == TaskState.STATUS_IN_PROGRESS
    assert issue.current_workflow_task_state.pk == publication.pk


def test_approving_with_edits_in_the_editor_is_refused_before_saving(client,
                                                                     issue_at_publication):
    issue, publication, member = issue_at_publication
    revisions = issue.revisions.count()
    client.force_login(member)
    form = client.get(f"/admin/pages/{issue.pk}/edit/")
    assert form.status_code == 200
    response = client.post(f"/admin/pages/{issue.pk}/edit/", {
        "action-workflow-action": "true", "workflow-action-name": "approve",
        "title": "Número editado", "slug": issue.slug}, follow=True)
    assert response.status_code == 200
    assert "«Borrador sin aprobar»" in response.content.decode()
    issue = IssuePage.objects.get(pk=issue.pk)
    assert not issue.live and issue.title == "Número pendiente"
    assert issue.revisions.count() == revisions
    assert TaskState.objects.get(pk=publication.pk).status == TaskState.STATUS_IN_PROGRESS


def test_final_approval_publishes_the_issue_once_its_articles_are_approved(
        client, issue_at_publication):
    from publications.models import ArticlePage

    issue, publication, member = issue_at_publication
    article = ArticlePage.objects.child_of(issue).get()
    article.save_revision().publish()
    client.force_login(member)
    response = client.post(
        f"/admin/pages/workflow/action/{issue.pk}/approve/{publication.pk}/")
    assert response.status_code == 302
    assert IssuePage.objects.get(pk=issue.pk).live
    assert TaskState.objects.get(pk=publication.pk).status == TaskState.STATUS_APPROVED


def test_an_issue_publishes_an_article_the_committee_approved_and_that_awaits_publication(
        coordinator_client, coordinator, site, django_capture_on_commit_callbacks):
    """The committee approved the article (its review step); it waits in «Publicación» so as
    to appear with its new issue. Publishing the issue publishes it and closes its workflow
    as approved: the issue was refused before, saying the committee had not approved it."""
    from django.core import mail

    from publications.models import ArticlePage
    from tests.publications.test_magazine_admin import issue_data

    author, first, second = committee("ana", "beto", "carla")
    issue = pub.issue(pub.magazine(site), publish=False, live=False, title="Número nuevo",
                      volume=3, number=1)
    article = pub.article(issue, publish=False, live=False, title="Cabildos abiertos")
    article = through_committee_review(article, author, first, second)
    publication = article.current_workflow_task_state
    assert publication.task.name == "Publicación"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            f"/admin/pages/{issue.pk}/edit/",
            {**issue_data(title=issue.title, slug=issue.slug, volume="3", number="1"),
             "action-publish": "action-publish"}, follow=True)

    assert response.status_code == 200
    assert "No se puede publicar" not in response.content.decode()
    assert IssuePage.objects.get(pk=issue.pk).live
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and article.title == "Cabildos abiertos"
    publication = TaskState.objects.get(pk=publication.pk)
    assert publication.status == TaskState.STATUS_APPROVED
    assert publication.finished_by_id == coordinator.pk
    assert publication.workflow_state.status == publication.workflow_state.STATUS_APPROVED
    assert [m.to for m in mail.outbox if "aprob" in m.subject.lower()] == [[author.email]]
