"""Attack: a page the committee made private (Wagtail's *Privacidad*: login or password) is
read by nobody without access — not through its files, its booklet's stable URL, the
comparison of editions, the issue's table of contents or the magazine's "Avances en línea"."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.models import PageViewRestriction

from publications.models import PublicationFile
from publications.models.files import FileFormat, FileStatus
from tests.publications import factories as f

pytestmark = pytest.mark.django_db

SECRET = "Texto reservado del comité"


def _restrict(page, kind=PageViewRestriction.LOGIN):
    extra = {"password": "clave"} if kind == PageViewRestriction.PASSWORD else {}
    PageViewRestriction.objects.create(page=page, restriction_type=kind, **extra)


def _ready_pdf(page) -> PublicationFile:
    data = b"%PDF-1.7 " + SECRET.encode()
    return PublicationFile.objects.create(
        page=page, format=FileFormat.PDF, version=1, status=FileStatus.READY,
        file=ContentFile(data, name="reservado.pdf"), sha256=hashlib.sha256(data).hexdigest(),
        size=len(data))


def _download_url(row) -> str:
    return reverse("publications:file_download", kwargs={
        "file_id": row.pk, "version": row.version, "slug": row.page.slug, "ext": row.format})


@pytest.mark.parametrize("kind", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_the_file_of_a_private_article_is_not_downloadable_anonymously(client, site, kind):
    article = f.article(f.issue(f.magazine(site)), title="Artículo en revisión privada")
    row = _ready_pdf(article)
    assert client.head(_download_url(row)).status_code == 200  # public: served
    _restrict(article, kind)
    response = client.get(_download_url(row))
    assert response.status_code == 404
    assert client.head(_download_url(row)).status_code == 404


def test_who_may_read_a_private_article_still_downloads_its_file(client, site, coordinator):
    article = f.article(f.issue(f.magazine(site)))
    row = _ready_pdf(article)
    _restrict(article, PageViewRestriction.LOGIN)
    client.force_login(coordinator)
    response = client.head(_download_url(row))
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_file_of_an_article_under_a_private_issue_is_not_downloadable(client, site):
    issue = f.issue(f.magazine(site))
    row = _ready_pdf(f.article(issue))
    _restrict(issue)
    assert client.get(_download_url(row)).status_code == 404


@pytest.fixture
def booklet(site):
    booklet = f.booklet(f.booklet_index(site), title="El ABC de los datos personales")
    f.edition(booklet, current_to=dt.date(2024, 6, 30), change_summary="Primera edición.",
              body=[f.section("que-es", "¿Qué es?", "Un derecho de todas las personas.")])
    private = f.edition(booklet, current_to=dt.date(2025, 3, 20),
                        change_summary="Borrador de la segunda edición.",
                        body=[f.section("que-es", "¿Qué es?", SECRET)])
    _restrict(private)
    return booklet


def test_a_private_edition_is_not_the_current_one_at_the_booklets_url(client, booklet):
    body = client.get(booklet.url).content.decode()
    assert "Un derecho de todas las personas." in body
    assert SECRET not in body
    assert "Borrador de la segunda edición." not in body


def test_a_private_edition_cannot_be_compared(client, booklet):
    response = client.get(booklet.url + "comparar/?de=1&a=2")
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    form = client.get(booklet.url + "comparar/").content.decode()
    assert SECRET not in form


def test_a_private_article_is_not_in_its_issues_table_of_contents(client, site):
    issue = f.issue(f.magazine(site))
    f.article(issue, title="Artículo abierto a todos")
    hidden = f.article(issue, title="Artículo reservado al comité")
    _restrict(hidden)
    body = client.get(issue.url).content.decode()
    assert "Artículo abierto a todos" in body
    assert "Artículo reservado al comité" not in body


def test_a_private_article_stays_out_of_its_issues_print_document(site):
    from publications.domain.files import print_html

    issue = f.issue(f.magazine(site))
    f.article(issue, title="Artículo abierto a todos")
    hidden = f.article(issue, title="Artículo reservado al comité",
                       body=[("paragraph", f"<p>{SECRET}</p>")])
    _restrict(hidden)
    html = print_html(issue)
    assert "Artículo abierto a todos" in html
    assert "Artículo reservado al comité" not in html and SECRET not in html


def test_a_private_booklet_is_not_listed_in_the_index(client, site):
    index = f.booklet_index(site)
    f.edition(f.booklet(index, title="El ABC abierto"))
    hidden = f.booklet(index, title="El ABC reservado")
    f.edition(hidden)
    _restrict(hidden)
    body = client.get(index.url).content.decode()
    assert "El ABC abierto" in body
    assert "El ABC reservado" not in body


def test_a_private_article_is_not_listed_ahead_of_print(client, site):
    magazine = f.magazine(site)
    issue = f.issue(magazine, publish=False)
    f.article(issue, title="Avance abierto a todos")
    hidden = f.article(issue, title="Avance reservado al comité")
    _restrict(hidden)
    body = client.get(magazine.url).content.decode()
    assert "Avance abierto a todos" in body
    assert "Avance reservado al comité" not in body
