"""Downloads: READY files of live pages, immutable, with their SHA-256 as ETag."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from publications.domain import files
from publications.models import PublicationFile
from tests.publications import factories as f
from tests.publications.files_support import needs_pango, pdf_pages

pytestmark = [pytest.mark.django_db, needs_pango]


def _url(row, slug=None, ext=None):
    return reverse("publications:file_download", kwargs={
        "file_id": row.pk, "version": row.version, "slug": slug or row.page.slug,
        "ext": ext or row.format})


@pytest.fixture
def article_pdf(site):
    article = f.article(f.issue(f.magazine(site)), title="Archivos y memoria pública")
    (row,) = files.make_files(article)
    return row


def test_a_ready_file_downloads_with_immutable_caching_and_its_hash(client, article_pdf):
    heard = []

    def listener(sender, file, page, **kwargs):
        heard.append((file.pk, page.pk))

    files.file_downloaded.connect(listener)
    try:
        response = client.get(_url(article_pdf))
    finally:
        files.file_downloaded.disconnect(listener)
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{article_pdf.page.slug}-v1.pdf" in response["Content-Disposition"]
    assert response["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'
    assert "immutable" in response["Cache-Control"] and "max-age=31536000" in response[
        "Cache-Control"]
    assert int(response["Content-Length"]) == len(body) == article_pdf.size
    assert "Archivos y memoria pública" in " ".join(pdf_pages(body))
    assert heard == [(article_pdf.pk, article_pdf.page_id)]
    assert not response.cookies


def test_a_known_etag_answers_not_modified_and_counts_nothing(client, article_pdf):
    heard = []
    files.file_downloaded.connect(lambda **kw: heard.append(kw), weak=False,
                                  dispatch_uid="test-etag")
    try:
        response = client.get(_url(article_pdf), HTTP_IF_NONE_MATCH=f'"{article_pdf.sha256}"')
        head = client.head(_url(article_pdf))
    finally:
        files.file_downloaded.disconnect(dispatch_uid="test-etag")
    assert response.status_code == 304 and response["ETag"] == f'"{article_pdf.sha256}"'
    assert head.status_code == 200 and head["ETag"] == response["ETag"] and heard == []
    assert int(head["Content-Length"]) == article_pdf.size and head.content == b""


def test_a_file_of_an_unpublished_page_is_not_found(client, article_pdf):
    article_pdf.page.specific.unpublish()
    assert client.get(_url(article_pdf)).status_code == 404


@pytest.mark.parametrize("status", ["pendiente", "fallido"])
def test_a_file_that_is_not_ready_is_not_found(client, site, status):
    page = f.article(f.issue(f.magazine(site)))
    row = PublicationFile.objects.create(page=page, format="pdf", version=1, status=status)
    assert client.get(_url(row)).status_code == 404


def test_a_wrong_version_or_extension_is_not_found_and_posting_is_refused(client, article_pdf):
    wrong_version = reverse("publications:file_download", kwargs={
        "file_id": article_pdf.pk, "version": 2, "slug": "x", "ext": "pdf"})
    assert client.get(wrong_version).status_code == 404
    assert client.get(_url(article_pdf, ext="epub")).status_code == 404
    assert client.get(_url(article_pdf, ext="html")).status_code == 404
    assert client.post(_url(article_pdf)).status_code == 405
    assert client.get("/publicaciones/archivo/999999/v1/x.pdf").status_code == 404


def test_a_reader_downloading_a_file_is_counted_once_and_a_robot_is_not(client, article_pdf):
    from publications.models import ReadingCount

    browser = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36"
    response = client.get(_url(article_pdf), HTTP_USER_AGENT=browser)
    b"".join(response.streaming_content)
    response = client.get(_url(article_pdf), HTTP_USER_AGENT="Googlebot/2.1")
    b"".join(response.streaming_content)
    client.head(_url(article_pdf), HTTP_USER_AGENT=browser)
    counts = list(ReadingCount.objects.filter(page_id=article_pdf.page_id)
                  .values_list("kind", "count"))
    assert counts == [("descarga", 1)]
