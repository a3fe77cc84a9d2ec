"""RSS and Atom feeds of an institution's site become draft posts, read from a real HTTP
server on 127.0.0.1; bad feeds leave a Spanish error and nothing else."""

import threading
import time
from datetime import timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns import feeds
from campaigns.models import Delivery, FeedItem, FeedSource, Post


class FeedServer:
    """Routes path -> (status, content type, body, extra headers); records request headers."""

    def __init__(self):
        self.routes, self.requests, self.delay = {}, [], 0.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                server.requests.append((self.path, dict(self.headers)))
                if server.delay:
                    time.sleep(server.delay)
                status, kind, body, headers = server.routes.get(
                    self.path, (404, "text/html", b"<html>no</html>", {}))
                if headers.get("ETag") and self.headers.get("If-None-Match") == headers["ETag"]:
                    status, body = 304, b""
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def serve(self, path, body, kind="application/rss+xml; charset=utf-8", status=200, **headers):
        self.routes[path] = (status, kind, body if isinstance(body, bytes) else body.encode(), headers)
        return self.base + path


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def rss(items):
    """items: (guid, title, days ago)."""
    now = timezone.now()
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>https://infoem.org.mx/n/{guid}</link>"
        f"<description>&lt;p&gt;Resumen de &lt;b&gt;{title}&lt;/b&gt;.&lt;/p&gt;</description>"
        f"<pubDate>{format_datetime(now - timedelta(days=age))}</pubDate></item>"
        for guid, title, age in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>INFOEM</title><link>https://infoem.org.mx</link>{body}</channel></rss>")


def atom(entries):
    now = timezone.now()
    body = "".join(
        f'<entry><id>urn:infoem:{key}</id><title>{title}</title>'
        f'<link href="https://infoem.org.mx/a/{key}"/><updated>{(now - timedelta(days=age)).isoformat()}'
        f"</updated><summary>Resumen {title}</summary></entry>" for key, title, age in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>INFOEM</title><id>urn:infoem</id><updated>{now.isoformat()}</updated>"
            f"{body}</feed>")


def make_feed(institution, url, name="Noticias del INFOEM"):
    return FeedSource.objects.create(institution=institution, name=name, url=url)


def test_first_reading_drafts_only_recent_items_then_only_new_ones(feed_server, infoem):
    items = [(f"n{i}", f"Nota {i}", i) for i in range(8)] + [("viejo", "Nota vieja", 30)]
    source = make_feed(infoem, feed_server.serve("/rss.xml", rss(items)))
    assert feeds.read(source.pk) == feeds.FIRST_READ_ITEMS
    drafts = Post.objects.filter(feed_item__source=source)
    assert sorted(drafts.values_list("title", flat=True)) == [f"Nota {i}" for i in range(5)]
    post = drafts.get(title="Nota 0")
    assert not post.live and post.publish_at is None and post.channels.count() == 0
    assert post.institution == infoem and post.author is None
    assert post.text == "Resumen de Nota 0." and post.link == "https://infoem.org.mx/n/n0"
    assert post.latest_revision is not None  # the editor opens it as a draft
    assert not Delivery.objects.exists()  # nothing goes anywhere without a person
    assert FeedItem.objects.filter(source=source).count() == 9  # the older ones are seen too
    # Reading again makes nothing; a new item makes one draft.
    assert feeds.read(source.pk) == 0
    feed_server.serve("/rss.xml", rss([("nuevo", "Nota nueva", 0)] + items))
    assert feeds.read(source.pk) == 1
    assert drafts.count() == 6 and drafts.filter(title="Nota nueva").exists()
    source.refresh_from_db()
    assert source.last_error == "" and source.last_fetched_at is not None


def test_an_atom_feed_is_read_too(feed_server, infoem):
    source = make_feed(infoem, feed_server.serve(
        "/atom.xml", atom([("a", "Convocatoria", 1), ("b", "Resultados", 2)]),
        kind="application/atom+xml"))
    assert feeds.read(source.pk) == 2
    post = Post.objects.get(title="Convocatoria")
    assert post.link == "https://infoem.org.mx/a/a" and post.text == "Resumen Convocatoria"


def test_a_feed_served_as_text_html_is_still_read(feed_server, infoem):
    source = make_feed(infoem, feed_server.serve("/rss", rss([("n1", "Nota", 0)]),
                                                 kind="text/html; charset=utf-8"))
    assert feeds.read(source.pk) == 1


def test_the_feed_is_asked_only_if_it_changed(feed_server, infoem):
    url = feed_server.serve("/rss.xml", rss([("n1", "Nota", 0)]), ETag='"v1"')
    source = make_feed(infoem, url)
    assert feeds.read(source.pk) == 1
    assert feeds.read(source.pk) == 0
    assert feed_server.requests[-1][1].get("If-None-Match") == '"v1"'
    source.refresh_from_db()
    assert source.etag == '"v1"' and source.last_error == ""


def test_long_summaries_are_trimmed_and_markup_removed(feed_server, infoem):
    long = "palabra " * 200
    body = rss([("n1", "Nota larga", 0)]).replace("Resumen de &lt;b&gt;Nota larga&lt;/b&gt;.", long)
    source = make_feed(infoem, feed_server.serve("/rss.xml", body))
    feeds.read(source.pk)
    text = Post.objects.get().text
    assert len(text) <= feeds.SUMMARY_CHARS and text.endswith("…") and "<" not in text


BAD_FEEDS = {
    "html": ("/pagina", "<!doctype html><html><body>Inicio</body></html>", "text/html", 200,
             "página web (HTML)"),
    "404": ("/no-existe", "", "text/html", 404, "no existe (404)"),
    "500": ("/falla", "error", "text/plain", 500, "código 500"),
    "malformed": ("/roto.xml", "<rss><channel><item><title>x</channel>", "application/xml", 200,
                  "no es XML válido"),
    "not a feed": ("/otro.xml", "<datos><fila>1</fila></datos>", "application/xml", 200,
                   "no contiene un canal RSS o Atom"),
    "entities": ("/bomba.xml", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>',
                 "application/xml", 200, "entidades XML"),
}


@pytest.mark.parametrize("case", BAD_FEEDS)
def test_a_bad_feed_keeps_a_spanish_error_and_creates_nothing(feed_server, infoem, case):
    path, body, kind, status, message = BAD_FEEDS[case]
    source = make_feed(infoem, feed_server.serve(path, body, kind=kind, status=status))
    good = make_feed(infoem, feed_server.serve("/rss.xml", rss([("n1", "Nota", 0)])), name="Otro")
    assert feeds.read_all() == 1  # the good feed is read all the same
    source.refresh_from_db()
    assert message in source.last_error and source.last_fetched_at is not None
    assert not FeedItem.objects.filter(source=source).exists()
    assert Post.objects.count() == 1 and Post.objects.get().feed_item.source == good


def test_a_huge_feed_is_refused(feed_server, infoem, settings):
    settings.ENLACE_FEEDS_MAX_BYTES = 10_000
    items = [(f"n{i}", "Nota " + "x" * 200, 0) for i in range(100)]
    source = make_feed(infoem, feed_server.serve("/grande.xml", rss(items)))
    assert feeds.read(source.pk) is None
    source.refresh_from_db()
    assert "pesa más de 0.01 MB" in source.last_error
    assert not Post.objects.exists()


def test_a_feed_that_does_not_answer_in_time_is_left(feed_server, infoem, settings):
    settings.ENLACE_FEEDS_TIMEOUT = 0.3
    feed_server.delay = 1.0
    source = make_feed(infoem, feed_server.serve("/lento.xml", rss([("n1", "Nota", 0)])))
    assert feeds.read(source.pk) is None
    source.refresh_from_db()
    assert "no respondió en 0.3 segundos" in source.last_error
    assert not Post.objects.exists()


def test_private_addresses_and_other_schemes_are_refused(feed_server, infoem, settings):
    settings.ENLACE_FEEDS_ALLOW_PRIVATE = False
    for url in (feed_server.serve("/rss.xml", rss([("n1", "Nota", 0)])),
                "http://169.254.169.254/latest/meta-data/", "http://[::1]/feed",
                "http://localhost/feed"):
        with pytest.raises(feeds.FeedError, match="red privada o local"):
            feeds.check_url(url)
    with pytest.raises(feeds.FeedError, match="http:// o https://"):
        feeds.check_url("file:///etc/passwd")
    source = make_feed(infoem, feed_server.base + "/rss.xml")
    assert feeds.read(source.pk) is None
    source.refresh_from_db()
    assert "red privada" in source.last_error
    assert feed_server.requests == [] and not Post.objects.exists()


def test_a_redirect_to_a_private_address_is_refused(feed_server, infoem, settings, monkeypatch):
    settings.ENLACE_FEEDS_ALLOW_PRIVATE = False
    resolve = feeds.public_addresses
    # The test server itself stands for a public site; where it redirects is checked as usual.
    monkeypatch.setattr(feeds, "public_addresses",
                        lambda host, port: ["127.0.0.1"] if f"{host}:{port}" in feed_server.base
                        else resolve(host, port))
    feed_server.serve("/movido", "", status=302, Location="http://10.0.0.1/rss.xml")
    source = make_feed(infoem, feed_server.base + "/movido")
    assert feeds.read(source.pk) is None
    source.refresh_from_db()
    assert "red privada" in source.last_error and not Post.objects.exists()
    assert [path for path, _headers in feed_server.requests] == ["/movido"]


def test_an_item_claimed_by_another_worker_meanwhile_makes_no_second_draft(feed_server, infoem,
                                                                          monkeypatch):
    source = make_feed(infoem, feed_server.serve("/rss.xml", rss([("n1", "Nota", 0),
                                                                  ("n2", "Otra", 0)])))
    choose = feeds._choose

    def raced(entries, first_read, now):
        chosen = choose(entries, first_read, now)
        # Another worker stores the first item between this worker's check and its insert.
        other = Post.objects.create(title=chosen[0].title, text="x", institution=infoem)
        FeedItem.objects.create(source=source, key=chosen[0].key, post=other)
        return chosen

    monkeypatch.setattr(feeds, "_choose", raced)
    assert feeds.read(source.pk) == 1
    assert Post.objects.filter(title="Nota").count() == 1  # no duplicate, no orphan draft
    assert Post.objects.filter(title="Otra").count() == 1
    assert FeedItem.objects.filter(source=source).count() == 2


def test_an_inactive_feed_is_not_read(feed_server, infoem):
    source = make_feed(infoem, feed_server.serve("/rss.xml", rss([("n1", "Nota", 0)])))
    source.active = False
    source.save()
    assert feeds.read_all() == 0 and feed_server.requests == []


# --- Admin --------------------------------------------------------------------------------

def test_an_officer_registers_a_feed_of_their_institution_only(officer_client, infoem, itei,
                                                               feed_server, settings):
    url = reverse("wagtailsnippets_campaigns_feedsource:add")
    feed = feed_server.serve("/rss.xml", rss([("n1", "Nota", 0)]))
    data = {"name": "Noticias", "url": feed, "active": "on"}
    for institution in (itei.pk, ""):
        response = officer_client.post(url, {**data, "institution": institution})
        assert response.status_code == 200 and not FeedSource.objects.exists()
    response = officer_client.post(url, {**data, "url": "ftp://infoem.org.mx/rss",
                                         "institution": infoem.pk})
    assert "http:// o https://" in response.content.decode() and not FeedSource.objects.exists()
    settings.ENLACE_FEEDS_ALLOW_PRIVATE = False
    response = officer_client.post(url, {**data, "institution": infoem.pk})
    assert "red privada" in response.content.decode() and not FeedSource.objects.exists()
    settings.ENLACE_FEEDS_ALLOW_PRIVATE = True
    response = officer_client.post(url, {**data, "institution": infoem.pk})
    assert response.status_code == 302
    assert FeedSource.objects.get().institution == infoem


def test_the_dashboard_tells_the_officer_about_new_feed_drafts_and_errors(
        officer_client, other_officer, infoem, feed_server):
    good = make_feed(infoem, feed_server.serve("/rss.xml", rss([("n1", "Nota A", 0),
                                                                ("n2", "Nota B", 0)])))
    make_feed(infoem, feed_server.serve("/x", "", status=404), name="Boletines")
    feeds.read_all()
    body = officer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "2 borradores nuevos desde los canales RSS del sitio" in body
    assert "Nota A" in body and good.name in body
    assert "Boletines" in body and "no existe (404)" in body
    other_client = Client()
    other_client.force_login(other_officer)
    other = other_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Nota A" not in other and "Boletines" not in other
