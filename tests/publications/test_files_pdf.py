"""The print-ready files themselves: what a reader finds in the PDF and the EPUB."""

from __future__ import annotations

import io
import zipfile

import pytest

from publications.domain import files
from publications.models import ArticlePage, PublicationFile
from tests.publications import factories as f
from tests.publications.files_support import make_image, needs_pango, pdf_pages, read

pytestmark = [pytest.mark.django_db, needs_pango]

LONG = "<p>" + "El acceso a la información pública es un derecho humano. " * 60 + "</p>"


def _issue_with_articles(site, count=3, **issue_fields):
    issue = f.issue(f.magazine(site), **issue_fields)
    articles = [f.article(issue, title=f"Título del artículo número {n}",
                          body=[("heading", f"Apartado {n}"), ("paragraph", LONG)])
                for n in range(1, count + 1)]
    return issue, articles


def test_article_pdf_holds_its_title_authors_abstract_and_body(site):
    issue = f.issue(f.magazine(site))
    author = f.AuthorFactory(given_names="Lucía", family_names="Méndez Ortiz")
    article = f.article(issue, title="Gobierno abierto en los municipios", authors=[author],
                        subtitle="Una mirada desde Jalisco",
                        body=[("heading", "Antecedentes"),
                              ("paragraph", "<p>La rendición de cuentas local.</p>"),
                              ("quote", {"text": "Lo público es de todos.",
                                         "attribution": "Anónimo"})])
    (pdf,) = files.make_files(article)
    text = " ".join(pdf_pages(read(pdf)))
    for expected in ("Gobierno abierto en los municipios", "Una mirada desde Jalisco",
                     "Lucía Méndez Ortiz", "Antecedentes", "La rendición de cuentas local.",
                     "Lo público es de todos.", f"Vol. 1, núm. {issue.number}"):
        assert expected in text
    assert pdf.format == "pdf" and pdf.page_count == len(pdf_pages(read(pdf)))


def test_issue_pdf_has_a_cover_a_toc_with_page_numbers_and_each_article_on_its_own_page(site):
    cover = make_image("Portada")
    issue, articles = _issue_with_articles(site, cover=cover)
    (pdf,) = files.make_files(issue)
    pages = pdf_pages(read(pdf))
    assert "México Transparente" in pages[0] and "Volumen 1, número" in pages[0]
    toc = pages[1]
    assert "Índice" in toc
    head = f"México Transparente · Vol. 1, núm. {issue.number}"
    for article in articles:
        article.refresh_from_db()
        # The TOC's number is where the article really starts (target-counter).
        assert f"{article.title} " in toc
        assert f"{article.first_page}" in toc.split(article.title, 1)[1].split("Autora", 1)[0]
        start = pages[article.first_page - 1]
        assert start.startswith(article.title)
        assert head in start  # the running head
    # Each article starts on a new page, after the previous one ended.
    firsts = [a.first_page for a in articles]
    lasts = [a.last_page for a in articles]
    assert firsts == sorted(firsts) and len(set(firsts)) == len(firsts)
    assert all(first > last for first, last in zip(firsts[1:], lasts, strict=False))


def test_page_ranges_flow_back_without_publishing_a_new_revision(site):
    issue, articles = _issue_with_articles(site, count=2)
    revisions_before = {a.pk: (a.live_revision_id, a.latest_revision_id) for a in articles}
    (pdf,) = files.make_files(issue)
    pages = pdf_pages(read(pdf))
    for article in articles:
        fresh = ArticlePage.objects.get(pk=article.pk)
        assert fresh.first_page and fresh.last_page >= fresh.first_page
        # The title is on the page the metadata claims, and the article ends where it says.
        # (pypdf gives the body first, the running heads last.)
        assert pages[fresh.first_page - 1].startswith(fresh.title)
        assert not pages[fresh.first_page - 2].startswith(fresh.title)
        assert (fresh.live_revision_id, fresh.latest_revision_id) == revisions_before[article.pk]
        # Wagtail stays consistent: the revision the editor opens holds the same numbers.
        content = fresh.latest_revision.content
        assert (content["first_page"], content["last_page"]) == (fresh.first_page,
                                                                   fresh.last_page)
        assert fresh.latest_revision.as_object().first_page == fresh.first_page
    # Writing them back made no file of the articles (no new publication, no job).
    assert not PublicationFile.objects.filter(page__in=[a.pk for a in articles]).exists()


def test_figures_are_renditions_read_from_storage(site):
    issue = f.issue(f.magazine(site))
    image = make_image("Mapa de México")
    article = f.article(issue, body=[("figure", {
        "image": image, "alt_text": "Mapa de las 32 entidades", "caption": "Figura 1. Mapa",
        "source": "INEGI"})])
    (pdf,) = files.make_files(article)
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(read(pdf)))
    assert sum(len(page.images) for page in reader.pages) == 1
    assert "Figura 1. Mapa" in " ".join(pdf_pages(read(pdf)))
    assert image.renditions.filter(filter_spec="width-1400").exists()


def test_the_fetcher_refuses_anything_but_media_in_storage():
    fetcher = files.StorageFetcher()
    for url in ("https://example.org/logo.png", "file:///etc/passwd",
                "enlace-media:../../etc/passwd", "http://enlace.invalid/static/x.css"):
        with pytest.raises(files.FileJobError):
            fetcher.fetch(url)


def test_booklet_edition_pdf_and_epub(site):
    from ebooklib import ITEM_DOCUMENT, epub

    law = f.LawFactory(name="Ley de Transparencia del Estado de Prueba")
    edition = f.edition(f.booklet(f.booklet_index(site), title="El ABC de la transparencia"),
                        laws=[law], body=[
                            ("section", {"key": "que-es", "heading": "¿Qué es la transparencia?",
                                         "content": [("paragraph", "<p>Un derecho.</p>")]}),
                            ("section", {"key": "como-pedir", "heading": "¿Cómo pido información?",
                                         "content": [("paragraph", "<p>En la Plataforma.</p>")]}),
                        ])
    made = files.make_files(edition)
    pdf = next(m for m in made if m.format == "pdf")
    book_file = next(m for m in made if m.format == "epub")
    text = " ".join(pdf_pages(read(pdf)))
    for expected in ("El ABC de la transparencia", "¿Qué es la transparencia?",
                     "¿Cómo pido información?", "En la Plataforma.", law.name,
                     "Primera edición."):
        assert expected in text

    data = read(book_file)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".epub") as handle:
        handle.write(data)
        handle.flush()
        book = epub.read_epub(handle.name)
    assert book.get_metadata("DC", "title")[0][0] == (
        f"El ABC de la transparencia — {edition.title}")
    assert book.get_metadata("DC", "language")[0][0] == "es"
    assert book.get_metadata("DC", "identifier")[0][0] == f"urn:uuid:{edition.translation_key}"
    chapters = [item for item in book.get_items_of_type(ITEM_DOCUMENT)
                if not isinstance(item, epub.EpubNav)]
    bodies = [item.get_content().decode() for item in chapters]
    assert any("¿Qué es la transparencia?" in body and "Un derecho." in body for body in bodies)
    assert any("¿Cómo pido información?" in body for body in bodies)
    assert [entry.title for entry in book.toc][1:] == ["¿Qué es la transparencia?",
                                                      "¿Cómo pido información?"]
    assert any(isinstance(item, epub.EpubNav) for item in book.get_items())
