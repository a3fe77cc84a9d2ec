"""A committee member cannot publish an article or a booklet edition that the committee has
not reviewed: «Publicar» (or «Programar») skipped the vote and its quorum, so one member could
put their own article live. The draft is kept; the way is «Enviar a Revisión»."""

from __future__ import annotations

import pytest
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset

from publications.domain import review
from publications.enums import Verdict
from tests.publications import factories as pub
from tests.publications.test_magazine_admin import article_data
from tests.publications.workflow_helpers import committee, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(db):
    return committee("ana", "beto", "carla")


@pytest.fixture
def article(site):
    issue = pub.issue(pub.magazine(site))
    # The text the editor's form below sends back unchanged (``_publish`` without changes).
    return pub.article(issue, publish=False, live=False, title="Mi propio artículo",
                       slug="mi-propio-articulo", abstract="Un resumen.", keywords="datos",
                       body=[])


def _send_editor(client, page, action: dict, **changes):
    """The page editor's form as it holds ``page`` (with ``changes`` typed into it), sent with
    the button ``action``."""
    byline = page.article_authors.first()
    authors = inline_formset([{"id": byline.pk, "author": byline.author_id, "corresponding": ""}],
                             initial=1)
    return client.post(f"/admin/pages/{page.pk}/edit/",
                       {**article_data(byline.author, title=page.title, slug=page.slug,
                                       article_authors=authors, **changes), **action},
                       follow=True)


def _publish(client, page, **changes):
    return _send_editor(client, page, {"action-publish": "action-publish"}, **changes)


def _voted(article, members):
    """Submitted by the first member; the two others vote to approve. Returns the review's
    task state (the committee has not decided yet)."""
    author, first, second = members
    submit(article, author)
    article.refresh_from_db()
    state = article.current_workflow_task_state.specific
    review.record_vote(state, first, Verdict.APPROVE, "Bien.")
    review.record_vote(state, second, Verdict.APPROVE, "Bien.")
    return state


def test_a_member_cannot_publish_an_unreviewed_article_and_keeps_the_draft(client, members,
                                                                          article):
    client.force_login(members[0])
    editor = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in editor  # no «Publicar» offered
    assert "Enviar a Revisión del Comité Editorial" in editor
    revisions = Revision.objects.filter(object_id=str(article.pk)).count()
    response = _publish(client, article, abstract="Resumen corregido.")
    text = response.content.decode()
    assert "no se publicó" in text and "revisión del Comité Editorial" in text
    article.refresh_from_db()
    assert not article.live and not Revision.objects.filter(
        object_id=str(article.pk), approved_go_live_at__isnull=False).exists()
    # What was typed is kept as the latest draft.
    assert Revision.objects.filter(object_id=str(article.pk)).count() == revisions + 1
    assert article.get_latest_revision_as_object().abstract == "Resumen corregido."


def test_after_the_committee_approves_the_publication_step_may_publish(client, members, article):
    first = members[1]
    _voted(article, members)
    client.force_login(first)
    # Under review: still no «Publicar» for anyone on the committee.
    response = _publish(client, article)
    article.refresh_from_db()
    assert not article.live and "no se publicó" in response.content.decode()
    review.decide(article.current_workflow_task_state.specific, first, approve=True)
    article.refresh_from_db()
    assert article.current_workflow_task_state.task.name == "Publicación"
    response = _publish(client, article)
    article.refresh_from_db()
    assert article.live
    # A published article's later correction is the committee's to publish.
    _publish(client, article, abstract="Fe de erratas: resumen corregido.")
    article.refresh_from_db()
    assert article.live and article.abstract == "Fe de erratas: resumen corregido."


def test_coordinacion_may_publish_directly(coordinator_client, article):
    response = _publish(coordinator_client, article)
    article.refresh_from_db()
    assert article.live and response.status_code == 200


def test_nor_through_the_explorer_bulk_publish(client, members, article):
    client.force_login(members[0])
    response = client.post(f"/admin/bulk/wagtailcore/page/publish/?id={article.pk}",
                           {"include_descendants": ""}, follow=True)
    article.refresh_from_db()
    assert not article.live
    assert "no se publicó" in response.content.decode()


def _approved_by_the_committee(article, members):
    """Voted and approved by the committee: «Publicación» next."""
    review.decide(_voted(article, members), members[1], approve=True)
    article.refresh_from_db()
    assert article.current_workflow_task_state.task.name == "Publicación"


def _approve_in_editor(client, page, **changes):
    """«Aprobar y publicar» of the «Publicación» step, sent from the page editor."""
    return _send_editor(client, page, {
        "action-workflow-action": "true", "workflow-action-name": "approve",
        "workflow-action-extra-data": "{}"}, **changes)


@pytest.mark.parametrize("send", [_publish, _approve_in_editor], ids=["publicar", "aprobar"])
def test_a_text_changed_after_the_committee_approved_it_is_not_published(client, members,
                                                                          article, send):
    """The committee approved one text; a member typed a change in «Publicación» and pressed
    «Publicar», or «Aprobar y publicar» (Wagtail's last step publishes the latest revision):
    the unreviewed text went live. It is refused, the step stays open, the change is kept as
    the draft and «Publicar» is no longer offered for it."""
    _approved_by_the_committee(article, members)
    client.force_login(members[1])
    response = send(client, article, abstract="Un resumen que nadie del comité leyó.")
    article.refresh_from_db()
    assert not article.live
    assert "cambió después de que el Comité Editorial lo aprobó" in response.content.decode()
    state = article.current_workflow_state
    assert state is not None and state.status == state.STATUS_IN_PROGRESS
    assert article.current_workflow_task_state.task.name == "Publicación"
    assert article.get_latest_revision_as_object().abstract == (
        "Un resumen que nadie del comité leyó.")
    editor = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in editor


def test_the_publication_step_publishes_the_text_the_committee_approved(client, members,
                                                                       article):
    _approved_by_the_committee(article, members)
    client.force_login(members[1])
    _approve_in_editor(client, article)
    article.refresh_from_db()
    assert article.live and article.abstract == "Un resumen."
    assert article.current_workflow_state is None  # the workflow ended approved


def test_an_issue_does_not_carry_an_article_edited_during_its_review(members, article):
    """Edited while the committee voted on it, then approved: the approval was of the earlier
    text, so the issue refuses to publish it."""
    from publications.domain.issues import unapproved_articles

    state = _voted(article, members)
    edited = article.get_latest_revision_as_object()
    edited.abstract = "Cambiado mientras el comité votaba."
    edited.save_revision(user=members[0])
    review.decide(state, members[1], approve=True)
    article.refresh_from_db()
    assert [a.pk for a in unapproved_articles(article.get_parent().specific)] == [article.pk]


def test_a_script_publishing_as_a_member_is_refused_and_as_coordinacion_is_not(members, article,
                                                                               coordinator):
    """The rule sits in the article's own ``publish``: a shell, a job or another view that
    publishes as a committee member is refused like the editor; Coordinación publishes."""
    from publications.domain.review import NotReviewed

    revision = article.save_revision(user=members[0])
    with pytest.raises(NotReviewed, match="después de la revisión del Comité Editorial"):
        revision.publish(user=members[0])
    article.refresh_from_db()
    assert not article.live
    revision.publish(user=coordinator)
    article.refresh_from_db()
    assert article.live
