"""The listing's summary of a post counts its publications, not the request to the network."""

from campaigns.enums import DeliveryPurpose, DeliveryState
from tests.campaigns.factories import ChannelFactory, DeliveryFactory, PostFactory


def test_the_summary_counts_publications_only(db):
    post = PostFactory(live=True)
    DeliveryFactory(post=post, state=DeliveryState.SENT)
    DeliveryFactory(post=post, channel=ChannelFactory(), state=DeliveryState.SENT)
    DeliveryFactory(post=post, channel=ChannelFactory(), state=DeliveryState.PENDING,
                    purpose=DeliveryPurpose.AMPLIFICATION)
    summary = post.delivery_summary()
    assert summary.startswith("2 ") and "pendiente" not in summary


def test_the_summary_agrees_in_number_with_each_count(db):
    post = PostFactory(live=True)
    DeliveryFactory(post=post, state=DeliveryState.SENT)
    DeliveryFactory(post=post, channel=ChannelFactory(), state=DeliveryState.SENT)
    DeliveryFactory(post=post, channel=ChannelFactory(), state=DeliveryState.PENDING)
    DeliveryFactory(post=post, channel=ChannelFactory(), state=DeliveryState.FAILED)
    assert post.delivery_summary() == "1 pendiente · 2 enviadas · 1 fallida"

