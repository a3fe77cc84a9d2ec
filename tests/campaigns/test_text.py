"""How each network counts, and what is sent."""

from campaigns.text import compose, hashtag, telegram_html, telegram_length, x_weighted_length


def test_x_counts_every_url_as_23_and_wide_characters_double():
    assert x_weighted_length("Hola") == 4
    assert x_weighted_length("Acceso a la información ñ") == 25  # accents weigh 1
    assert x_weighted_length("ver https://snt.org.mx/una/ruta/muy/larga/de/verdad?x=1") == 4 + 23
    assert x_weighted_length("日本") == 4
    assert x_weighted_length("👍🏽") == 2  # an emoji with its skin tone is one unit of 2


def test_telegram_counts_utf16_units():
    assert telegram_length("ñandú") == 5
    assert telegram_length("😀") == 2


def test_the_system_hashtag_and_topic_tags_are_appended_once():
    text = compose("Conoce el #SNT y sus órganos garantes", link="https://snt.org.mx",
                   tags=["datos abiertos", "Transparencia"], system_hashtag="#SNT")
    assert text == ("Conoce el #SNT y sus órganos garantes\n\nhttps://snt.org.mx\n\n"
                    "#DatosAbiertos #Transparencia")
    assert hashtag("acceso a la información") == "#AccesoALaInformación"


def test_telegram_html_escapes_only_what_html_needs():
    assert telegram_html("¡Hola! <b>#SNT</b> & (más).") == "¡Hola! &lt;b&gt;#SNT&lt;/b&gt; &amp; (más)."
