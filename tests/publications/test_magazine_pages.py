"""The magazine's public pages: magazine, issue (TOC) and article, as a reader gets them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publications.models import IssueTocEntry, PublicationFile, PublicationSettings
from tests.publications import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def mag(site):
    return f.magazine(site)


def _get(client, page):
    response = client.get(page.url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_magazine_lists_live_issues_newest_first(client, mag):
    old = f.issue(mag, volume=1, number=1, issue_date=dt.date(2026, 1, 1), theme="Datos")
    new = f.issue(mag, volume=1, number=2, issue_date=dt.date(2026, 6, 1), theme="Archivos")
    f.issue(mag, volume=1, number=3, publish=False, live=False, title="Número en preparación")
    html = _get(client, mag)
    assert html.index(new.title) < html.index(old.title)
    assert "Vol. 1, núm. 2" in html and "Archivos" in html
    assert "Número en preparación" not in html


def test_issue_toc_follows_its_own_order_and_shows_only_live_articles(client, site, mag):
    section = f.SectionFactory(name="Ensayos")
    issue = f.issue(mag, presentation="<p>Un número sobre archivos.</p>")
    PublicationSettings.objects.create(site=site.get_site(), issn="2954-4572")
    first = f.article(issue, title="Primero en el árbol", section=section, first_page=3,
                      last_page=9)
    second = f.article(issue, title="Segundo en el árbol")
    f.article(issue, title="Borrador oculto", publish=False, live=False)
    IssueTocEntry.objects.filter(article=second).update(sort_order=-1)
    html = _get(client, issue)
    assert html.index("Segundo en el árbol") < html.index("Primero en el árbol")
    assert "Borrador oculto" not in html
    assert "Ensayos" in html and "pp. 3–9" in html and "2954-4572" in html
    assert "Un número sobre archivos." in html
    assert first.url in html
    assert first.article_authors.first().author.full_name in html
    assert html.count("<h1") == 1


def test_article_page_shows_authors_in_order_orcid_doi_licence_and_how_to_cite(client, mag):
    issue = f.issue(mag, volume=2, number=4)
    ana = f.AuthorFactory(given_names="Ana María", family_names="Gómez",
                          orcid="0000-0002-1825-0097", affiliation="El Colegio de México")
    luis = f.AuthorFactory(given_names="Luis", family_names="Zamora")
    article = f.article(issue, authors=[luis, ana], title="Datos abiertos", subtitle="Un balance",
                        doi="10.1234/mt.2026.04", keywords="datos; archivos")
    html = _get(client, article)
    assert html.index("Luis Zamora") < html.index("Ana María Gómez")
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in html
    assert "El Colegio de México" in html
    assert 'href="https://doi.org/10.1234/mt.2026.04"' in html
    assert "creativecommons.org/licenses/by/4.0" in html
    assert "Cómo citar" in html
    assert "Zamora, L. y Gómez, A. M. (2026). Datos abiertos: Un balance." in html
    assert "<i>México Transparente</i>, <i>2</i>(4)" in html
    assert f"/publicaciones/articulos/{article.pk}/cita.bib" in html
    assert f"/publicaciones/articulos/{article.pk}/cita.ris" in html
    assert issue.url in html
    assert "autora" not in html.lower().split("<main")[1] or "@example.org" not in html
    assert "@example.org" not in html  # authors' e-mails are never public


def test_body_blocks_render_with_their_templates(client, mag):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Gráfica", file=get_test_image_file())
    body = [
        ("heading", "Antecedentes"),
        ("figure", {"image": image, "alt_text": "Solicitudes por año, 2015 a 2025",
                    "caption": "Figura 1. Solicitudes", "source": "INAI"}),
        ("table", {"data": [["Año", "Solicitudes"], ["2025", "300"]], "first_row_is_table_header": True,
                   "first_col_is_header": False}),
        ("quote", {"text": "La información es pública.", "attribution": "LGTAIP"}),
        ("note", {"marker": "1", "text": "<p>Nota al pie.</p>"}),
        ("reference", {"citation": "INAI (2025). Informe.", "url": "", "doi": "10.1234/inf"}),
    ]
    article = f.article(f.issue(mag), body=body)
    html = _get(client, article)
    figure = re.search(r"<figure class=\"figure\">.*?</figure>", html, re.S).group(0)
    assert 'alt="Solicitudes por año, 2015 a 2025"' in figure
    assert "<figcaption>Figura 1. Solicitudes" in figure
    assert re.search(r'<div class="table-wrap">\s*<table>.*<th scope="col"\s*>\s*Solicitudes\s*</th>',
                     html, re.S)
    assert "<blockquote>" in html and "— LGTAIP" in html
    assert "Nota al pie." in html and "<sup>1</sup>" in html
    assert 'href="https://doi.org/10.1234/inf"' in html
    assert "<h2>Antecedentes</h2>" in html


def test_ready_files_and_their_notices_are_offered_and_other_files_are_not(client, mag):
    from django.core.files.base import ContentFile

    article = f.article(f.issue(mag))
    html = _get(client, article)
    assert "Descargas" not in html
    v1 = PublicationFile(page=article, format="pdf", version=1, status="listo", sha256="a" * 64,
                         label="v1")
    v1.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=True)
    v2 = PublicationFile(page=article, format="pdf", version=2, status="listo", sha256="b" * 64,
                         label="v2 — fe de erratas, 10/01/2027", notice="Se corrigió la tabla 2.")
    v2.file.save("b.pdf", ContentFile(b"%PDF-1.4"), save=True)
    PublicationFile.objects.create(page=article, format="pdf", version=3, status="fallido",
                                   label="v3 rota")
    html = _get(client, article)
    assert "v2 — fe de erratas, 10/01/2027" in html and "Se corrigió la tabla 2." in html
    assert v1.download_path() in html and v2.download_path() in html
    assert "v3 rota" not in html
    assert f'name="citation_pdf_url" content="http://testserver{v2.download_path()}"' in html
    # The links are public addresses that serve the file (the storage is private).
    assert v1.file.url not in html
    response = client.get(v2.download_path())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_issue_toc_query_count_does_not_grow_with_articles(client, mag):
    small, large = f.issue(mag), f.issue(mag)
    for _ in range(10):
        f.article(small, authors=[f.AuthorFactory(), f.AuthorFactory()], section=f.SectionFactory())
    for _ in range(60):
        f.article(large, authors=[f.AuthorFactory(), f.AuthorFactory()], section=f.SectionFactory())
    for _ in range(2):  # warm per-process caches (content types, the site's shell); the
        client.get(small.url)  # first request also stores the publication settings' row
    assert _queries(client, small.url) == _queries(client, large.url) <= 12


def test_article_page_query_count_is_small_and_constant(client, mag):
    issue = f.issue(mag)
    one = f.article(issue, authors=[f.AuthorFactory()])
    many = f.article(issue, authors=[f.AuthorFactory() for _ in range(8)],
                     section=f.SectionFactory())
    for _ in range(2):  # the first request also stores the publication settings' row
        client.get(one.url)
    assert _queries(client, one.url) <= 12
    assert _queries(client, many.url) <= _queries(client, one.url) + 1  # + the section


def test_a_one_page_article_reads_p_not_a_range_of_one(client, mag):
    """The demo issue's table of contents read «pp. 5–5» for a one-page article, and its page
    «Páginas 5–5»."""
    issue = f.issue(mag)
    article = f.article(issue, title="Nota breve", first_page=5, last_page=5)
    html = _get(client, issue)
    assert "p. 5" in html and "5–5" not in html
    assert "5–5" not in _get(client, article)
