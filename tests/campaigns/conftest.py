"""Fixtures of the campaigns tests; the builders live in tests/campaigns/factories.py."""

import pytest

# Re-exported for the test modules that still import them from here (test_delivery.py and
# test_worker.py belong to the delivery engine's work); new tests import tests.campaigns.factories.
from .factories import (  # noqa: F401
    TG_TOKEN,
    X_KEYS,
    make_channel,
    make_image,
    png_bytes,
    publish_post,
)


@pytest.fixture
def tg_channel(db, infoem):
    return make_channel("telegram", infoem)


@pytest.fixture
def x_channel(db, infoem):
    return make_channel("x", infoem)


@pytest.fixture
def other_officer(db, itei):
    """A communications officer of ITEI: the attacker of INFOEM's data."""
    from network.models import StaffProfile
    from network.rules import COMMUNICATIONS
    from tests.factories import UserFactory

    user = UserFactory(username="oficial-itei", groups=[COMMUNICATIONS])
    StaffProfile.objects.create(user=user, institution=itei)
    return user


@pytest.fixture
def other_officer_client(client, other_officer):
    client.force_login(other_officer)
    return client
