"""Times are shown in Mexico City time on every screen, whatever a profile says."""

import datetime as dt

from wagtail.users.models import UserProfile

from campaigns.enums import DeliveryState
from tests.campaigns.factories import DeliveryFactory, PostFactory


def test_a_profile_time_zone_does_not_move_the_times_shown(coordinator_client, coordinator):
    profile = UserProfile.get_for_user(coordinator)
    profile.current_time_zone = "Asia/Tokyo"  # as if chosen earlier or written directly
    profile.save()
    due = dt.datetime(2026, 12, 24, 21, 30, tzinfo=dt.UTC)  # 15:30 in Mexico City
    DeliveryFactory(post=PostFactory(live=True, title="Navidad"), state=DeliveryState.PENDING,
                    due_at=due, next_attempt_at=due)
    html = coordinator_client.get("/admin/campanas/envios/").content.decode()
    assert "15:30" in html and "06:30" not in html


def test_the_time_zone_preference_is_not_offered(coordinator_client):
    html = coordinator_client.get("/admin/account/").content.decode()
    assert "Asia/Tokyo" not in html
