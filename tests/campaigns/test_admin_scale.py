"""The posts' and campaigns' listings and exports read each row's institution and campaign in
the same query, whatever the number of rows (at 10,000 posts the CSV export made 9,000+
queries and took half a minute)."""

import pytest

from tests.campaigns.factories import CampaignFactory, PostFactory
from tests.factories import InstitutionFactory
from tests.queries import queries_of_get

pytestmark = pytest.mark.django_db


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
    queries_of_get(coordinator_client, url)
    few = queries_of_get(coordinator_client, url)
    _rows(10)
    assert queries_of_get(coordinator_client, url) == few
