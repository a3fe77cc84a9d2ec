"""Calls for articles: accepted written entries become draft articles, once, by staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import PageLogEntry

from contests.domain.entries import store_file
from contests.enums import CategoryKind, EntryStatus
from contests.models import Award, CategoryJuror, CoAuthor, Entry
from hub import roles
from publications.domain import calls
from publications.models import ArticleFromEntry, ArticlePage, Author
from tests.contests import docx_samples
from tests.contests.factories import CategoryFactory, EntryFactory, ProfileFactory
from tests.factories import UserFactory
from tests.publications import factories as pub
from tests.publications.workflow_helpers import committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return committee("editora")[0]


@pytest.fixture
def issue(site):
    return pub.issue(pub.magazine(site))


def _written_entry(*, accepted=True, text="Primer párrafo del ensayo."):
    category = CategoryFactory(kind=CategoryKind.WRITTEN, code="ART", max_file_mb=5)
    profile = ProfileFactory(full_name="María Fernanda López García", school="UdeG")
    entry = EntryFactory(category=category, owner=profile.user, status=EntryStatus.DRAFT,
                         title="La transparencia municipal", summary="Un resumen breve.",
                         theme="Gobierno abierto")
    store_file(entry, "document", SimpleUploadedFile("ensayo.docx",
                                                     docx_samples.build(text=text)))
    Entry.objects.filter(pk=entry.pk).update(status=EntryStatus.SUBMITTED, folio="ART-2026-0001")
    entry.refresh_from_db()
    if accepted:
        Award.objects.create(entry=entry, place=0)
    return entry


def test_an_accepted_entry_becomes_a_draft_article_with_its_authors(editor, issue):
    entry = _written_entry()
    CoAuthor.objects.create(entry=entry, name="Jorge Ruiz", email="jorge@example.org",
                            accepted_at=timezone.now())
    CoAuthor.objects.create(entry=entry, name="No Aceptó", email="no@example.org")
    article = calls.entry_to_article(entry, issue, actor=editor)
    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live and article.get_parent().pk == issue.pk
    assert article.title == "La transparencia municipal"
    assert article.abstract == "Un resumen breve." and article.keywords == "Gobierno abierto"
    assert "Primer párrafo del ensayo." in str(article.body)
    names = [a.author.full_name for a in article.article_authors.order_by("sort_order")]
    assert names == ["María Fernanda López García", "Jorge Ruiz"]
    first = Author.objects.get(user=entry.owner)
    assert first.family_names == "López García" and first.email == entry.owner.email
    assert first.affiliation == "UdeG"
    link = ArticleFromEntry.objects.get(entry=entry)
    assert link.document is not None and link.document.collection.name == calls.PRIVATE_COLLECTION
    assert link.document.collection.get_view_restrictions().exists()
    assert PageLogEntry.objects.filter(page=article, action=calls.CREATED_ACTION).exists()


def test_converting_twice_is_refused_and_creates_nothing(editor, issue):
    entry = _written_entry()
    calls.entry_to_article(entry, issue, actor=editor)
    with pytest.raises(calls.CallError) as caught:
        calls.entry_to_article(entry, issue, actor=editor)
    assert "ya se convirtió" in str(caught.value)
    assert ArticlePage.objects.filter(title="La transparencia municipal").count() == 1


def test_authors_are_reused_across_entries(editor, issue):
    first = _written_entry()
    calls.entry_to_article(first, issue, actor=editor)
    second = EntryFactory(category=first.category, owner=first.owner, title="Segunda obra",
                          summary="Otro resumen.")
    Award.objects.create(entry=second, place=1)
    calls.entry_to_article(second, issue, actor=editor)
    assert Author.objects.filter(user=first.owner).count() == 1


def test_an_entry_without_award_is_not_converted(editor, issue):
    entry = _written_entry(accepted=False)
    with pytest.raises(calls.CallError):
        calls.entry_to_article(entry, issue, actor=editor)
    assert not ArticleFromEntry.objects.exists()
    assert not ArticlePage.objects.filter(title="La transparencia municipal").exists()


def test_only_staff_of_the_section_convert(issue, officer):
    entry = _written_entry()
    juror = UserFactory(username="jurado", groups=[roles.JURY], is_staff=False)
    for outsider in (officer, juror, entry.owner):
        with pytest.raises(PermissionDenied):
            calls.entry_to_article(entry, issue, actor=outsider)
    assert not ArticleFromEntry.objects.exists()


def test_the_admin_screen_converts_and_scopes(client, editor, officer, issue):
    entry = _written_entry()
    client.force_login(officer)
    assert client.get("/admin/publicaciones/convocatorias/").status_code in (302, 403)
    assert client.post("/admin/publicaciones/convocatorias/",
                       {"entry": entry.pk, "issue": issue.pk}).status_code in (302, 403)
    assert not ArticleFromEntry.objects.exists()
    client.force_login(editor)
    html = client.get("/admin/publicaciones/convocatorias/").content.decode()
    assert "La transparencia municipal" in html and "ART-2026-0001" in html
    response = client.post("/admin/publicaciones/convocatorias/",
                           {"entry": "99999999999999999999", "issue": issue.pk})
    assert response.status_code == 302 and not ArticleFromEntry.objects.exists()
    response = client.post("/admin/publicaciones/convocatorias/",
                           {"entry": entry.pk, "issue": issue.pk})
    article = ArticleFromEntry.objects.get(entry=entry).article
    assert response.status_code == 302 and response.url == f"/admin/pages/{article.pk}/edit/"
    again = client.post("/admin/publicaciones/convocatorias/",
                        {"entry": entry.pk, "issue": issue.pk}, follow=True)
    assert "ya se convirtió" in again.content.decode()
    assert ArticleFromEntry.objects.count() == 1


def test_the_committee_becomes_the_jury_of_a_category(editor, coordinator):
    others = committee("revisor", "revisora")
    category = CategoryFactory(kind=CategoryKind.WRITTEN, code="ART")
    assert calls.committee_as_jury(category, actor=coordinator) == 3
    pool = set(CategoryJuror.objects.filter(category=category).values_list("juror__username",
                                                                            flat=True))
    assert pool == {"editora", "revisor", "revisora"}
    assert all(u.groups.filter(name=roles.JURY).exists() for u in others)
