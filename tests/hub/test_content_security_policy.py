"""A Content-Security-Policy on every answer; only the capsule player may be framed elsewhere."""

import pytest

from tests.factories import VideoCapsuleFactory

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.mark.parametrize("url", ["/instituciones/", "/calendario/", "/datos/", "/buscar/?q=x",
                                 "/no-existe/", "/admin/login/"])
def test_every_page_carries_a_policy_that_forbids_framing_by_others(client, site, url):
    policy = _directives(client.get(url))
    assert policy["frame-ancestors"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'self'"
    assert policy["default-src"] == "'self'"


def test_capsule_player_stays_framable_by_partner_sites(client, infoem):
    capsule = VideoCapsuleFactory(institution=infoem)
    embed = client.get(capsule.get_absolute_url() + "embed/")
    assert _directives(embed)["frame-ancestors"] == "*"
    assert "youtube-nocookie.com" in _directives(embed)["frame-src"]
    page = client.get(capsule.get_absolute_url())
    assert _directives(page)["frame-ancestors"] == "'self'"


def test_admin_pages_carry_the_policy(coordinator_client):
    assert "frame-ancestors 'self'" in coordinator_client.get("/admin/")[
        "Content-Security-Policy"]
