"""The campaigns' named predicates and their scoping function agree for every kind of user."""

import pytest

from campaigns import rules
from campaigns.models import Campaign, Channel, Post

from .factories import CampaignFactory, ChannelFactory, PostFactory


@pytest.fixture
def rows(infoem, itei):
    return {
        "own_channel": ChannelFactory(institution=infoem),
        "other_channel": ChannelFactory(institution=itei),
        "snt_channel": ChannelFactory(institution=None),
        "network_group": ChannelFactory(institution=None, is_network_group=True),
        "own_post": PostFactory(institution=infoem),
        "other_post": PostFactory(institution=itei),
        "own_campaign": CampaignFactory(institution=infoem),
        "other_campaign": CampaignFactory(institution=itei),
        "snt_campaign": CampaignFactory(institution=None),
    }


def test_an_officer_acts_only_within_their_institution(officer, rows):
    assert officer.has_perm("campaigns.act_on_post", rows["own_post"])
    assert not officer.has_perm("campaigns.act_on_post", rows["other_post"])
    assert officer.has_perm("campaigns.act_on_channel", rows["own_channel"])
    assert not officer.has_perm("campaigns.act_on_channel", rows["snt_channel"])
    assert officer.has_perm("campaigns.post_to_channel", rows["snt_channel"])
    assert not officer.has_perm("campaigns.post_to_channel", rows["other_channel"])
    assert not officer.has_perm("campaigns.post_to_channel", rows["network_group"])
    assert officer.has_perm("campaigns.use_campaign", rows["snt_campaign"])
    assert not officer.has_perm("campaigns.use_campaign", rows["other_campaign"])
    assert not officer.has_perm("campaigns.act_on_campaign", rows["snt_campaign"])


def test_coordination_acts_on_everything(coordinator, rows):
    assert all(coordinator.has_perm(p, rows[r]) for p, r in [
        ("campaigns.act_on_post", "other_post"), ("campaigns.act_on_channel", "other_channel"),
        ("campaigns.post_to_channel", "network_group"), ("campaigns.act_on_campaign", "snt_campaign")])


def test_querysets_and_predicates_give_the_same_answer(officer, rows):
    for model, perm, purpose in [(Post, "campaigns.act_on_post", "see"),
                                 (Channel, "campaigns.post_to_channel", "see"),
                                 (Channel, "campaigns.act_on_channel", "manage"),
                                 (Campaign, "campaigns.use_campaign", "see")]:
        listed = set(rules.scope(officer, model.objects.all(), purpose=purpose))
        allowed = {obj for obj in model.objects.all() if officer.has_perm(perm, obj)}
        assert listed == allowed, model


def test_an_anonymous_user_gets_nothing(rows):
    from django.contrib.auth.models import AnonymousUser

    assert not rules.scope(AnonymousUser(), Post.objects.all()).exists()
    assert not rules.can_act_on_post(AnonymousUser(), rows["own_post"])
