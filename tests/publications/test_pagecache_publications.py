"""Cached publications pages change on the next request when what they show changes."""

from __future__ import annotations

import pytest

from hub import pagecache
from tests.publications import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings, site):
    from wagtail.models import Site

    from publications.models import PublicationSettings

    # The first page that reads the settings creates their row (a purge, once per site).
    PublicationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.ENLACE_PAGE_CACHE_SECONDS = 600
    pagecache.store().clear()
    yield
    pagecache.store().clear()


def _visit_twice(client, url):
    client.get(url)
    response = client.get(url)
    assert response["X-Cache"] == "hit"
    return response


def test_an_issue_toc_shows_a_newly_published_article_and_its_new_order(client, site):
    issue = f.issue(f.magazine(site))
    first = f.article(issue, title="Primer artículo del índice")
    _visit_twice(client, issue.url)
    second = f.article(issue, title="Segundo artículo recién publicado")
    response = client.get(issue.url)
    assert response["X-Cache"] == "miss"
    assert "Segundo artículo recién publicado" in response.content.decode()
    # Reordering the table of contents (saving the issue's entries) shows at once.
    _visit_twice(client, issue.url)
    entries = {e.article_id: e for e in issue.toc_entries.all()}
    entries[first.pk].sort_order, entries[second.pk].sort_order = 1, 0
    entries[first.pk].save()
    entries[second.pk].save()
    text = client.get(issue.url).content.decode()
    assert text.index("Segundo artículo") < text.index("Primer artículo del índice")


def test_an_author_renamed_shows_on_the_cached_article(client, site):
    author = f.AuthorFactory(given_names="Adriana", family_names="Solís")
    article = f.article(f.issue(f.magazine(site)), authors=[author])
    _visit_twice(client, article.url)
    author.family_names = "Solís Treviño"
    author.save()
    response = client.get(article.url)
    assert response["X-Cache"] == "miss" and "Solís Treviño" in response.content.decode()


def test_a_new_law_replacing_an_editions_law_shows_on_the_cached_booklet(client, site):
    law = f.LawFactory(name="Ley de Transparencia del Estado de Prueba")
    booklet = f.booklet(f.booklet_index(site), title="El ABC de la prueba")
    f.edition(booklet, laws=[law])
    _visit_twice(client, booklet.url)
    law.name = "Ley de Transparencia del Estado de Prueba (texto reformado)"
    law.save()
    response = client.get(booklet.url)
    assert response["X-Cache"] == "miss"
    assert "texto reformado" in response.content.decode()
