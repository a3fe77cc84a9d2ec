"""The magazine's demo content: one issue, three articles, valid metadata, a described figure."""

from __future__ import annotations

import pytest

from publications.demo import build_magazine_demo
from publications.models import ArticlePage, Author, IssuePage

pytestmark = pytest.mark.django_db


def test_demo_builds_a_live_issue_with_three_valid_articles(client, site):
    handed = []

    def approve(articles):
        handed.extend(a.title for a in articles)
        assert not any(ArticlePage.objects.get(pk=a.pk).live for a in articles)
        for article in articles:
            article.get_latest_revision().publish()

    magazine = build_magazine_demo(site, approve=approve)
    assert len(handed) == 3
    issue = IssuePage.objects.get()
    assert issue.live and (issue.volume, issue.number) == (1, 1)
    assert ArticlePage.objects.live().child_of(issue).count() == 3
    for author in Author.objects.all():
        author.full_clean()  # ORCID checksums and 30-word bios hold
    assert Author.objects.filter(institution__isnull=False).exists()
    assert Author.objects.exclude(affiliation="").exists()
    html = client.get(issue.url).content.decode()
    for title in handed:
        assert title in html
    figure_article = ArticlePage.objects.get(title__startswith="Diez años")
    page = client.get(figure_article.url).content.decode()
    assert 'alt="Gráfica de barras' in page and "<figcaption>" in page
    assert build_magazine_demo(site) == magazine  # idempotent
    assert IssuePage.objects.count() == 1
