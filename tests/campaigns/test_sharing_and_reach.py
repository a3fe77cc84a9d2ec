"""Sharing published pages, amplification by the network and reach metrics."""

from django.core import mail
from django.urls import reverse
from wagtail.models import Page

from campaigns import amplify, delivery, metrics
from campaigns.enums import DeliveryState
from campaigns.models import AmplificationClick, AmplificationRequest, PageShare, Post
from hub.models import StandardPage
from network.models import Person

from .factories import publish_post


def _news(site, channels, title="Resultados del concurso de spots"):
    home = Page.objects.get(depth=2)
    page = StandardPage(title=title, slug="resultados", intro="Conoce a las y los ganadores.")
    home.add_child(instance=page)
    page.share_channels.set(channels)
    return page


def test_publishing_a_page_shares_it_once(site, coordinator, x_channel, fake_x):
    page = _news(site, [x_channel])
    page.save_revision(user=coordinator).publish(user=coordinator)
    post = Post.objects.get()
    assert post.live and post.source_page_id == page.pk
    assert post.link == page.full_url
    assert post.text.startswith("Resultados del concurso de spots\n\nConoce")
    # Publishing again, or a new revision, shares nothing more.
    page.title = "Resultados (corregido)"
    page.save_revision(user=coordinator).publish(user=coordinator)
    assert Post.objects.count() == 1 and PageShare.objects.count() == 1
    # Unless the editor asks for it.
    page.share_again = True
    page.save_revision(user=coordinator).publish(user=coordinator)
    assert Post.objects.count() == 2


def test_network_is_asked_to_amplify_and_clicks_are_recorded(officer, x_channel, fake_x, itei,
                                                             client):
    person = Person.objects.create(name="Enlace ITEI", institution=itei, role="comunicacion",
                                   email="enlace@itei.org.mx", in_network=True)
    Person.objects.create(name="Mismo INFOEM", institution=x_channel.institution, role="comunicacion",
                          email="yo@infoem.org.mx", in_network=True)
    post = publish_post(officer, [x_channel])
    delivery.perform(post.deliveries.get().pk)
    mail.outbox.clear()
    assert amplify.request(post.pk) == 1
    assert amplify.request(post.pk) == 0  # once per post
    [message] = mail.outbox
    assert message.to == [person.email]
    assert "Me gusta" in message.body and "Republicar" in message.body
    link = next(w for w in message.body.split() if "/amplificar/" in w)
    response = client.get(link.replace("http://testserver", ""))
    tweet = fake_x.tweets[0]["id"]
    assert response.status_code == 302
    assert response["Location"] in (f"https://x.com/intent/like?tweet_id={tweet}",
                                     f"https://x.com/intent/retweet?tweet_id={tweet}")
    click = AmplificationClick.objects.get()
    assert click.institution == itei
    assert client.get(reverse("campaigns_amplify", args=["forged"])).status_code == 404
    assert AmplificationRequest.objects.get().emails_sent == 1


def test_reach_is_pulled_back_and_summed(officer, officer_client, x_channel, fake_x):
    post = publish_post(officer, [x_channel])
    delivery.perform(post.deliveries.get().pk)
    assert metrics.pull() == 1
    sent = post.deliveries.get()
    assert (sent.likes, sent.reposts, sent.replies, sent.impressions) == (3, 2, 1, 120)
    assert sent.snapshots.count() == 1
    fake_x.metrics["impression_count"] = 150
    assert metrics.pull() == 1  # later the same day: the day's snapshot is updated, not added
    assert sent.snapshots.count() == 1 and sent.snapshots.get().impressions == 150
    page = officer_client.get(reverse("campaigns_reach")).content.decode()
    assert "INFOEM" in page and "150" in page
    report = officer_client.get(reverse("campaigns_post_report", args=[post.pk])).content.decode()
    assert "150" in report


def test_failed_delivery_notifies_the_author(officer, tg_channel, fake_telegram,
                                             django_capture_on_commit_callbacks):
    from campaigns.devtools.fake_networks import Fault

    officer.email = "autor@infoem.org.mx"
    officer.save()
    fake_telegram.script("sendMessage", Fault(status=403))
    post = publish_post(officer, [tg_channel])
    with django_capture_on_commit_callbacks(execute=True):
        delivery.perform(post.deliveries.get().pk)
    assert post.deliveries.get().state == DeliveryState.FAILED
    assert any("autor@infoem.org.mx" in m.to for m in mail.outbox)


def test_a_page_shares_only_to_channels_its_revision_author_may_use(
        site, coordinator, officer, other_officer, tg_channel, fake_telegram):
    """INFOEM's officer picks INFOEM's channel on a draft; ITEI's officer copies the page (the
    copy keeps the channels, its revision is theirs) and Coordinación publishes the copy:
    nothing may go out on INFOEM's channel as ITEI's post."""
    page = _news(site, [tg_channel])
    page.save_revision(user=officer)
    home = Page.objects.get(depth=2)
    copy = page.copy(to=home, update_attrs={"slug": "copia", "title": "Copia"}, user=other_officer,
                     keep_live=False)
    copy.get_latest_revision().publish(user=coordinator)
    assert not Post.objects.filter(channels=tg_channel).exists()
    # The author's own choice still shares, as before.
    page.save_revision(user=officer).publish(user=coordinator)
    post = Post.objects.get(channels=tg_channel)
    assert post.author == officer


def test_a_tracked_link_asked_without_a_get_records_no_click(officer, x_channel, fake_x, itei):
    """OPTIONS, PUT, DELETE… at a public address are answered after asking the address as a
    HEAD (to tell a missing one, a 404); a HEAD is what mail scanners and link checkers send.
    None of them is a person of the network clicking «Me gusta» or «Republicar»: only the GET
    a click makes is recorded."""
    from django.test import Client

    Person.objects.create(name="Enlace ITEI", institution=itei, role="comunicacion",
                          email="enlace@itei.org.mx", in_network=True)
    post = publish_post(officer, [x_channel])
    delivery.perform(post.deliveries.get().pk)
    mail.outbox.clear()
    assert amplify.request(post.pk) == 1
    link = next(w for w in mail.outbox[0].body.split() if "/amplificar/" in w)
    link = link.replace("http://testserver", "")
    visitor = Client(enforce_csrf_checks=True)
    for method in ("head", "options", "put", "delete", "patch"):
        assert getattr(visitor, method)(link).status_code in (200, 302, 405), method
    assert not AmplificationClick.objects.exists()
    assert visitor.get(link).status_code == 302
    assert AmplificationClick.objects.get().institution == itei
