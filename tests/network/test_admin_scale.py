"""Admin listings and their exports read each row's institution in the same query, whatever
the number of rows (issue: a contacts export of 10,000 rows made 10,000 extra queries)."""

import pytest

from tests.factories import InstitutionFactory, PersonFactory
from tests.queries import queries_of_get

pytestmark = pytest.mark.django_db


def _people(n):
    for _ in range(n):
        PersonFactory(institution=InstitutionFactory())


@pytest.mark.parametrize("url", [
    "/admin/snippets/network/person/",
    "/admin/snippets/network/person/?export=csv",
    "/admin/snippets/network/person/?export=xlsx",
])
def test_contacts_listing_and_exports_do_not_grow_with_rows(coordinator_client, url):
    _people(2)
    queries_of_get(coordinator_client, url)  # warm caches (content types, settings)
    few = queries_of_get(coordinator_client, url)
    _people(10)
    assert queries_of_get(coordinator_client, url) == few


@pytest.mark.parametrize("url", [
    "/admin/snippets/network/agreement/add/",
    "/admin/snippets/network/videocapsule/add/",
])
def test_forms_listing_every_contact_do_not_grow_with_contacts(coordinator_client, url):
    """The agreement's «responsables» and the capsule's «participan» name each contact with
    their institution: at 10,000 contacts the form took a minute to open."""
    _people(2)
    queries_of_get(coordinator_client, url)
    few = queries_of_get(coordinator_client, url)
    _people(10)
    assert queries_of_get(coordinator_client, url) == few


def test_roadmaps_admin_list_is_paginated(coordinator_client):
    """At 10,000 roadmaps the list was one page of 2.7 MB (5 s): it shows 50 a page."""
    from tests.factories import RoadmapFactory

    for n in range(55):
        RoadmapFactory(municipality=f"Municipio {n:03d}")
    first = coordinator_client.get("/admin/red/hojas-de-ruta/").content.decode()
    second = coordinator_client.get("/admin/red/hojas-de-ruta/?p=2").content.decode()
    assert "Municipio 000" in first and "Municipio 049" in first and "Municipio 050" not in first
    assert "Municipio 050" in second and "Municipio 054" in second and "Municipio 000" not in second


def test_events_listing_reads_commissions_with_the_rows(officer_client, infoem):
    """Each event's commission column made one query per row of the page."""
    from tests.factories import CommissionFactory, EventFactory

    def events(n):
        for _ in range(n):
            EventFactory(organizers=[infoem], commission=CommissionFactory())

    url = "/admin/snippets/network/event/"
    events(2)
    queries_of_get(officer_client, url)
    few = queries_of_get(officer_client, url)
    events(10)
    assert queries_of_get(officer_client, url) == few
