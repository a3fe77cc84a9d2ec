"""The send time is typed and shown in Mexico City time and never replaced by a guess."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from campaigns.models import Post
from campaigns.sendtime import MEXICO_CITY, in_words, parse

from .factories import ADD, post_form, publish_post


def _tomorrow_at(hour, minute=0):
    day = (timezone.now().astimezone(MEXICO_CITY) + timedelta(days=1)).date()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MEXICO_CITY)


@pytest.mark.parametrize("typed", ["{d:%d/%m/%Y} 15:30", "{d:%Y-%m-%d} 15:30", "{d:%Y-%m-%d}T15:30",
                                   "{d:%d/%m/%Y} 3:30 pm", "{d:%d/%m/%Y} 3:30 p. m.",
                                   # what the words under the field already read as 15:30
                                   "{d:%d/%m/%Y}T15:30", "{d:%d-%m-%Y} 3:30 pm",
                                   "{d:%d/%m/%Y} 3:30:00 pm"])
def test_what_the_officer_types_is_kept_as_mexico_city_time(officer_client, tg_channel, typed):
    when = _tomorrow_at(15, 30)
    response = officer_client.post(ADD, {**post_form([tg_channel], publish_at=typed.format(d=when)),
                                         "action-publish": "publish"}, follow=True)
    post = Post.objects.get()
    assert post.publish_at == when
    assert post.deliveries.get().due_at == when
    assert "hora del centro de México" in response.content.decode()


@pytest.mark.parametrize("typed", ["3:30 pm", "mañana a las 3", "31/02/2027 10:00", "26/11/2026",
                                   "15:30", "2026-11-26 25:00"])
def test_a_time_that_cannot_be_read_is_refused_not_replaced(officer_client, tg_channel, typed):
    response = officer_client.post(ADD, {**post_form([tg_channel], publish_at=typed),
                                         "action-publish": "publish"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "No se reconoce" in body and "hora del centro de México" in body
    assert not Post.objects.exists()


def test_a_user_with_another_time_zone_still_types_mexico_city_time(officer_client, officer,
                                                                    tg_channel):
    profile = UserProfile.get_for_user(officer)
    profile.current_time_zone = "America/Tijuana"
    profile.save()
    when = _tomorrow_at(9, 15)
    officer_client.post(ADD, {**post_form([tg_channel], publish_at=f"{when:%d/%m/%Y %H:%M}"),
                              "action-publish": "publish"})
    post = Post.objects.get()
    assert post.publish_at == when
    edit = officer_client.get(reverse("wagtailsnippets_campaigns_post:edit", args=[post.pk]))
    assert f'value="{when:%d/%m/%Y} 09:15"' in edit.content.decode()


def test_listings_show_future_send_times_as_dates(officer_client, officer, tg_channel):
    when = _tomorrow_at(18, 45)
    publish_post(officer, [tg_channel], title="Mañana", publish_at=when)
    listing = officer_client.get(reverse("wagtailsnippets_campaigns_post:list")).content.decode()
    assert f"{when:%d/%m/%Y} 18:45" in listing
    assert "Justo ahora" not in listing and "Just now" not in listing


def test_the_send_time_in_words():
    from django.utils import translation

    with translation.override("es-mx"):
        assert in_words(parse("26/11/2026 15:30")) in (
            "Se enviará el jueves 26 de noviembre a las 15:30, hora del centro de México.",
            "Se enviará el jueves 26 de noviembre de 2026 a las 15:30, hora del centro de México.")
        assert in_words(None) == "Se enviará en cuanto se publique."
