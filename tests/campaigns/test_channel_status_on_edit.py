"""The channel's own edit page says what is wrong with its connection, where the officer
types the new credentials (not only the listing and the home panel)."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from campaigns.channels import flag_channel
from campaigns.enums import ChannelHealth
from campaigns.models import Channel


def _page(client, channel) -> str:
    response = client.get(reverse("wagtailsnippets_campaigns_channel:edit", args=[channel.pk]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_channel_that_needs_new_credentials_says_so_on_its_edit_page(officer_client, x_channel):
    flag_channel(x_channel, "X no permite publicar con este token: solo tiene permiso de lectura.",
                 needs_new_credentials=True)
    html = _page(officer_client, x_channel)
    assert "La red no permite publicar con estas credenciales" in html
    assert "solo tiene permiso de lectura" in html  # the network's own reason


def test_a_failing_channel_shows_its_last_error_and_when_in_mexico_city_time(officer_client, tg_channel):
    checked = dt.datetime(2026, 11, 28, 1, 30, tzinfo=dt.UTC)  # 27/11 19:30 in Mexico City
    Channel.objects.filter(pk=tg_channel.pk).update(
        health=ChannelHealth.FAILING, health_error="Telegram respondió: Unauthorized",
        health_checked_at=checked)
    html = _page(officer_client, tg_channel)
    assert "La última prueba de la conexión falló" in html
    assert "Telegram respondió: Unauthorized" in html
    assert "27/11/2026 19:30" in html


def test_a_paused_channel_says_until_when(officer_client, tg_channel):
    until = timezone.now() + dt.timedelta(hours=2)
    Channel.objects.filter(pk=tg_channel.pk).update(health=ChannelHealth.OK, paused_until=until)
    html = _page(officer_client, tg_channel)
    local = timezone.localtime(until)
    assert "En pausa hasta el " + local.strftime("%d/%m/%Y %H:%M") in html


def test_a_working_channel_shows_no_warning(officer_client, tg_channel):
    Channel.objects.filter(pk=tg_channel.pk).update(health=ChannelHealth.OK)
    html = _page(officer_client, tg_channel)
    assert "La red no permite publicar" not in html
    assert "falló" not in html and "En pausa hasta" not in html
