"""Both ways of publishing: continuous publication of approved articles, and an issue that
publishes (now or at its scheduled time) with all of its approved articles — refused, naming
them, while any article is not approved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision, Task, TaskState, Workflow, WorkflowState

from publications.domain.issues import IssueNotReady, approval_of, unapproved_articles
from publications.models import ArticlePage, IssuePage
from tests.publications import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_issue(site):
    return f.issue(f.magazine(site), publish=False, live=False, title="Vol. 2, núm. 1",
                   volume=2, number=1)


def _scheduled(issue, title, *, hours=48):
    """An article whose approved revision waits for its time (approved_go_live_at)."""
    article = f.article(issue, title=title, publish=False, live=False,
                        go_live_at=timezone.now() + dt.timedelta(hours=hours))
    article.get_latest_revision().publish()
    article.refresh_from_db()
    assert not article.live
    return article


def _rewind(revision):
    """What the clock does: the scheduled moment is now in the past."""
    past = timezone.now() - dt.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])


def test_an_approved_article_goes_live_before_its_issue(client, site, draft_issue):
    article = f.article(draft_issue, title="Avance sobre archivos")
    assert client.get(draft_issue.url).status_code == 404
    page = client.get(article.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Avance en línea (publicación continua)" in html
    assert "vol. 2, núm. 1 (en preparación)" in html
    assert f'href="{draft_issue.url}"' not in html
    magazine = client.get(f.magazine(site).url).content.decode()
    assert "Avances en línea" in magazine and "Avance sobre archivos" in magazine


def test_approval_follows_live_scheduled_and_workflow_states(site, draft_issue):
    live = f.article(draft_issue)
    scheduled = _scheduled(draft_issue, "Programado")
    draft = f.article(draft_issue, publish=False, live=False, title="Borrador")
    in_review = f.article(draft_issue, publish=False, live=False, title="En revisión")
    workflow = Workflow.objects.create(name="Comité")
    task = Task.objects.create(name="Dictamen")
    approved = f.article(draft_issue, publish=False, live=False, title="Aprobado sin publicar")
    page_ct = ContentType.objects.get_for_model(Page)
    for article, status in ((in_review, WorkflowState.STATUS_IN_PROGRESS),
                            (approved, WorkflowState.STATUS_APPROVED)):
        state = WorkflowState.objects.create(
            content_type=article.content_type, base_content_type=page_ct,
            object_id=str(article.pk), workflow=workflow, status=status)
        task_state = TaskState.objects.create(workflow_state=state, revision=article.latest_revision,
                                              task=task, status=TaskState.STATUS_APPROVED)
        state.current_task_state = task_state
        state.save()
    result = approval_of(list(ArticlePage.objects.child_of(draft_issue)))
    assert result == {live.pk: True, scheduled.pk: True, draft.pk: False, in_review.pk: False,
                      approved.pk: True}
    # A newer draft of the approved one is not what the committee approved.
    approved.refresh_from_db()
    approved.save_revision()
    assert [a.title for a in unapproved_articles(draft_issue)] == [
        "Borrador", "En revisión", "Aprobado sin publicar"]


def test_publishing_an_issue_with_unapproved_articles_is_refused_naming_them(
        coordinator_client, draft_issue):
    f.article(draft_issue, title="Ya publicado")
    f.article(draft_issue, title="Sin dictamen", publish=False, live=False)
    f.article(draft_issue, title="Otro pendiente", publish=False, live=False)
    revisions = Revision.objects.count()
    from tests.publications.test_magazine_admin import issue_data

    for go_live_at in ("", (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")):
        response = coordinator_client.post(
            f"/admin/pages/{draft_issue.pk}/edit/",
            {**issue_data(title=draft_issue.title, slug=draft_issue.slug, volume="2", number="1",
                          go_live_at=go_live_at), "action-publish": "action-publish"},
            follow=True)
        assert response.status_code == 200
        text = response.content.decode()
        assert "No se puede publicar ni programar el número" in text
        assert "«Sin dictamen», «Otro pendiente»" in text and "Ya publicado" not in text.split(
            "No se puede publicar")[1].split("</")[0]
    draft_issue.refresh_from_db()
    assert not draft_issue.live and Revision.objects.count() == revisions
    assert not Revision.objects.filter(approved_go_live_at__isnull=False,
                                       object_id=str(draft_issue.pk)).exists()
    with pytest.raises(IssueNotReady) as refusal:
        draft_issue.get_latest_revision().publish()
    assert [a.title for a in refusal.value.articles] == ["Sin dictamen", "Otro pendiente"]


def test_publishing_an_issue_publishes_its_approved_articles_at_once(coordinator_client,
                                                                     draft_issue):
    early = f.article(draft_issue, title="Continua")
    waiting = _scheduled(draft_issue, "Espera al número", hours=24 * 30)
    from tests.publications.test_magazine_admin import issue_data

    response = coordinator_client.post(
        f"/admin/pages/{draft_issue.pk}/edit/",
        {**issue_data(title=draft_issue.title, slug=draft_issue.slug, volume="2", number="1"),
         "action-publish": "action-publish"})
    assert response.status_code == 302
    draft_issue.refresh_from_db()
    waiting.refresh_from_db()
    assert draft_issue.live and waiting.live and waiting.go_live_at is None
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()
    assert abs(waiting.first_published_at - draft_issue.first_published_at) < dt.timedelta(
        minutes=1)
    early_first = early.first_published_at
    early.refresh_from_db()
    assert early.first_published_at == early_first  # continuous: its date is kept


def test_a_scheduled_issue_publishes_with_its_articles_and_cannot_bypass_the_rule(draft_issue):
    waiting = _scheduled(draft_issue, "Espera al número")
    draft_issue.go_live_at = timezone.now() + dt.timedelta(hours=2)
    revision = draft_issue.save_revision()
    revision.publish()
    draft_issue.refresh_from_db()
    assert not draft_issue.live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    # After it was scheduled, an article nobody approved lands in the issue.
    late = f.article(draft_issue, title="Llegó tarde", publish=False, live=False)
    _rewind(revision)
    call_command("publish_scheduled")
    draft_issue.refresh_from_db()
    assert not draft_issue.live  # refused; it stays scheduled
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    # Once the late article is moved out, the next run publishes the issue and its article.
    late.delete()
    call_command("publish_scheduled")
    draft_issue.refresh_from_db()
    waiting.refresh_from_db()
    assert draft_issue.live and waiting.live
    assert IssuePage.objects.get(pk=draft_issue.pk).toc_entries.filter(article=waiting).exists()


def test_publishing_an_article_with_a_share_channel_creates_one_post(site, coordinator, infoem,
                                                                     fake_x):
    from campaigns.models import Post
    from tests.campaigns.factories import make_channel

    channel = make_channel("x", infoem)
    issue = f.issue(f.magazine(site))
    article = f.article(issue, publish=False, live=False, title="Artículo para compartir")
    article.share_channels.set([channel])
    article.save_revision(user=coordinator).publish(user=coordinator)
    post = Post.objects.get()
    assert post.source_page_id == article.pk and post.link == article.full_url
    article.save_revision(user=coordinator).publish(user=coordinator)
    assert Post.objects.count() == 1
