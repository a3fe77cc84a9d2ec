"""RSS 2.0 and Atom feeds of articles and booklet editions."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from lxml import etree

from publications.models import PublicationFile
from publications.models.files import FileFormat, FileStatus
from tests.publications import factories as f

pytestmark = pytest.mark.django_db
ATOM = {"a": "http://www.w3.org/2005/Atom"}
DC = "{http://purl.org/dc/elements/1.1/}creator"


@pytest.fixture
def published(site):
    issue = f.issue(f.magazine(site))
    article = f.article(issue, title="La reforma de 2025",
                        authors=[f.AuthorFactory(given_names="Ana", family_names="Soto",
                                                 email="ana@example.org"),
                                 f.AuthorFactory(given_names="Eva", family_names="Luna")],
                        abstract="Qué cambió con la nueva ley general.")
    pdf = PublicationFile(page=article, format=FileFormat.PDF, status=FileStatus.READY,
                          size=4, ready_at=timezone.now())
    pdf.file.save("articulo.pdf", ContentFile(b"%PDF"), save=True)
    draft = f.article(issue, title="Borrador secreto", publish=False, live=False)
    edition = f.edition(f.booklet(f.booklet_index(site)), change_summary="Actualizado a la LGTAIP.")
    return {"article": article, "draft": draft, "edition": edition, "pdf": pdf}


def test_rss_lists_live_articles_with_authors_summary_and_pdf(client, published):
    response = client.get("/revista/feed/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = etree.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["La reforma de 2025"]
    item = items[0]
    assert item.findtext("link") == published["article"].get_full_url()
    assert item.findtext("description") == "Qué cambió con la nueva ley general."
    assert [c.text for c in item.findall(DC)] == ["Ana Soto", "Eva Luna"]
    assert item.findtext("pubDate")
    enclosure = item.find("enclosure")
    assert enclosure.get("type") == "application/pdf"
    assert enclosure.get("url").endswith(published["pdf"].download_path())
    assert b"ana@example.org" not in response.content
    assert b"Borrador secreto" not in response.content


def test_atom_feed_of_articles_has_every_author(client, published):
    response = client.get("/revista/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    entry = etree.fromstring(response.content).find("a:entry", ATOM)
    assert [n.text for n in entry.findall("a:author/a:name", ATOM)] == ["Ana Soto", "Eva Luna"]
    assert entry.find("a:updated", ATOM) is not None
    enclosures = [link for link in entry.findall("a:link", ATOM) if link.get("rel") == "enclosure"]
    assert enclosures and enclosures[0].get("type") == "application/pdf"


def test_edition_feeds_carry_the_change_summary(client, published):
    for url in ("/cuadernillos/feed/rss/", "/cuadernillos/feed/atom/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Actualizado a la LGTAIP." in response.content.decode()
        assert published["edition"].get_full_url() in response.content.decode()


def test_a_feed_holds_at_most_the_latest_fifty(client, published):
    issue = published["article"].get_parent().specific
    for _ in range(51):
        f.article(issue, in_toc=False)
    channel = etree.fromstring(client.get("/revista/feed/rss/").content).find("channel")
    assert len(channel.findall("item")) == 50
    assert "La reforma de 2025" not in [i.findtext("title") for i in channel.findall("item")]


def test_feeds_answer_not_modified_to_a_reader_that_is_up_to_date(client, published):
    first = client.get("/revista/feed/rss/")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/revista/feed/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    f.article(published["article"].get_parent().specific)
    changed = client.get("/revista/feed/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200


def test_pages_of_the_magazine_and_booklets_link_their_feed(client, published):
    from django.template import Context, Template

    template = Template("{% load publications_discovery %}{% publication_feed_links page %}")
    html = template.render(Context({"page": published["article"]}))
    assert 'type="application/rss+xml"' in html and "/revista/feed/rss/" in html
    html = template.render(Context({"page": published["edition"]}))
    assert "/cuadernillos/feed/atom/" in html
    assert template.render(Context({"page": published["article"].get_parent().get_parent()
                                    .get_parent()})) == ""
