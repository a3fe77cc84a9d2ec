"""An officer who moves to another institution (their StaffProfile now names it) no longer acts
on the posts they wrote for the one they left: those go out on the old institution's
channels, which are its officers' now. Posts of no institution (the SNT's) stay their
author's, as before."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from campaigns import planning
from campaigns.models import Post
from campaigns.sendtime import MEXICO_CITY

from .factories import make_channel, publish_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(officer, infoem, itei):
    """A post the officer scheduled for INFOEM, then the officer moves to ITEI."""
    channel = make_channel("telegram", infoem, name="Canal del INFOEM")
    when = timezone.now() + timedelta(days=3)
    post = publish_post(officer, [channel], text="Aviso programado del INFOEM",
                        institution=infoem, publish_at=when)
    profile = officer.staff_profile
    profile.institution = itei
    profile.save()
    officer.refresh_from_db()
    return post


def test_the_post_is_out_of_the_moved_officers_scope(officer, moved):
    assert not officer.has_perm("campaigns.act_on_post", moved)
    assert not officer.has_perm("campaigns.reschedule_post", moved)
    assert not Post.objects.in_scope_of(officer).filter(pk=moved.pk).exists()


def test_the_moved_officer_cannot_open_move_or_delete_it(client, officer, moved):
    client.force_login(officer)
    for url in (f"/admin/snippets/campaigns/post/edit/{moved.pk}/",
                f"/admin/snippets/campaigns/post/delete/{moved.pk}/",
                f"/admin/campanas/publicaciones/{moved.pk}/informe/",
                f"/admin/campanas/publicaciones/{moved.pk}/reprogramar/"):
        assert client.get(url).status_code in (302, 403, 404), url
    due = moved.publish_at
    new_day = (due + timedelta(days=1)).astimezone(MEXICO_CITY).date().isoformat()
    client.post(f"/admin/campanas/publicaciones/{moved.pk}/reprogramar/", {"fecha": new_day})
    client.post(f"/admin/snippets/campaigns/post/delete/{moved.pk}/")
    moved.refresh_from_db()
    assert moved.publish_at == due
    with pytest.raises(planning.RescheduleRefused):
        planning.reschedule(officer, moved, due + timedelta(days=1))


def test_the_api_no_longer_shows_it(officer, moved):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer).key}")
    assert api.get(f"/api/posts/{moved.pk}/").status_code == 404
    assert moved.pk not in [p["id"] for p in api.get("/api/posts/").json()]


def test_the_old_institutions_officers_still_act_on_it(moved, infoem):
    from network.models import StaffProfile
    from network.rules import COMMUNICATIONS
    from tests.factories import UserFactory

    successor = UserFactory(username="sucesora", groups=[COMMUNICATIONS])
    StaffProfile.objects.create(user=successor, institution=infoem)
    assert successor.has_perm("campaigns.act_on_post", moved)


def test_a_post_of_no_institution_stays_its_authors(officer, moved):
    snt = make_channel("telegram", None, name="Canal del SNT")
    own = Post(title="Del SNT", text="Texto", author=officer, institution=None)
    own.save()
    own.channels.set([snt])
    assert officer.has_perm("campaigns.act_on_post", own)


def test_replaying_an_idempotency_key_does_not_show_the_post_again(officer, infoem, itei):
    from campaigns.models import Channel

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer).key}")
    make_channel("telegram", infoem, name="Canal del INFOEM")
    make_channel("telegram", itei, name="Canal del ITEI")
    infoem_channel = Channel.objects.get(name="Canal del INFOEM")
    body = {"text": "Aviso del INFOEM con clave", "channels": [infoem_channel.pk]}
    first = api.post("/api/posts/", body, format="json", HTTP_IDEMPOTENCY_KEY="clave-1")
    assert first.status_code == 201
    profile = officer.staff_profile
    profile.institution = itei
    profile.save()
    itei_channel = Channel.objects.get(name="Canal del ITEI")
    again = api.post("/api/posts/", {"text": "Otro aviso", "channels": [itei_channel.pk]},
                     format="json", HTTP_IDEMPOTENCY_KEY="clave-1")
    assert again.status_code == 404
    assert "Aviso del INFOEM" not in again.content.decode()
    assert Post.objects.filter(client_key="clave-1").count() == 1
