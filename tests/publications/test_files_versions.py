"""Publishing makes the files through the job; a published file never changes."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from publications.domain import files
from publications.models import PublicationFile
from publications.templatetags.publications_files import publication_downloads
from tests.factories import UserFactory
from tests.publications import factories as f
from tests.publications.files_support import eager_jobs, needs_pango, publish, read  # noqa: F401

pytestmark = [pytest.mark.django_db, needs_pango]


def _pdfs(page):
    return list(PublicationFile.objects.filter(page=page, format="pdf").order_by("version"))


def test_publishing_asks_for_the_files_only_after_commit(
        site, eager_jobs, django_capture_on_commit_callbacks):  # noqa: F811
    issue = f.issue(f.magazine(site))
    article = f.article(issue, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
        assert not PublicationFile.objects.exists()  # nothing before the commit
    assert PublicationFile.objects.filter(page=article, status="listo").count() == 1


def test_publishing_an_article_makes_a_ready_pdf_with_its_fingerprint(
        site, eager_jobs, django_capture_on_commit_callbacks):  # noqa: F811
    issue = f.issue(f.magazine(site))
    article = f.article(issue, publish=False, title="Datos abiertos y rendición de cuentas")
    publish(article, django_capture_on_commit_callbacks)
    (pdf,) = _pdfs(article)
    data = read(pdf)
    assert pdf.status == "listo" and pdf.version == 1
    assert pdf.sha256 == hashlib.sha256(data).hexdigest() and pdf.size == len(data)
    assert pdf.revision_id == article.live_revision_id and pdf.ready_at is not None
    assert pdf.label.startswith("v1 — ")


def test_republishing_the_same_content_makes_no_new_version(
        site, eager_jobs, django_capture_on_commit_callbacks):  # noqa: F811
    issue = f.issue(f.magazine(site))
    article = publish(f.article(issue, publish=False), django_capture_on_commit_callbacks)
    (first,) = _pdfs(article)
    before = (first.sha256, first.file.name, read(first))
    publish(article, django_capture_on_commit_callbacks)  # a new revision, same content
    (again,) = _pdfs(article)
    assert (again.pk, again.sha256, again.file.name, read(again)) == (first.pk, *before)


def test_a_correction_is_a_new_version_and_the_first_stays_downloadable(
        site, client, eager_jobs, django_capture_on_commit_callbacks):  # noqa: F811
    issue = f.issue(f.magazine(site))
    article = publish(f.article(issue, publish=False, title="La protección de datos"),
                      django_capture_on_commit_callbacks)
    (v1,) = _pdfs(article)
    v1_bytes = read(v1)
    publish(article, django_capture_on_commit_callbacks, title="La protección de datos personales")
    v1_again, v2 = _pdfs(article)
    assert (v1_again.pk, v1_again.sha256, read(v1_again)) == (v1.pk, v1.sha256, v1_bytes)
    assert v2.version == 2 and v2.status == "listo" and v2.sha256 != v1.sha256
    assert v2.label.startswith("v2 — corrección, ")

    # The committee labels the correction and writes its notice; the bytes stay the same.
    files.describe(v2, label="v2 — fe de erratas, 10/01/2027",
                   notice="Se corrigió el título del artículo.", actor=None)
    v2.refresh_from_db()
    assert read(v2) and v2.sha256 == hashlib.sha256(read(v2)).hexdigest()
    downloads = publication_downloads(article)
    assert downloads["notice"].notice == "Se corrigió el título del artículo."
    assert [d.version for d in downloads["files"]] == [2, 1]

    for version, expected in ((v1, v1_bytes), (v2, read(v2))):
        url = reverse("publications:file_download", kwargs={
            "file_id": version.pk, "version": version.version, "slug": article.slug,
            "ext": "pdf"})
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == expected


def test_an_edition_gets_a_pdf_and_an_epub(site, eager_jobs, django_capture_on_commit_callbacks):  # noqa: F811
    edition = f.edition(f.booklet(f.booklet_index(site)), publish=False)
    publish(edition, django_capture_on_commit_callbacks)
    assert sorted(PublicationFile.objects.filter(page=edition, status="listo")
                  .values_list("format", flat=True)) == ["epub", "pdf"]


def test_publishing_an_issue_writes_page_ranges_and_no_article_job_follows(
        site, eager_jobs, django_capture_on_commit_callbacks):  # noqa: F811
    issue = f.issue(f.magazine(site), publish=False)
    article = f.article(issue)
    publish(issue, django_capture_on_commit_callbacks)
    article.refresh_from_db()
    assert article.first_page == 3  # cover, table of contents, then the article
    # The write-back published nothing: the article has no file (its own job never ran).
    assert not PublicationFile.objects.filter(page=article).exists()
    assert _pdfs(issue)[0].status == "listo"


def test_the_download_box_lists_ready_files_in_one_query(site, django_assert_num_queries,
                                                         eager_jobs,  # noqa: F811
                                                         django_capture_on_commit_callbacks):
    issue = f.issue(f.magazine(site))
    article = publish(f.article(issue, publish=False), django_capture_on_commit_callbacks)
    publish(article, django_capture_on_commit_callbacks, title="Otro título")
    from django.template import Context, Template

    template = Template("{% load publications_files %}{% downloads_box page %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"page": article}))
    assert html.count("<li>") == 2 and "Descargas" in html


def test_a_user_cannot_edit_a_file_s_bytes_through_describe(site):
    user = UserFactory()
    page = f.article(f.issue(f.magazine(site)))
    row = PublicationFile.objects.create(page=page, format="pdf", version=1, status="listo",
                                         sha256="a" * 64, size=3)
    files.describe(row, label="  v1  ", notice=" Aviso ", actor=user)
    row.refresh_from_db()
    assert (row.label, row.notice, row.sha256, row.size) == ("v1", "Aviso", "a" * 64, 3)
