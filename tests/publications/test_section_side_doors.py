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
