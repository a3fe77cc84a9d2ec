"""The demo takes articles through the committee's review and leaves it in their history."""

from __future__ import annotations

import pytest
from wagtail.models import PageLogEntry

from publications.demo import demo_reviewers, run_demo_workflow
from publications.models import ReviewVote
from tests.publications import factories as pub
from tests.publications.workflow_helpers import committee

pytestmark = pytest.mark.django_db


def test_demo_articles_go_through_review_and_get_published(site):
    author = committee("editorial")[0]
    issue = pub.issue(pub.magazine(site))
    articles = [pub.article(issue, publish=False) for _ in range(3)]
    run_demo_workflow(articles, submitter=author, reviewers=demo_reviewers())
    for article in articles:
        article.refresh_from_db()
        assert article.live
        actions = set(PageLogEntry.objects.filter(page=article).values_list("action", flat=True))
        assert {"publications.review.vote", "publications.review.decision",
                "wagtail.workflow.approve", "wagtail.publish"} <= actions
    assert ReviewVote.objects.count() == 6
    run_demo_workflow(articles, submitter=author)  # running it again changes nothing
    assert ReviewVote.objects.count() == 6
