"""The posts' and campaigns' listings and exports read each row's institution and campaign in
the same query, whatever the number of rows (at 10,000 posts the CSV export made 9,000+
queries and took half a minute)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.campaigns.factories import CampaignFactory, PostFactory
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
    assert response.status_code == 200, body[:500]
    return len(captured)


def _rows(n):
    for _ in range(n):
        institution = InstitutionFactory()
        PostFactory(institution=institution, campaign=CampaignFactory(institution=institution))


@pytest.mark.parametrize("url", [
    "/admin/snippets/campaigns/post/?export=csv",
    "/admin/snippets/campaigns/post/?export=xlsx",
    "/admin/snippets/campaigns/campaign/?export=csv",
    "/admin/snippets/campaigns/campaign/?export=xlsx",
    "/admin/snippets/campaigns/campaign/",
])
def test_posts_and_campaigns_exports_do_not_grow_with_rows(coordinator_client, url):
    _rows(2)
    _queries(coordinator_client, url)
    few = _queries(coordinator_client, url)
    _rows(10)
    assert _queries(coordinator_client, url) == few
