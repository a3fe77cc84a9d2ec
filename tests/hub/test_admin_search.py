"""Searching the admin's listings and choosers answers results, whoever searches and whatever
they type (the scoping filters and the search engine's syntax used to answer 500)."""

import pytest

SEARCHABLE = [
    "/admin/snippets/campaigns/post/",
    "/admin/snippets/choose/campaigns/post/results/",
    "/admin/snippets/network/event/",
    "/admin/snippets/network/institution/",
    "/admin/snippets/network/videocapsule/",
    "/admin/snippets/choose/network/event/results/",
    "/admin/snippets/network/agreement/",
    "/admin/snippets/network/ally/",
]


@pytest.mark.parametrize("url", SEARCHABLE)
@pytest.mark.parametrize("typed", ["hola", '"', '"INFOEM', "a*b (c", "NEAR(x y)"])
def test_an_officer_can_search_every_listing(officer_client, site, url, typed):
    response = officer_client.get(url, {"q": typed})
    assert response.status_code in (200, 302, 403), (url, typed, response.status_code)


@pytest.mark.parametrize("typed", ['"', '"convenio', "x' OR 1=1"])
def test_coordination_can_search_with_quotes(coordinator_client, site, typed):
    for url in SEARCHABLE:
        assert coordinator_client.get(url, {"q": typed}).status_code == 200, (url, typed)
