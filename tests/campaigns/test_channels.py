"""Checking and connecting a channel: the admin form, the API and the periodic check agree."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from campaigns.channels import check_all, probe
from campaigns.connectors import CredentialsError
from campaigns.enums import ChannelHealth
from campaigns.models import Channel

from .factories import EMPTY_SLOTS, TG_TOKEN, ChannelFactory

ADD = reverse("wagtailsnippets_campaigns_channel:add")


def _assert_checked(channel):
    channel.refresh_from_db()
    assert channel.health == ChannelHealth.OK
    assert channel.health_checked_at is not None
    assert channel.handle.startswith("@snt_bot")
    assert channel.get_credentials() == {"bot_token": TG_TOKEN}


def test_the_admin_form_records_the_check(coordinator_client, fake_telegram, infoem):
    response = coordinator_client.post(ADD, {"name": "Canal", "kind": "telegram", "institution": infoem.pk,
                                             "chat_id": "@infoem", "bot_token": TG_TOKEN, "active": "on",
                                             **EMPTY_SLOTS})
    assert response.status_code == 302
    _assert_checked(Channel.objects.get())


def test_the_api_records_the_check(coordinator, fake_telegram):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=coordinator).key)
    response = client.post("/api/channels/", {"name": "Canal", "kind": "telegram", "chat_id": "@snt",
                                              "credentials": {"bot_token": TG_TOKEN}}, format="json")
    assert response.status_code == 201, response.json()
    _assert_checked(Channel.objects.get())


def test_the_periodic_check_records_the_check(db, fake_telegram):
    channel = ChannelFactory(health=ChannelHealth.UNCHECKED, handle="")
    assert check_all() == 1
    _assert_checked(channel)


def test_refused_credentials_flag_the_channel_and_record_when(db, fake_telegram):
    channel = ChannelFactory(sealed={"bot_token": "999:revoked"})
    with pytest.raises(CredentialsError):
        probe(channel)
    channel.refresh_from_db()
    assert channel.health == ChannelHealth.FAILING and channel.health_checked_at is not None


def test_an_x_channel_with_empty_credentials_is_refused_in_spanish(coordinator_client, fake_x):
    response = coordinator_client.post(ADD, {"name": "X vacío", "kind": "x", "active": "on",
                                             "consumer_key": "", "consumer_secret": "",
                                             "access_token": "", "access_token_secret": "", **EMPTY_SLOTS})
    assert response.status_code == 200
    assert "Este dato es obligatorio para conectar el canal" in response.content.decode()
    assert not Channel.objects.exists()


def test_the_api_refuses_missing_credentials_without_a_500(coordinator, fake_x):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=coordinator).key)
    response = client.post("/api/channels/", {"name": "X", "kind": "x", "credentials": {}}, format="json")
    assert response.status_code == 400
    assert "Faltan datos para conectar el canal" in response.json()["credentials"][0]
    assert not Channel.objects.exists()


def test_the_credential_fields_come_from_the_connectors(coordinator_client):
    from campaigns.connectors import all_connectors

    page = coordinator_client.get(ADD).content.decode()
    for connector in all_connectors():
        for declared in connector.credential_fields:
            assert f'name="{declared.name}"' in page
