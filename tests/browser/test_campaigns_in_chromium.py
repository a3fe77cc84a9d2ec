"""An officer composes a post in real headless Chromium: live count, refusal, publish, send."""

import pytest

from campaigns import delivery
from campaigns.enums import DeliveryState
from campaigns.models import Post
from campaigns.text import x_weighted_length
from network.models import Institution, StaffProfile
from tests.browser.conftest import sign_in_to_admin
from tests.campaigns.factories import make_channel
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def publish(page):
    """The «Publicar» entry of Wagtail's action menu (in its dropdown)."""
    with page.expect_navigation():
        page.evaluate("document.querySelector(\"button[name='action-publish']\").click()")


def test_officer_composes_with_a_live_count_and_the_post_goes_out_once(
        page, live_server, reference_data, site, fake_x):
    infoem = Institution.objects.get(acronym="INFOEM")
    officer = UserFactory(username="oficial", groups=["Comunicación"])
    StaffProfile.objects.create(user=officer, institution=infoem)
    channel = make_channel("x", infoem, name="X de INFOEM")
    sign_in_to_admin(page, live_server.url, "oficial")
    page.goto(live_server.url + "/admin/snippets/campaigns/post/add/")
    page.fill("#id_title", "Semana de la transparencia")
    page.check(f"input[name=channels][value='{channel.pk}']")
    page.fill("#id_text", "a" * 280)
    counter = page.locator("#enlace-composer .enlace-count")
    assert "286 / 280" in counter.inner_text() and "excede por 6" in counter.inner_text()
    # The server refuses it too, saying by how much, and keeps what was typed.
    publish(page)
    assert "excede el límite de X" in page.content() and "por 6" in page.content()
    assert not Post.objects.exists()
    text = "Del 1 al 5 de diciembre, la Semana Nacional de Transparencia: https://snt.org.mx/semana"
    page.fill("#id_text", text)
    # The browser counts exactly as the server does (the URL weighs 23).
    assert f"X: {x_weighted_length(text + chr(10) * 2 + '#SNT')} / 280" in counter.inner_text()
    assert "#SNT" in page.locator("#enlace-composer .enlace-preview-body").inner_text()
    publish(page)
    post = Post.objects.get()
    assert post.live
    [pending] = post.deliveries.all()
    assert delivery.perform(pending.pk) == "sent"
    assert delivery.perform(pending.pk) == "skipped"
    assert [t["text"] for t in fake_x.tweets] == [text + "\n\n#SNT"]
    page.goto(live_server.url + f"/admin/campanas/publicaciones/{post.pk}/informe/")
    assert "Enviada" in page.content() and post.deliveries.get().state == DeliveryState.SENT


def test_send_time_is_mexico_city_time_in_a_browser_whose_clock_is_utc(
        browser, live_server, reference_data, site):
    """The field never replaces what was typed, reads it back in words, and a browser set to UTC
    schedules the post at the Mexico City time typed (not six hours late)."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from campaigns.sendtime import MEXICO_CITY

    infoem = Institution.objects.get(acronym="INFOEM")
    officer = UserFactory(username="oficial-utc", groups=["Comunicación"])
    StaffProfile.objects.create(user=officer, institution=infoem)
    channel = make_channel("telegram", infoem, name="Telegram de INFOEM")
    context = browser.new_context(locale="es-MX", timezone_id="UTC")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "UTC"
        sign_in_to_admin(page, live_server.url, "oficial-utc")
        page.goto(live_server.url + "/admin/snippets/campaigns/post/add/")
        page.fill("#id_title", "Foro de datos abiertos")
        page.check(f"input[name=channels][value='{channel.pk}']")
        page.fill("#id_text", "Foro de datos abiertos en el INFOEM.")
        words = page.locator("#enlace-send-time-words")
        assert words.inner_text() == "Se enviará en cuanto se publique."
        # A time the field cannot read is refused, in the page and by the server, and kept.
        page.fill("#id_publish_at", "3:30 pm")
        page.locator("#id_title").click()  # leave the field: nothing rewrites it
        assert page.input_value("#id_publish_at") == "3:30 pm"
        assert "No se reconoce" in words.inner_text()
        publish(page)
        assert "No se reconoce «3:30 pm»" in page.content()
        assert page.input_value("#id_publish_at") == "3:30 pm"
        assert not Post.objects.exists()
        # An ISO-looking time is read as typed, in Mexico City time, and said in words.
        day = (timezone.now().astimezone(MEXICO_CITY) + timedelta(days=1)).date()
        when = datetime(day.year, day.month, day.day, 15, 30, tzinfo=MEXICO_CITY)
        page.fill("#id_publish_at", f"{day:%Y-%m-%d} 15:30")
        page.locator("#id_title").click()
        assert page.input_value("#id_publish_at") == f"{day:%Y-%m-%d} 15:30"
        said = words.inner_text()
        assert said.startswith("Se enviará el ") and f" {day.day} de " in said
        assert said.endswith("a las 15:30, hora del centro de México.")
        publish(page)
        post = Post.objects.get()
        assert post.publish_at == when  # not now, not 03:30, not six hours late
        assert post.deliveries.get().due_at == when
        assert "a las 15:30, hora del centro de México" in page.content()
        page.goto(live_server.url + f"/admin/snippets/campaigns/post/edit/{post.pk}/")
        assert page.input_value("#id_publish_at") == f"{day:%d/%m/%Y} 15:30"
    finally:
        context.close()


def test_officer_drags_a_scheduled_post_to_another_day_in_the_calendar(
        page, live_server, reference_data, site):
    """In the week view a drop on an hour slot moves the post and its pending delivery to that
    day and hour (keeping the minutes); in the month view a drop on a day keeps the time; a
    drop the server refuses shows its Spanish message and moves nothing."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from campaigns.sendtime import MEXICO_CITY
    from tests.campaigns.factories import publish_post

    infoem = Institution.objects.get(acronym="INFOEM")
    officer = UserFactory(username="oficial-cal", groups=["Comunicación"])
    StaffProfile.objects.create(user=officer, institution=infoem)
    channel = make_channel("telegram", infoem, name="Telegram de INFOEM")
    today = timezone.now().astimezone(MEXICO_CITY).date()
    # Monday of next week: the whole week is in the future, whatever today is.
    monday = today + timedelta(days=7 - today.weekday())
    start = datetime(monday.year, monday.month, monday.day, 11, 45, tzinfo=MEXICO_CITY)
    post = publish_post(officer, [channel], title="Día de la protección de datos",
                        institution=infoem, publish_at=start)
    sign_in_to_admin(page, live_server.url, "oficial-cal")
    page.goto(live_server.url + f"/admin/campanas/calendario/?vista=semana&fecha={monday.isoformat()}")
    entry = page.locator(f".enlace-entry[data-post='{post.pk}']")
    assert entry.locator(".enlace-net-telegram").count() == 1
    thursday = monday + timedelta(days=3)
    assert page.locator("tr:has(th:text-is('11:00')) .enlace-entry").count() == 1
    entry.drag_to(page.locator(f"td[data-day='{thursday.isoformat()}'][data-hour='16']"))
    status = page.locator("#enlace-cal-status")
    status.filter(has_text="16:45").wait_for()
    assert "hora del centro de México" in status.inner_text()
    moved = start + timedelta(days=3, hours=5)
    post.refresh_from_db()
    assert post.publish_at == moved and post.deliveries.get().due_at == moved
    in_slot = (f"td[data-day='{thursday.isoformat()}'][data-hour='16'] "
               f".enlace-entry[data-post='{post.pk}']")
    assert page.locator(in_slot).count() == 1
    assert page.locator(f".enlace-entry[data-post='{post.pk}'] time").inner_text() == "16:45"
    # The month view moves it to another day at the same time.
    page.goto(live_server.url + f"/admin/campanas/calendario/?fecha={monday.isoformat()}")
    friday = thursday + timedelta(days=1)
    entry.drag_to(page.locator(f"td[data-day='{friday.isoformat()}']"))
    status.filter(has_text="16:45").wait_for()
    moved += timedelta(days=1)
    post.refresh_from_db()
    assert post.publish_at == moved and post.deliveries.get().due_at == moved
    # Once a delivery started, a drop is refused with the server's message; nothing moves.
    post.deliveries.update(state=DeliveryState.SENDING)
    entry.drag_to(page.locator(f"td[data-day='{(friday + timedelta(days=1)).isoformat()}']"))
    status.filter(has_text="empezó a enviarse").wait_for()
    post.refresh_from_db()
    assert post.publish_at == moved


def test_the_count_and_preview_fit_a_phone_with_a_long_link(page, live_server, reference_data,
                                                            site):
    """At 390 px a long link in the text widened the previews past the form, cutting off the
    count («Telegram: 97 / 409…»): they wrap inside it."""
    infoem = Institution.objects.get(acronym="INFOEM")
    officer = UserFactory(username="oficial", groups=["Comunicación"])
    StaffProfile.objects.create(user=officer, institution=infoem)
    telegram = make_channel("telegram", infoem, name="Telegram de INFOEM")
    x = make_channel("x", infoem, name="X de INFOEM")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_to_admin(page, live_server.url, "oficial")
    page.goto(live_server.url + "/admin/snippets/campaigns/post/add/")
    page.check(f"input[name=channels][value='{telegram.pk}']")
    page.check(f"input[name=channels][value='{x.pk}']")
    page.fill("#id_text", "Consulte el informe: "
              "https://www.infoem.org.mx/es/contenido/noticias/informe-anual-de-transparencia")
    composer = page.locator("#enlace-composer")
    right = composer.evaluate("e => e.getBoundingClientRect().right")
    widths = composer.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1], widths
    for box in page.locator("#enlace-composer .enlace-preview").all():
        assert box.evaluate("e => e.getBoundingClientRect().right") <= right + 1
