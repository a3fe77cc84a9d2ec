"""Attack: a communications officer (page rights at the root for the site's content pages)
gets nothing of the publications section through the admin's side doors either: drafts of
articles under review are the committee's."""

import pytest
from wagtail.models import PageViewRestriction

from tests.publications import factories as f

pytestmark = pytest.mark.django_db

SECRET = "Manuscrito confidencial en dictamen"


@pytest.fixture
def draft(site, coordinator):
    issue = f.issue(f.magazine(site))
    article = f.article(issue, title=SECRET, publish=False,
                        abstract="Resumen confidencial del dictamen.")
    article.save_revision(user=coordinator)
    return article


def _side_doors(page):
    revision = page.latest_revision
    return [f"/admin/pages/{page.pk}/view_draft/",
            f"/admin/pages/{page.pk}/revisions/{revision.pk}/view/",
            f"/admin/pages/{page.pk}/revisions/",
            f"/admin/pages/{page.pk}/history/",
            f"/admin/pages/{page.pk}/workflow_history/",
            f"/admin/pages/{page.pk}/usage/",
            f"/admin/pages/{page.pk}/privacy/",
            f"/admin/pages/{page.pk}/edit/preview/",
            f"/admin/pages/{page.pk}/revisions/{revision.pk}/compare/live/" ,
            f"/admin/pages/{page.get_parent().pk}/",
            f"/admin/api/main/pages/{page.pk}/",
            f"/admin/api/main/pages/?child_of={page.get_parent().pk}&for_explorer=1"]


def test_an_officer_reads_no_draft_of_the_section_through_admin_side_doors(draft, officer_client):
    for url in _side_doors(draft):
        response = officer_client.get(url)
        assert SECRET not in response.content.decode(), url


def test_an_officer_cannot_make_the_magazine_private(site, officer_client):
    magazine = f.magazine(site)
    response = officer_client.post(f"/admin/pages/{magazine.pk}/privacy/",
                                   {"restriction_type": "password", "password": "clave"})
    assert response.status_code in (302, 403)
    assert not PageViewRestriction.objects.filter(page=magazine).exists()


def test_the_committee_still_reads_its_drafts(draft, client, site):
    from tests.publications.workflow_helpers import committee

    client.force_login(committee("editora")[0])
    response = client.get(f"/admin/pages/{draft.pk}/view_draft/")
    assert response.status_code == 200 and SECRET in response.content.decode()


def test_an_officer_finds_no_draft_of_the_section_in_the_admin_search_or_chooser(
        draft, officer_client):
    issue = draft.get_parent()
    for url in ("/admin/pages/search/?q=Manuscrito", "/admin/pages/search/results/?q=Manuscrito",
                "/admin/choose-page/search/?q=Manuscrito", f"/admin/choose-page/{issue.pk}/",
                f"/admin/pages/{draft.get_parent().get_parent().get_parent().pk}/"
                "?q=Manuscrito&search_all=1"):
        response = officer_client.get(url)
        assert SECRET not in response.content.decode(), url


def test_an_officer_still_links_to_a_published_article_and_the_committee_finds_its_drafts(
        draft, officer_client, client, site):
    issue = draft.get_parent()
    f.article(issue, title="Artículo publicado para enlazar")
    chooser = officer_client.get("/admin/choose-page/search/?q=enlazar").content.decode()
    assert "Artículo publicado para enlazar" in chooser
    from tests.publications.workflow_helpers import committee

    client.force_login(committee("editora")[0])
    assert SECRET in client.get("/admin/pages/search/?q=Manuscrito").content.decode()
    assert SECRET in client.get("/admin/choose-page/search/?q=Manuscrito").content.decode()


def test_the_chooser_names_a_published_article_by_its_live_title_not_the_committees_draft(
        site, coordinator, officer_client):
    """A published article whose next version, still under review, has a new title: an
    officer linking to it sees the published title, never the committee's draft one."""
    import json

    issue = f.issue(f.magazine(site))
    article = f.article(issue, title="Título publicado del artículo")
    article.title = SECRET
    article.save_revision(user=coordinator)
    for url in (f"/admin/choose-page/{issue.pk}/", "/admin/choose-page/search/?q=publicado",
                f"/admin/choose-page/chosen-multiple/?id={article.pk}"):
        response = officer_client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    pasted = officer_client.post("/admin/choose-external-link/",
                                 {"external-link-chooser-url": article.url + "?de=chat"})
    assert pasted.status_code == 200 and SECRET not in pasted.content.decode()
    browse = json.loads(officer_client.get(f"/admin/choose-page/{issue.pk}/").content)["html"]
    assert "Título publicado del artículo" in browse


def test_an_officer_s_author_chooser_names_no_author_of_an_unpublished_article(
        site, officer_client, client):
    """The people behind a manuscript under review (often a contest's entrants, converted from
    a call) are the committee's to know until it is published: an officer's author chooser
    lists only the authors of published articles."""
    from tests.publications.workflow_helpers import committee

    issue = f.issue(f.magazine(site))
    hidden = f.AuthorFactory(given_names="Manuscrita", family_names="Confidencial")
    public = f.AuthorFactory(given_names="Publicada", family_names="Conocida")
    f.article(issue, authors=[hidden], publish=False)
    f.article(issue, authors=[public])
    urls = ("/admin/snippets/choose/publications/author/",
            "/admin/snippets/choose/publications/author/results/?q=Confidencial",
            f"/admin/snippets/choose/publications/author/chosen/{hidden.pk}/")
    for url in urls:
        response = officer_client.get(url)  # (the results echo the words searched for)
        assert "Manuscrita" not in response.content.decode(), url
    assert "Conocida" in officer_client.get(urls[0]).content.decode()
    client.force_login(committee("editora")[0])
    assert "Manuscrita" in client.get(urls[1]).content.decode()
