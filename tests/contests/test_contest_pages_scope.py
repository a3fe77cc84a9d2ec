"""A contest's pages (the series and its calls: bases, dates, rubric, prizes) are edited by
Coordinación and by whoever manages contests. Communications officers, whose page rights sit
at the site's root for content pages, can neither change them nor read their drafts through
any door of the admin."""

import pytest

from tests.contests.factories import CallFactory

pytestmark = pytest.mark.django_db

DRAFT = "Bases en revisión Zorrocloco"


@pytest.fixture
def call_with_draft(site, coordinator):
    call = CallFactory()
    call.title = DRAFT
    call.save_revision(user=coordinator)
    return call


def _doors(call):
    series = call.get_parent()
    return [f"/admin/pages/{call.pk}/edit/", f"/admin/pages/{call.pk}/view_draft/",
            f"/admin/pages/{call.pk}/revisions/", f"/admin/pages/{call.pk}/history/",
            f"/admin/pages/{call.pk}/delete/", f"/admin/pages/{call.pk}/copy/",
            f"/admin/pages/{call.pk}/move/", f"/admin/pages/{call.pk}/unpublish/",
            f"/admin/pages/{series.pk}/edit/",
            f"/admin/pages/add/contests/contestcallpage/{series.pk}/",
            f"/admin/pages/{series.pk}/", f"/admin/pages/search/?q={DRAFT.split()[-1]}",
            f"/admin/choose-page/search/?q={DRAFT.split()[-1]}",
            f"/admin/choose-page/{series.pk}/", f"/admin/api/main/pages/{call.pk}/"]


def test_an_officer_cannot_change_nor_read_a_contest_page(call_with_draft, officer_client):
    for url in _doors(call_with_draft):
        response = officer_client.get(url)
        assert DRAFT not in response.content.decode(), url
    for url in _doors(call_with_draft)[:9]:
        assert officer_client.get(url).status_code in (302, 403, 404), url
    before = call_with_draft.get_latest_revision().pk
    response = officer_client.post(f"/admin/pages/{call_with_draft.pk}/edit/",
                                   {"title": "Cambiada por un oficial", "slug": "x"})
    assert response.status_code in (302, 403)
    call_with_draft.refresh_from_db()
    assert call_with_draft.get_latest_revision().pk == before
    assert call_with_draft.draft_title == DRAFT


def test_coordination_still_edits_contest_pages(call_with_draft, coordinator_client):
    response = coordinator_client.get(f"/admin/pages/{call_with_draft.pk}/edit/")
    assert response.status_code == 200 and DRAFT in response.content.decode()
    series = call_with_draft.get_parent()
    assert coordinator_client.get(
        f"/admin/pages/add/contests/contestcallpage/{series.pk}/").status_code == 200
    assert DRAFT in coordinator_client.get(f"/admin/pages/{series.pk}/").content.decode()


def test_an_officer_may_still_link_to_a_published_call(call_with_draft, officer_client):
    call_with_draft.save_revision().publish()
    html = officer_client.get(f"/admin/choose-page/search/?q={DRAFT.split()[-1]}").content.decode()
    assert DRAFT in html
