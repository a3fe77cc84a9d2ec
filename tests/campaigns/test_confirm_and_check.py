"""A person confirming an uncertain delivery, and the connection check of a channel."""

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.enums import DeliveryState
from campaigns.models import Channel, Delivery

from .factories import make_channel, publish_post


def _uncertain(author, channel):
    post = publish_post(author, [channel])
    delivery = post.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.UNCERTAIN)
    return delivery


def _confirm(client, delivery, url):
    return client.post(reverse("campaigns_delivery_action", args=[delivery.pk, "confirmar"]),
                       {"external_url": url}, follow=True)


@pytest.mark.parametrize("url", [
    "javascript:alert(document.cookie)", "JavaScript:alert(1)", "data:text/html,<script>1</script>",
    "http://t.me/snt/5", "https://evil.example/t.me/snt/5", "https://t.me.evil.example/snt/5",
    "https://usuario@t.me/snt/5", "https://x.com/SNT/status/5", "//t.me/snt/5",
    "https://t.me:8443/snt/5"])
def test_confirming_refuses_any_link_but_https_of_the_channels_network(officer_client, officer,
                                                                       tg_channel, url):
    delivery = _uncertain(officer, tg_channel)
    response = _confirm(officer_client, delivery, url)
    assert "El enlace debe ser una dirección https de Telegram" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.UNCERTAIN and delivery.external_url == ""


@pytest.mark.parametrize("kind, url", [("telegram", "https://t.me/snt_canal/5"),
                                       ("x", "https://x.com/SNT_mx/status/1861"),
                                       ("x", "https://twitter.com/SNT_mx/status/1861"),
                                       ("x", "https://www.x.com/SNT_mx/status/1861")])
def test_confirming_accepts_the_networks_own_links(officer_client, officer, infoem, kind, url):
    delivery = _uncertain(officer, make_channel(kind, infoem))
    _confirm(officer_client, delivery, url)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.external_url == url


def test_confirming_without_a_link_is_still_possible(officer_client, officer, tg_channel):
    delivery = _uncertain(officer, tg_channel)
    _confirm(officer_client, delivery, "")
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


def test_the_connection_check_is_never_run_by_a_get(coordinator_client, tg_channel, fake_telegram):
    url = reverse("campaigns_test_channel", args=[tg_channel.pk])
    response = coordinator_client.get(url)
    assert response.status_code == 200 and "Probar conexión ahora" in response.content.decode()
    assert fake_telegram.count("getMe") == 0
    Channel.objects.filter(pk=tg_channel.pk).update(health_checked_at=None)
    coordinator_client.get(url)
    assert Channel.objects.get(pk=tg_channel.pk).health_checked_at is None


def test_the_connection_check_needs_the_csrf_token(coordinator, tg_channel, fake_telegram):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(reverse("campaigns_test_channel", args=[tg_channel.pk]))
    assert response.status_code == 403
    assert Channel.objects.get(pk=tg_channel.pk).health_checked_at is None
