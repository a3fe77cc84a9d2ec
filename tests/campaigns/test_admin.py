"""Composing, approving and following posts in the Wagtail admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import ChannelHealth, DeliveryState
from campaigns.models import Channel, Delivery, Post

from .factories import ADD, EMPTY_SLOTS, make_channel, post_form, publish_post


def test_officer_publishes_to_own_channel_and_deliveries_are_created(officer_client, tg_channel):
    response = officer_client.post(ADD, {**post_form([tg_channel]), "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:3000]
    post = Post.objects.get()
    assert post.live and post.author.username == "oficial-infoem"
    assert post.institution.acronym == "INFOEM"
    assert post.deliveries.get().state == DeliveryState.PENDING


def test_text_over_the_x_limit_is_refused_saying_by_how_much(officer_client, x_channel):
    response = officer_client.post(ADD, {**post_form([x_channel], text="a" * 280),
                                         "action-publish": "publish"})
    assert response.status_code == 200
    assert "excede el límite de X" in response.content.decode()
    assert "por 6" in response.content.decode()  # 280 + "\n\n#SNT" = 286
    assert not Post.objects.exists()


def test_a_send_time_in_the_past_is_refused(officer_client, tg_channel):
    past = (timezone.localtime() - timedelta(days=1)).strftime("%d/%m/%Y %H:%M")
    response = officer_client.post(ADD, {**post_form([tg_channel], publish_at=past),
                                         "action-publish": "publish"})
    assert "ya pasó" in response.content.decode()
    assert not Post.objects.exists()


def test_another_institutions_channel_is_not_even_offered(officer_client, itei):
    other = make_channel("telegram", itei, name="Canal ajeno")
    response = officer_client.post(ADD, {**post_form([other]), "action-publish": "publish"})
    assert "opción válida" in response.content.decode()
    assert not Post.objects.exists()


def test_snt_channel_posts_need_coordination_approval(officer_client, officer, coordinator, client):
    snt = make_channel("x", None, name="X del SNT")
    response = officer_client.post(ADD, {**post_form([snt]), "action-publish": "publish"})
    assert "requieren la aprobación de Coordinación" in response.content.decode()
    assert not Post.objects.exists()
    response = officer_client.post(ADD, {**post_form([snt]), "action-submit": "submit"})
    assert response.status_code == 302
    post = Post.objects.get()
    assert not post.live and post.workflow_in_progress
    assert not Delivery.objects.exists()
    # Coordinación approves the task in Wagtail's workflow: the post goes live and is scheduled.
    task_state = post.current_workflow_task_state
    task_state.task.specific.on_action(task_state, coordinator, "approve")
    post.refresh_from_db()
    assert post.live
    assert Delivery.objects.get().channel == snt


def test_identical_text_on_two_x_accounts_is_refused(coordinator_client, infoem, itei):
    a, b = make_channel("x", infoem), make_channel("x", itei)
    response = coordinator_client.post(ADD, {**post_form([a, b]), "action-publish": "publish"})
    assert "X prohíbe publicar el mismo texto en varias cuentas" in response.content.decode()
    assert not Post.objects.exists()


def test_a_channel_with_a_failing_token_cannot_be_scheduled(officer_client, tg_channel):
    Channel.objects.filter(pk=tg_channel.pk).update(health=ChannelHealth.FAILING,
                                                    health_error="Token revocado")
    response = officer_client.post(ADD, {**post_form([tg_channel]), "action-publish": "publish"})
    assert "Token revocado" in response.content.decode()
    assert not Post.objects.exists()


CHANNEL_ADD = reverse("wagtailsnippets_campaigns_channel:add")
TG_CHANNEL_DATA = {"name": "Canal INFOEM", "kind": "telegram", "chat_id": "@infoem", "active": "on",
                   **EMPTY_SLOTS}


def test_a_channel_whose_token_the_network_refuses_is_not_saved(coordinator_client, fake_telegram,
                                                                infoem):
    response = coordinator_client.post(CHANNEL_ADD, {**TG_CHANNEL_DATA, "institution": infoem.pk,
                                                     "bot_token": "999:wrong"})
    assert "Telegram rechazó el token del bot" in response.content.decode()
    assert not Channel.objects.exists()


def test_a_channel_is_checked_when_saved(coordinator_client, fake_telegram, infoem):
    response = coordinator_client.post(CHANNEL_ADD, {**TG_CHANNEL_DATA, "institution": infoem.pk,
                                                     "bot_token": "123:valid"})
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.health == ChannelHealth.OK and channel.handle.startswith("@snt_bot")


def test_credentials_are_sealed_and_never_shown_again(coordinator_client, fake_telegram, infoem):
    coordinator_client.post(CHANNEL_ADD, {**TG_CHANNEL_DATA, "institution": infoem.pk,
                                          "bot_token": "123:valid"})
    channel = Channel.objects.get()
    assert "123:valid" not in channel.credentials  # encrypted at rest
    edit = coordinator_client.get(reverse("wagtailsnippets_campaigns_channel:edit", args=[channel.pk]))
    assert "123:valid" not in edit.content.decode()


def test_officer_sees_only_own_channels_and_posts(officer_client, coordinator, itei, tg_channel):
    other = make_channel("telegram", itei, name="Canal del ITEI")
    publish_post(coordinator, [other], title="Del ITEI")
    listing = officer_client.get(reverse("wagtailsnippets_campaigns_channel:list")).content.decode()
    assert tg_channel.name in listing and "Canal del ITEI" not in listing
    edit = officer_client.get(reverse("wagtailsnippets_campaigns_channel:edit", args=[other.pk]))
    assert edit.status_code in (302, 403, 404)
    posts = officer_client.get(reverse("wagtailsnippets_campaigns_post:list")).content.decode()
    assert "Del ITEI" not in posts


@pytest.mark.parametrize("name, shows", [
    ("campaigns_calendar", "En el calendario"), ("campaigns_deliveries", "En el calendario"),
    ("campaigns_reach", "Por institución"), ("campaigns_api_token", "Generar token")])
def test_campaign_screens_render(officer_client, officer, tg_channel, name, shows):
    publish_post(officer, [tg_channel], title="En el calendario")
    response = officer_client.get(reverse(name))
    assert response.status_code == 200
    assert shows in response.content.decode()


def test_calendar_week_view_and_filters(officer_client, officer, tg_channel):
    publish_post(officer, [tg_channel], title="Semana", publish_at=timezone.now() + timedelta(hours=1))
    day = timezone.localdate().isoformat()
    body = officer_client.get(reverse("campaigns_calendar"),
                              {"vista": "semana", "fecha": day, "canal": tg_channel.pk}).content.decode()
    assert "Semana" in body


def test_uncertain_delivery_is_confirmed_or_resent_by_a_person(officer_client, officer, tg_channel):
    post = publish_post(officer, [tg_channel])
    delivery = post.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.UNCERTAIN)
    url = reverse("campaigns_delivery_action", args=[delivery.pk, "reenviar"])
    assert officer_client.post(url).status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.resolved_by == officer
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.UNCERTAIN)
    officer_client.post(reverse("campaigns_delivery_action", args=[delivery.pk, "confirmar"]),
                        {"external_url": "https://t.me/snt/5"})
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.external_url == "https://t.me/snt/5"


def test_the_post_listing_links_to_the_delivery_report(coordinator_client, coordinator, tg_channel):
    post = publish_post(coordinator, [tg_channel], title="Con informe")
    posts = coordinator_client.get(reverse("wagtailsnippets_campaigns_post:list")).content.decode()
    assert reverse("campaigns_post_report", args=[post.pk]) in posts


def test_the_channel_listing_offers_the_connection_check(coordinator_client, tg_channel, fake_telegram):
    channels = coordinator_client.get(reverse("wagtailsnippets_campaigns_channel:list")).content.decode()
    check = reverse("campaigns_test_channel", args=[tg_channel.pk])
    assert check in channels
    response = coordinator_client.post(check, follow=True)
    assert "funciona" in response.content.decode()


def test_a_failing_connection_check_flags_the_channel(coordinator_client, tg_channel, fake_telegram):
    fake_telegram.tokens.clear()
    response = coordinator_client.post(reverse("campaigns_test_channel", args=[tg_channel.pk]),
                                       follow=True)
    assert "falló" in response.content.decode()
    tg_channel.refresh_from_db()
    assert tg_channel.health == ChannelHealth.FAILING


def test_republishing_a_sent_post_says_nothing_is_sent_again(officer_client, officer, tg_channel):
    post = publish_post(officer, [tg_channel], title="Ya salió")
    Delivery.objects.filter(post=post).update(state=DeliveryState.SENT)
    edit = reverse("wagtailsnippets_campaigns_post:edit", args=[post.pk])
    response = officer_client.post(edit, {**post_form([tg_channel], title="Ya salió"),
                                          "action-publish": "publish"}, follow=True)
    assert "los cambios no se vuelven a enviar" in response.content.decode()
    assert post.deliveries.count() == 1


def test_the_approval_message_names_the_button_the_editor_really_shows(officer_client):
    import html
    import re

    snt = make_channel("x", None, name="X del SNT")
    page = html.unescape(officer_client.post(
        ADD, {**post_form([snt]), "action-publish": "publish"}).content.decode())
    named = re.search(r"use «([^»]+)» en lugar de «Publicar»", page).group(1)
    buttons = {re.sub(r"<[^>]+>|\s+", " ", b).strip()
               for b in re.findall(r"<button[^>]*>(.*?)</button>", page, re.S)}
    assert named in buttons, (named, buttons)


def test_coordination_approving_in_the_editor_is_told_when_the_post_goes_out(
        officer_client, coordinator):
    """Approving from the editor said only «Se actualizó «Aviso» (Publicación)»: neither that
    it was approved nor when it will be sent. Publishing and submitting say the time in words;
    approving, which schedules it, says it too."""
    from django.test import Client

    from campaigns.sendtime import MEXICO_CITY

    snt = make_channel("x", None, name="X del SNT")
    when = (timezone.now() + timedelta(days=2)).astimezone(MEXICO_CITY)
    form = post_form([snt], publish_at=f"{when:%d/%m/%Y} 10:00")
    assert officer_client.post(ADD, {**form, "action-submit": "submit"}).status_code == 302
    post = Post.objects.get()
    coordination = Client()
    coordination.force_login(coordinator)
    edit = reverse("wagtailsnippets_campaigns_post:edit", args=[post.pk])
    response = coordination.post(edit, {**form, "action-workflow-action": "true",
                                        "workflow-action-name": "approve"}, follow=True)
    post.refresh_from_db()
    assert post.live and post.deliveries.count() == 1
    assert "Se enviará el" in response.content.decode() and "a las 10:00" in response.content.decode()


def test_publishing_a_post_the_editor_autosaved_says_it_was_published_not_updated(coordinator):
    """Wagtail saves a new post as a draft while it is being written (autosave), so «Publicar»
    reached the editor of an existing post and said «Se actualizó y publicó» for a post never
    sent nor seen before. Its first publication is told as such; the send time follows."""
    from django.test import Client

    client = Client()
    client.force_login(coordinator)
    snt = make_channel("x", None, name="X del SNT")
    form = post_form([snt])
    autosaved = client.post(ADD, form, HTTP_ACCEPT="application/json")
    assert autosaved.status_code == 200 and autosaved.json()["success"], autosaved.content[:500]
    post = Post.objects.get()
    assert not post.live
    edit = reverse("wagtailsnippets_campaigns_post:edit", args=[post.pk])
    response = client.post(edit, {**form, "action-publish": "publish"}, follow=True)
    said = [str(m).strip().splitlines()[0] for m in response.context["messages"]]
    assert said[0] == f"Se publicó «{post.title}»."
    assert said[1] == "Se enviará en cuanto se publique."
    # Publishing it again is an update, and says so.
    response = client.post(edit, {**form, "action-publish": "publish"}, follow=True)
    assert [str(m).strip() for m in response.context["messages"]][0].startswith("Se actualizó y publicó")


def test_the_new_post_editor_does_not_autosave_so_publishing_makes_one_post(officer_client,
                                                                           tg_channel):
    """An autosave of a new post creates it; one still on its way when «Publicar» was pressed
    made a second post (Chromium against the development server: the post, plus a copy «En
    borrador»). The editor of a new post has no autosave; a saved post's editor keeps it."""
    new = officer_client.get(ADD).content.decode()
    assert "data-w-autosave-interval-value" not in new
    response = officer_client.post(ADD, {**post_form([tg_channel]), "action-publish": "publish"})
    assert response.status_code == 302 and Post.objects.count() == 1
    post = Post.objects.get()
    edit = reverse("wagtailsnippets_campaigns_post:edit", args=[post.pk])
    assert "data-w-autosave-interval-value" in officer_client.get(edit).content.decode()


def test_the_listing_says_a_post_awaiting_approval_is_in_approval_not_a_draft(officer_client):
    """An officer sent a post for the SNT's channels to Coordinación's approval; the listing's
    «Envíos» column said «En borrador», as for a post nobody sent anywhere (the calendar said
    «En aprobación»)."""
    snt = make_channel("x", None, name="X del SNT")
    officer_client.post(ADD, {**post_form([snt]), "action-submit": "submit"})
    officer_client.post(ADD, {**post_form([snt], text="Otro aviso, todavía en preparación."),
                              "title": "Solo borrador"})
    listing = officer_client.get("/admin/snippets/campaigns/post/").content.decode()
    table = listing[listing.index("<tbody", listing.index('<table class="listing"')):]
    rows = {title: next(row for row in table.split("<tr")[1:] if title in row)
            for title in Post.objects.values_list("title", flat=True)}
    [submitted] = [t for t in rows if t != "Solo borrador"]
    assert "En aprobación" in rows[submitted] and "En borrador" not in rows[submitted]
    assert "En borrador" in rows["Solo borrador"]


def test_coordination_is_told_it_approved_or_asked_for_changes_not_that_it_updated(
        officer_client, coordinator):
    """Approving or asking for changes from the editor both said «Se actualizó «Aviso»
    (Publicación).», as a plain save does: Coordinación was not told what it had just done. And
    the post sent back with changes requested still read «En aprobación» to its author."""
    import re

    from django.test import Client

    from campaigns.sendtime import MEXICO_CITY

    snt = make_channel("x", None, name="X del SNT")
    coordination = Client()
    coordination.force_login(coordinator)
    said = {}
    when = (timezone.now() + timedelta(days=2)).astimezone(MEXICO_CITY)
    for title, action in (("Aprobada", "approve"), ("Con cambios", "reject")):
        form = post_form([snt], title=title, publish_at=f"{when:%d/%m/%Y} 10:00")
        assert officer_client.post(ADD, {**form, "action-submit": "submit"}).status_code == 302
        edit = reverse("wagtailsnippets_campaigns_post:edit",
                       args=[Post.objects.get(title=title).pk])
        response = coordination.post(edit, {**form, "action-workflow-action": "true",
                                            "workflow-action-name": action}, follow=True)
        said[action] = str(list(response.context["messages"])[0]).strip().splitlines()[0]
    assert said["approve"] == "Se aprobó «Aprobada»."
    assert said["reject"].startswith("Se pidieron cambios en «Con cambios»")
    assert Post.objects.get(title="Aprobada").live
    assert not Post.objects.get(title="Con cambios").live
    # The officer's listing says changes were asked for: not «En aprobación», not a draft.
    listing = officer_client.get(reverse("wagtailsnippets_campaigns_post:list")).content.decode()
    assert "Con cambios solicitados" in listing and "En aprobación" not in listing
    assert Post.objects.get(title="Con cambios").delivery_summary() == "Con cambios solicitados"
    # So does the calendar, on the day of its send time.
    day = Post.objects.get(title="Con cambios").publish_at.astimezone(MEXICO_CITY).date()
    month = officer_client.get(reverse("campaigns_calendar"), {"fecha": day.isoformat()})
    entry = re.search(r'class="enlace-entry state-(\w+)[^"]*"[^>]*>(?:(?!"enlace-entry ).)*?Con cambios',
                      month.content.decode(), re.S)
    assert entry and entry.group(1) == "changes"
    # And the API.
    from campaigns.api.serializers import PostSerializer
    assert PostSerializer(Post.objects.get(title="Con cambios")).data["status"] == "changes_requested"
