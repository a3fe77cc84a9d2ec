"""The simulated networks' pages, where a newcomer watches a post go out (dev.py start)."""

from urllib.request import urlopen


def _page(server) -> str:
    with urlopen(server.url + "/", timeout=5) as response:
        return response.read().decode()


def test_telegram_shows_an_html_message_as_the_reader_sees_it_and_fits_a_phone(fake_telegram):
    """Posts go to Telegram with parse_mode HTML, so a link's «&» travels as «&amp;»; the page
    showed «&amp;utm_medium=…» as if the link were broken, and ran 823 px wide on a phone."""
    fake_telegram.messages.append({
        "chat_id": "@infoem_demo", "method": "sendMessage", "parse_mode": "HTML",
        "text": "Informe <b>anual</b>\n\nhttps://infoem.org.mx/a?utm_source=telegram&amp;utm_medium=social",
        "photos": 0, "files": 0, "message_id": 1, "at": 0})
    html = _page(fake_telegram)
    assert "utm_source=telegram&amp;utm_medium=social" in html  # one escaping: the page's own
    assert "&amp;amp;" not in html and "&lt;b&gt;" not in html
    assert 'name="viewport"' in html and "pre-wrap" in html and '<html lang="es">' in html


def test_a_plain_telegram_message_is_shown_as_sent(fake_telegram):
    fake_telegram.messages.append({
        "chat_id": "@x", "method": "sendMessage", "parse_mode": "", "text": "1 < 2 &amp; <b>",
        "photos": 0, "files": 0, "message_id": 2, "at": 0})
    assert "1 &lt; 2 &amp;amp; &lt;b&gt;" in _page(fake_telegram)


def test_x_fits_a_phone_too(fake_x):
    assert 'name="viewport"' in _page(fake_x)
