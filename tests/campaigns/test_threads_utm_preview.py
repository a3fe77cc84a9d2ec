"""X threads, UTM parameters on the institution's own links, and the per-network preview."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import delivery, rendering
from campaigns.connectors.x import XConnector
from campaigns.devtools.fake_networks import Fault
from campaigns.enums import DeliveryState
from campaigns.models import Delivery
from campaigns.text import Utm, compose_parts, split_parts

from .factories import ADD, CampaignFactory, make_channel, post_form, publish_post

THREAD = "Primera parte del hilo.\n---\nSegunda parte: qué es un garante.\n\n---\nTercera parte."
PREVIEW_ADD = reverse("wagtailsnippets_campaigns_post:preview_on_add")


# --- Composing ----------------------------------------------------------------------------------

def test_a_line_of_dashes_splits_a_thread_and_empty_parts_are_dropped():
    assert split_parts("uno\n---\n\n----\ndos\n  ---  \ntres") == ["uno", "dos", "tres"]
    assert split_parts("sin hilo --- aquí") == ["sin hilo --- aquí"]
    assert split_parts("uno\r\n---\r\ndos") == ["uno", "dos"]  # as a browser sends a textarea


def test_on_x_the_link_and_hashtags_go_with_the_first_part_and_telegram_gets_one_message():
    x = compose_parts(THREAD, kind="x", link="https://snt.org.mx/a", tags=["datos abiertos"])
    assert x == ["Primera parte del hilo.\n\nhttps://snt.org.mx/a\n\n#SNT #DatosAbiertos",
                 "Segunda parte: qué es un garante.", "Tercera parte."]
    [telegram] = compose_parts(THREAD, kind="telegram", link="https://snt.org.mx/a")
    assert telegram == ("Primera parte del hilo.\n\nSegunda parte: qué es un garante.\n\n"
                        "Tercera parte.\n\nhttps://snt.org.mx/a\n\n#SNT")


def test_utm_tags_only_own_domains_and_keeps_what_the_link_had():
    utm = Utm(source="x", campaign="dia-del-acceso", domains=frozenset({"infoem.org.mx"}))
    text = ("Vea https://www.infoem.org.mx/avisos?id=7#inicio y http://sub.infoem.org.mx/ y "
            "https://infoem.org.mx/b?utm_source=boletin y https://inai.org.mx/c?id=1.")
    assert utm.apply(text) == (
        "Vea https://www.infoem.org.mx/avisos?id=7&utm_source=x&utm_medium=social&"
        "utm_campaign=dia-del-acceso#inicio y http://sub.infoem.org.mx/?utm_source=x&"
        "utm_medium=social&utm_campaign=dia-del-acceso y https://infoem.org.mx/b?utm_source=boletin"
        "&utm_medium=social&utm_campaign=dia-del-acceso y https://inai.org.mx/c?id=1.")
    assert utm.tag("https://infoem.org.mx.evil.com/") == "https://infoem.org.mx.evil.com/"
    assert utm.tag("https://[::1/") == "https://[::1/"  # unreadable: left alone, no error


def test_each_channel_gets_its_network_as_source_and_the_campaign_slug(officer, infoem, x_channel,
                                                                       tg_channel):
    infoem.website = "https://www.infoem.org.mx"
    infoem.save()
    campaign = CampaignFactory(name="Día del Acceso 2026", institution=infoem)
    post = publish_post(officer, [x_channel, tg_channel], text="Más en https://infoem.org.mx/dia",
                        institution=infoem, campaign=campaign, link="https://inai.org.mx/x")
    assert "https://infoem.org.mx/dia?utm_source=x&utm_medium=social&utm_campaign=dia-del-acceso-2026" \
        in rendering.composed_text(post, x_channel)
    assert "utm_source=telegram" in rendering.composed_text(post, tg_channel)
    assert "https://inai.org.mx/x\n" in rendering.composed_text(post, x_channel)  # not ours
    post.utm_tracking = False
    assert "utm_" not in rendering.composed_text(post, x_channel)
    post.campaign = None
    post.utm_tracking = True
    assert "utm_campaign=enlace" in rendering.composed_text(post, x_channel)


def test_a_part_over_280_is_refused_naming_the_part(officer_client, x_channel):
    text = "Corta.\n---\n" + "a" * 290
    response = officer_client.post(ADD, {**post_form([x_channel], text=text),
                                         "action-publish": "publish"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "La parte 2 de 2 del hilo" in body and "por 10" in body
    assert not Delivery.objects.exists()


def test_a_thread_whose_parts_each_fit_is_accepted(officer_client, x_channel):
    text = "\n---\n".join(["b" * 270, "c" * 280, "d" * 280])  # 840 characters in all
    response = officer_client.post(ADD, {**post_form([x_channel], text=text),
                                         "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Delivery.objects.count() == 1


# --- Sending a thread ---------------------------------------------------------------------------

def _chain(fake_x):
    return [(t["text"], t["in_reply_to"]) for t in fake_x.tweets]


def test_a_thread_goes_out_in_order_each_part_answering_the_previous(
        officer, x_channel, tg_channel, fake_x, fake_telegram):
    post = publish_post(officer, [x_channel, tg_channel], text=THREAD)
    for pk in post.deliveries.values_list("pk", flat=True):
        assert delivery.perform(pk) == "sent"
    first, second, third = fake_x.tweets
    assert _chain(fake_x) == [("Primera parte del hilo.\n\n#SNT", None),
                              ("Segunda parte: qué es un garante.", first["id"]),
                              ("Tercera parte.", second["id"])]
    d = post.deliveries.get(channel=x_channel)
    assert d.part_ids == [first["id"], second["id"], third["id"]]
    assert d.external_url.endswith(f"/status/{first['id']}")
    [message] = fake_telegram.messages  # Telegram: the whole text, one message
    assert "Primera parte" in message["text"] and "Tercera parte." in message["text"]
    assert "---" not in message["text"]


class WorkerKilled(BaseException):
    """The worker process dying (nothing in the delivery engine catches it)."""


def test_a_worker_killed_between_parts_resumes_after_the_last_part_out(
        officer, x_channel, fake_x, monkeypatch):
    real = XConnector.publish
    calls = []

    def dies_before_the_second_part(self, channel, text, images, before_send, reply_to=None):
        calls.append(text)
        if len(calls) == 2:
            raise WorkerKilled
        return real(self, channel, text, images, before_send, reply_to=reply_to)

    monkeypatch.setattr(XConnector, "publish", dies_before_the_second_part)
    post = publish_post(officer, [x_channel], text=THREAD)
    d = post.deliveries.get()
    with pytest.raises(WorkerKilled):
        delivery.perform(d.pk)
    d.refresh_from_db()
    assert d.state == DeliveryState.SENDING and d.part_ids == [fake_x.tweets[0]["id"]]
    monkeypatch.setattr(XConnector, "publish", real)
    # The sweeper sees no request in flight: back to pending, not uncertain.
    assert delivery.sweep(timezone.now() + timedelta(hours=1))["returned"] == 1
    assert delivery.perform(d.pk) == "sent"
    first, second, _third = fake_x.tweets
    assert len(fake_x.tweets) == 3 and fake_x.count("POST /2/tweets") == 3
    assert [t["in_reply_to"] for t in fake_x.tweets] == [None, first["id"], second["id"]]


def test_a_part_whose_answer_was_lost_is_found_and_the_thread_continues_without_repeating(
        officer, x_channel, fake_x, settings):
    settings.ENLACE_NETWORK_READ_TIMEOUT = 1
    fake_x.every("POST /2/tweets", 2, Fault(lose_answer=True))  # part 2 is out, its answer lost
    post = publish_post(officer, [x_channel], text=THREAD)
    d = post.deliveries.get()
    assert delivery.perform(d.pk) == "uncertain"
    d.refresh_from_db()
    assert d.state == DeliveryState.UNCERTAIN and len(d.part_ids) == 1
    assert delivery.verify_uncertain(d.pk) == "found"
    d.refresh_from_db()
    assert d.state == DeliveryState.PENDING and len(d.part_ids) == 2
    assert delivery.perform(d.pk) == "sent"
    first, second, third = fake_x.tweets
    assert [t["in_reply_to"] for t in fake_x.tweets] == [None, first["id"], second["id"]]
    d.refresh_from_db()
    assert d.part_ids == [first["id"], second["id"], third["id"]]


# --- The preview --------------------------------------------------------------------------------

def _preview(client, data, mode, url=PREVIEW_ADD):
    answer = client.post(url, data)
    assert answer.status_code == 200
    state = json.loads(answer.content)
    return state, client.get(url, {"mode": mode})


def test_the_preview_shows_each_part_with_its_count_and_the_card_of_an_own_page(
        officer_client, x_channel, site):
    home = site.specific
    home.search_description = "El portal del Sistema Nacional de Transparencia."
    home.save_revision().publish()
    data = post_form([x_channel], text="Hola\n---\n" + "a" * 290, link="http://localhost/",
                     utm_tracking="on")
    state, page = _preview(officer_client, data, "x")
    assert state["is_valid"]  # too long still previews, saying by how much
    html = page.content.decode()
    assert "Hilo de 2 partes" in html
    assert "290 / 280" in html and "excede por 10 caracteres" in html
    assert 'title="http://localhost/?utm_source=x&amp;utm_medium=social' in html  # as sent
    assert ">localhost/?utm_source=x&amp;u…<" in html  # shortened as X shows it
    assert "El portal del Sistema Nacional de Transparencia." in html
    assert 'class="pv-card"' in html


def test_the_telegram_preview_of_an_external_link_shows_the_domain_only(officer_client, tg_channel):
    data = post_form([tg_channel], text="Uno\n---\nDos", link="https://www.inai.org.mx/informe")
    state, page = _preview(officer_client, data, "telegram")
    html = page.content.decode()
    assert state["is_valid"]
    assert '<span class="pv-site">inai.org.mx</span>' in html
    assert "Uno\n\nDos" in html and "Hilo" not in html
    assert "4096" in html


def test_the_preview_without_a_channel_of_that_network_says_so(officer_client, tg_channel):
    _state, page = _preview(officer_client, post_form([tg_channel], text="Hola"), "x")
    assert "No eligió ningún canal de X" in page.content.decode()


def test_another_institutions_channel_cannot_be_previewed(officer_client, itei):
    foreign = make_channel("x", itei)
    state, _page = _preview(officer_client, post_form([foreign], text="Hola"), "x")
    assert state["is_valid"] is False


def test_another_institutions_post_preview_is_refused(other_officer_client, officer, x_channel):
    post = publish_post(officer, [x_channel], text="Solo INFOEM")
    url = reverse("wagtailsnippets_campaigns_post:preview_on_edit", args=[post.pk])
    answer = other_officer_client.post(url, post_form([x_channel], text="Otro texto"))
    assert answer.status_code in (302, 403, 404)
    assert "Solo INFOEM" not in other_officer_client.get(url, {"mode": "x"}).content.decode()


def test_the_report_links_to_the_preview_of_the_saved_post_which_works_without_javascript(
        officer_client, officer, x_channel):
    post = publish_post(officer, [x_channel], text="Uno\n---\nDos")
    report = officer_client.get(reverse("campaigns_post_report", args=[post.pk])).content.decode()
    url = reverse("wagtailsnippets_campaigns_post:revisions_view",
                  args=[post.pk, post.latest_revision_id])
    assert f'href="{url}?mode=x"' in report and f'href="{url}?mode=telegram"' in report
    html = officer_client.get(url, {"mode": "x"}).content.decode()
    assert "Hilo de 2 partes" in html and "Dos" in html
