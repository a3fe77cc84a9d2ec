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
    return pub.article(issue, publish=False, live=False, title="Mi propio artículo",
                       slug="mi-propio-articulo")


def _publish(client, page, **changes):
    byline = page.article_authors.first()
    authors = inline_formset([{"id": byline.pk, "author": byline.author_id, "corresponding": ""}],
                             initial=1)
    return client.post(f"/admin/pages/{page.pk}/edit/",
                       {**article_data(byline.author, title=page.title, slug=page.slug,
                                       article_authors=authors, **changes),
                        "action-publish": "action-publish"}, follow=True)


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
    author, first, second = members
    submit(article, author)
    article.refresh_from_db()
    state = article.current_workflow_task_state.specific
    review.record_vote(state, first, Verdict.APPROVE, "Bien.")
    review.record_vote(state, second, Verdict.APPROVE, "Bien.")
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
