"""An independent review's attacks on the latest campaigns features, each a defect it found."""

import re

from django.urls import reverse

from campaigns import delivery
from campaigns.devtools.fake_networks import Fault
from campaigns.enums import ChannelHealth
from campaigns.models import Channel

from .factories import EMPTY_SLOTS, X_KEYS, publish_post

X_SEND = "POST /2/tweets"
READ_ONLY = Fault(status=403, description=(
    "Your client app is not configured with the appropriate oauth1 app permissions for this "
    "endpoint."))


def _edit(client, channel, **changes):
    data = {"name": channel.name, "kind": channel.kind, "chat_id": channel.chat_id,
            "active": "on", "institution": channel.institution_id, **EMPTY_SLOTS, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(reverse("wagtailsnippets_campaigns_channel:edit", args=[channel.pk]), data)


def test_saving_a_read_only_x_channel_without_new_credentials_keeps_it_flagged(
        officer, officer_client, x_channel, fake_x):
    """Renaming the channel (its stored token kept) or typing the same token again is no new
    token: X still refuses to let it post, so the channel stays flagged and its held posts stay
    held, instead of going out to be refused and e-mailed again."""
    fake_x.script(X_SEND, READ_ONLY, times=10)
    first = publish_post(officer, [x_channel], text="Primera").deliveries.get()
    assert delivery.perform(first.pk) == "failed"
    held = publish_post(officer, [x_channel], text="Segunda").deliveries.get()

    response = _edit(officer_client, x_channel, name="X del INFOEM")
    assert response.status_code == 302
    channel = Channel.objects.get(pk=x_channel.pk)
    assert channel.name == "X del INFOEM"
    assert channel.health == ChannelHealth.FAILING and channel.needs_new_credentials
    assert "permiso" in channel.health_error

    again = _edit(officer_client, channel, name="X INFOEM", **dict(X_KEYS))  # the same token
    assert again.status_code == 200
    assert "mismas credenciales con las que la red no permite publicar" in again.content.decode()
    channel = Channel.objects.get(pk=x_channel.pk)
    assert channel.name == "X del INFOEM"  # nothing saved
    assert channel.health == ChannelHealth.FAILING and channel.needs_new_credentials
    assert delivery.perform(held.pk) == "skipped"
    assert fake_x.count(X_SEND) == 1

    fake_x.unscript(X_SEND)  # write permission given, and a new token made
    new_token = {**dict(X_KEYS), "access_token": "nuevo-token", "access_token_secret": "nuevo"}
    assert _edit(officer_client, channel, **new_token).status_code == 302
    channel = Channel.objects.get(pk=x_channel.pk)
    assert channel.health == ChannelHealth.OK and not channel.needs_new_credentials



def _calendar_entries(client, day, post, **params):
    body = client.get(reverse("campaigns_calendar"),
                      {"fecha": day.isoformat(), **params}).content.decode()
    return body.count(f'data-post="{post.pk}"')


def test_an_unpublished_post_is_one_entry_of_the_calendar_not_two(officer, officer_client,
                                                                    infoem, tg_channel):
    """Unpublishing a scheduled post cancels its deliveries and leaves it a draft at the same
    send time: the calendar drew it twice, «Cancelada» and «Borrador», and counted it twice
    in a busy day's «+N más». A post sent and then unpublished was drawn «Enviada» and
    «Borrador» alike."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from campaigns.enums import DeliveryState
    from campaigns.sendtime import MEXICO_CITY

    day = (timezone.now().astimezone(MEXICO_CITY) + timedelta(days=2)).date()
    when = datetime(day.year, day.month, day.day, 11, 0, tzinfo=MEXICO_CITY)
    withdrawn = publish_post(officer, [tg_channel], title="Retirada", institution=infoem,
                             publish_at=when)
    withdrawn.unpublish(user=officer)
    sent = publish_post(officer, [tg_channel], title="Enviada y retirada", institution=infoem,
                        publish_at=when + timedelta(minutes=5))
    sent.deliveries.update(state=DeliveryState.SENT, attempts=1)
    sent.unpublish(user=officer)
    for view in ("mes", "semana"):
        assert _calendar_entries(officer_client, day, withdrawn, vista=view) == 1, view
        assert _calendar_entries(officer_client, day, sent, vista=view) == 1, view
    body = officer_client.get(reverse("campaigns_calendar"), {"fecha": day.isoformat()}
                              ).content.decode()
    states = dict((int(pk), state) for state, pk in re.findall(
        r'class="enlace-entry state-(\w+)[^>]*data-post="(\d+)"', body))
    assert states == {withdrawn.pk: "draft", sent.pk: "sent"}  # the first may go out again
