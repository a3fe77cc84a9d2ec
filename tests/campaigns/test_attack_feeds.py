"""Attacks on the feed reader: a name that resolves to a public address when it is checked
and to a private one when the connection is opened (DNS rebinding) must not reach the
private network; odd addresses are refused with a Spanish message, never an exception."""

import socket

import pytest

from campaigns import feeds
from campaigns.models import FeedSource, Post

from .test_feeds import feed_server, rss  # noqa: F401 (fixture)


def test_a_name_that_rebinds_to_loopback_after_the_check_is_not_connected_to(
        feed_server, infoem, settings, monkeypatch):  # noqa: F811
    settings.ENLACE_FEEDS_ALLOW_PRIVATE = False
    feed_server.serve("/rss.xml", rss([("n1", "Nota secreta", 0)]))
    port = int(feed_server.base.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    answers = []

    def rebinding(host, *args, **kwargs):
        if host != "noticias.example":
            return real(host, *args, **kwargs)
        # First answer: a public address (passes the check); every later one: loopback.
        ip = "93.184.216.34" if not answers else "127.0.0.1"
        answers.append(ip)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    source = FeedSource.objects.create(institution=infoem, name="Noticias",
                                       url=f"http://noticias.example:{port}/rss.xml")
    assert feeds.read(source.pk) is None
    source.refresh_from_db()
    assert "red privada o local" in source.last_error
    assert feed_server.requests == [] and not Post.objects.exists()


@pytest.mark.parametrize("url", ["http://[::1/feed", "http://0.0.0.0/feed",
                                 "http://[::ffff:127.0.0.1]/feed", "http://2130706433/feed",
                                 "http://host.example:99999/feed", "gopher://example.org/"])
def test_odd_addresses_are_refused_with_a_message(url, settings):
    settings.ENLACE_FEEDS_ALLOW_PRIVATE = False
    with pytest.raises(feeds.FeedError) as refused:
        feeds.check_url(url)
    assert refused.value.message
