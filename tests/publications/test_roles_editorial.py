"""The Comité Editorial reaches the publications section and nothing else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Page

from hub import roles
from publications.models import ArticlePage
from tests.contests.factories import CallFactory
from tests.publications import factories as pub
from tests.publications.workflow_helpers import committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return committee("editora")[0]


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _granted_pages(name):
    return set(GroupPagePermission.objects.filter(group__name=name)
               .values_list("page__content_type__model", flat=True))


def test_editorial_page_permissions_sit_on_the_section_pages_only(site):
    assert _granted_pages(roles.EDITORIAL) == set()  # no section page yet: nothing at all
    pub.magazine(site)
    pub.booklet_index(site)
    assert _granted_pages(roles.EDITORIAL) == {"magazinepage", "bookletindexpage"}
    assert not GroupPagePermission.objects.filter(group__name=roles.EDITORIAL,
                                                  page__depth__lte=2).exists()


def test_sync_roles_grants_on_existing_section_pages(site):
    from django.apps import apps

    magazine = pub.magazine(site)
    GroupPagePermission.objects.filter(group__name=roles.EDITORIAL).delete()
    roles.sync_roles(apps)
    assert GroupPagePermission.objects.filter(group__name=roles.EDITORIAL,
                                              page=magazine).count() == 3
    assert GroupPagePermission.objects.filter(group__name=roles.COORDINATION,
                                              page__depth=1).exists()


def test_editor_cannot_edit_or_unpublish_the_home_page(editor_client, site):
    home = site
    title = home.title
    assert editor_client.get(f"/admin/pages/{home.pk}/edit/").status_code in (302, 403)
    response = editor_client.post(f"/admin/pages/{home.pk}/edit/", {"title": "Tomada"})
    assert response.status_code in (302, 403)
    assert editor_client.post(f"/admin/pages/{home.pk}/unpublish/").status_code in (302, 403)
    home = Page.objects.get(pk=home.pk)
    assert home.title == title and home.live


def test_editor_cannot_edit_or_unpublish_a_contest_call(editor_client, site):
    call = CallFactory()
    assert editor_client.get(f"/admin/pages/{call.pk}/edit/").status_code in (302, 403)
    assert editor_client.post(f"/admin/pages/{call.pk}/unpublish/").status_code in (302, 403)
    call.refresh_from_db()
    assert call.live and not call.has_unpublished_changes


def test_editor_sees_no_network_contacts_or_channels_admin(editor_client):
    assert editor_client.get("/admin/snippets/network/person/").status_code in (302, 403)
    assert editor_client.get("/admin/snippets/network/commission/").status_code in (302, 403)


def test_editor_has_the_publications_snippet_permissions(editor):
    for perm in ("publications.add_author", "publications.change_section",
                 "publications.change_law", "publications.add_reform",
                 "publications.change_bookletseries", "publications.view_publicationfile",
                 "publications.view_readingcount", "publications.change_publicationsettings"):
        assert editor.has_perm(perm), perm
    assert not editor.has_perm("publications.change_publicationfile")
    assert not editor.has_perm("publications.delete_law")


def test_editor_creates_an_article_in_an_issue_and_submits_it(editor_client, site):
    issue = pub.issue(pub.magazine(site))
    author = pub.AuthorFactory()
    url = f"/admin/pages/add/publications/articlepage/{issue.pk}/"
    assert editor_client.get(url).status_code == 200
    data = {
        "title": "Un artículo del comité", "slug": "articulo-del-comite",
        "abstract": "Resumen del artículo.", "keywords": "transparencia",
        "body-count": "0", "article_authors-TOTAL_FORMS": "1",
        "article_authors-INITIAL_FORMS": "0", "article_authors-MIN_NUM_FORMS": "1",
        "article_authors-MAX_NUM_FORMS": "1000", "article_authors-0-author": str(author.pk),
        "article_authors-0-ORDER": "1", "licence": "CC-BY-4.0", "language": "es",
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000",
        "action-submit": "Enviar a revisión",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    page = ArticlePage.objects.get(slug="articulo-del-comite")
    assert page.current_workflow_state is not None
    assert page.current_workflow_task.name == "Revisión del Comité Editorial"
    assert not page.live


def test_officers_get_no_publications_editing(client, site, officer):
    issue = pub.issue(pub.magazine(site))
    article = pub.article(issue, publish=False, title="Borrador intocable")
    client.force_login(officer)
    assert client.get(f"/admin/pages/{article.pk}/edit/").status_code in (302, 403)
    assert client.post(f"/admin/pages/{article.pk}/edit/",
                       {"title": "Cambiado"}).status_code in (302, 403)
    assert client.get(f"/admin/pages/add/publications/articlepage/{issue.pk}/").status_code in (302, 403)
    assert client.post(f"/admin/pages/{issue.pk}/unpublish/").status_code in (302, 403)
    assert client.get(f"/admin/pages/{issue.pk}/delete/").status_code in (302, 403)
    article.refresh_from_db()
    issue.refresh_from_db()
    assert article.title == "Borrador intocable" and issue.live
    assert not officer.has_perm("publications.add_author")
    assert not officer.has_perm("publications.change_law")


def test_coordination_keeps_everything(coordinator, site):
    magazine = pub.magazine(site)
    assert magazine.permissions_for_user(coordinator).can_publish()
    assert Page.objects.get(pk=site.pk).permissions_for_user(coordinator).can_edit()
    assert Group.objects.get(name=roles.COORDINATION).page_permissions.filter(
        page__depth=1).exists()


def test_the_committee_cannot_delete_or_edit_other_peoples_images_and_documents(editor_client,
                                                                               editor):
    """The shared library holds every institution's campaign images and documents: the
    committee edits and deletes what its members uploaded, and chooses the rest."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.images.models import Image

    from tests.factories import UserFactory
    from tests.publications.files_support import make_image

    officer = UserFactory(username="oficial-infoem", groups=[roles.COMMUNICATIONS])
    theirs = make_image("Cartel de INFOEM")
    theirs.uploaded_by_user = officer
    theirs.save()
    their_doc = Document.objects.create(title="Convenio INFOEM", uploaded_by_user=officer,
                                        file=ContentFile(b"%PDF-1.4 convenio", name="convenio.pdf"))
    mine = make_image("Gráfica del artículo")
    mine.uploaded_by_user = editor
    mine.save()
    assert editor_client.post(f"/admin/images/{theirs.pk}/delete/").status_code in (302, 403)
    assert editor_client.post(f"/admin/documents/delete/{their_doc.pk}/").status_code in (302, 403)
    assert Image.objects.filter(pk=theirs.pk).exists()
    assert Document.objects.filter(pk=their_doc.pk).exists()
    assert editor_client.get(f"/admin/images/{theirs.pk}/").status_code in (302, 403)
    assert editor_client.get("/admin/images/chooser/").status_code == 200
    assert editor_client.post(f"/admin/images/{mine.pk}/delete/").status_code == 302
    assert not Image.objects.filter(pk=mine.pk).exists()
