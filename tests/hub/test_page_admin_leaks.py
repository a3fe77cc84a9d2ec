"""An officer reads no other institution's draft page through the admin's side doors: the
admin API (detail, search, actions), bulk-action confirmations, the page-type usage listing
and the page types report. Coordinación still sees everything; the officer's own pages and
the explorer's own API calls keep working."""

import pytest
from wagtail import hooks

from hub.dashboard.reports import generate_report
from hub.indicators import INDICATORS_HOOK, Figure, Period, Scope, Section

pytestmark = pytest.mark.django_db

SECRET = "Zorrocloco secreto ITEI"


def _provider(scope):
    return Section("reach", "Alcance", order=0, figures=[Figure("Publicaciones", 1)], series=[],
                   summary="Resumen.")


@pytest.fixture
def theirs(site, coordinator, itei):
    with hooks.register_temporarily(INDICATORS_HOOK, _provider):
        page, _created = generate_report(coordinator, Scope(Period.quarter(2026, 3),
                                                            institution_id=itei.pk))
    page.title = page.draft_title = SECRET
    page.save()
    page.save_revision(user=coordinator)
    return page


def _urls(page):
    return [f"/admin/api/main/pages/{page.pk}/",
            f"/admin/api/main/pages/?search={SECRET.split()[0]}",
            f"/admin/api/main/pages/?descendant_of={page.get_parent().pk}",
            f"/admin/api/main/pages/?child_of={page.get_parent().pk}",
            f"/admin/bulk/wagtailcore/page/delete/?id={page.pk}",
            f"/admin/bulk/wagtailcore/page/move/?id={page.pk}",
            f"/admin/bulk/wagtailcore/page/unpublish/?id={page.pk}",
            f"/admin/bulk/wagtailcore/page/delete/?id=all&childOf={page.get_parent().pk}",
            "/admin/pages/usage/hub/quarterlyreportpage/",
            "/admin/reports/page-types-usage/",
            "/admin/reports/page-types-usage/results/"]


def test_an_officer_reads_no_other_institution_draft_through_admin_side_doors(
        theirs, officer_client):
    for url in _urls(theirs):
        response = officer_client.get(url)
        # The whole title: the refusal page may echo the address typed (its language links),
        # which holds only the word searched for.
        assert SECRET not in response.content.decode(), url


def test_an_officer_cannot_act_on_another_institution_page_through_the_admin_api(
        theirs, officer_client, site):
    from wagtail.models import Page

    home = Page.objects.get(depth=2)
    response = officer_client.post(f"/admin/api/main/pages/{theirs.pk}/action/copy/",
                                   {"destination_page_id": home.pk, "slug": "copia-ajena"},
                                   content_type="application/json")
    assert response.status_code in (403, 404), response.content[:300]
    assert not Page.objects.filter(slug="copia-ajena").exists()


def test_coordination_and_the_explorer_keep_working(theirs, coordinator, officer):
    from django.test import Client

    coordinator_client, officer_client = Client(), Client()
    coordinator_client.force_login(coordinator)
    officer_client.force_login(officer)
    for url in _urls(theirs)[:2] + ["/admin/pages/usage/hub/quarterlyreportpage/",
                                    "/admin/reports/page-types-usage/"]:
        response = coordinator_client.get(url)
        assert response.status_code == 200, url
        assert SECRET.split()[0] in response.content.decode(), url
    explorer = officer_client.get(f"/admin/api/main/pages/?child_of={theirs.get_parent().pk}"
                                  "&for_explorer=1")
    assert explorer.status_code == 200
    assert SECRET.split()[0] not in explorer.content.decode()


def test_an_officer_finds_no_other_institution_draft_in_the_admin_search(theirs, officer_client,
                                                                         site):
    from wagtail.models import Page

    home = Page.objects.get(depth=2)
    for url in ("/admin/pages/search/?q=Zorrocloco", "/admin/pages/search/results/?q=Zorrocloco",
                f"/admin/pages/{home.pk}/?q=Zorrocloco&search_all=1"):
        assert SECRET not in officer_client.get(url).content.decode(), url
