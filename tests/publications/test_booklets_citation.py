"""A booklet edition carries its citation tags and its downloads, like an article."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from publications.domain import files
from tests.publications import factories as f
from tests.publications.files_support import needs_pango

pytestmark = pytest.mark.django_db


def _meta(soup, name):
    return [m["content"] for m in soup.find_all("meta", attrs={"name": name})]


@needs_pango
def test_an_edition_and_its_booklet_carry_citation_tags_and_the_pdf(client, site):
    law = f.LawFactory(short_name="LGTAIP-PRUEBA")
    booklet = f.booklet(f.booklet_index(site), title="El ABC de los datos personales")
    edition = f.edition(booklet, laws=[law], edition_number=1)
    made = files.make_files(edition)
    assert {m.format for m in made} == {"pdf", "epub"}
    for url in (edition.url, booklet.url):
        page = client.get(url)
        assert page.status_code == 200
        soup = BeautifulSoup(page.content, "html.parser")
        assert _meta(soup, "citation_title") == ["El ABC de los datos personales"]
        assert _meta(soup, "DC.title")
        pdf_url = _meta(soup, "citation_pdf_url")[0]
        assert "/publicaciones/archivo/" in pdf_url
        download = client.get(pdf_url)
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content).startswith(b"%PDF")
        ld = json.loads(soup.find("script", type="application/ld+json").string)
        assert ld["@type"] == "Book" and ld.get("bookEdition") in ("1", 1, None)
        links = [a["href"] for a in soup.select("#descargas ~ ul a, section a[download]")]
        assert any(link.endswith(".epub") for link in links)


def test_an_edition_without_files_has_tags_but_no_pdf_link(client, site):
    edition = f.edition(f.booklet(f.booklet_index(site), title="El ABC sin archivos"))
    soup = BeautifulSoup(client.get(edition.url).content, "html.parser")
    assert _meta(soup, "citation_title") == ["El ABC sin archivos"]
    assert _meta(soup, "citation_pdf_url") == []


def test_the_editions_author_is_the_publishing_organisation_not_a_person(client, site):
    """Schema.org readers took the publisher for a person whose surname was «Sistema Nacional
    de Transparencia»: a booklet's author is an Organization, with no familyName."""
    edition = f.edition(f.booklet(f.booklet_index(site), title="El ABC de una institución"))
    soup = BeautifulSoup(client.get(edition.url).content, "html.parser")
    ld = json.loads(soup.find("script", type="application/ld+json").string)
    assert [author["@type"] for author in ld["author"]] == ["Organization"]
    assert "familyName" not in ld["author"][0] and ld["author"][0]["name"]


def test_the_editions_publisher_follows_the_settings(client, site):
    from wagtail.models import Site

    from publications.models import PublicationSettings

    edition = f.edition(f.booklet(f.booklet_index(site)))
    assert 'content="Sistema Nacional de Transparencia"' in client.get(edition.url).content.decode()
    found = PublicationSettings.for_site(Site.objects.get(is_default_site=True))
    found.publisher = "Comisión de Vinculación del SNT"
    found.save()
    assert "Comisión de Vinculación del SNT" in client.get(edition.url).content.decode()
