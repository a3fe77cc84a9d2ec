"""What each network receives, and how each network counts it.

The same rules run in the browser (static/campaigns/composer.js) for the live counter; the
server is the judge. X counts with twitter-text's weighted rules (v3 configuration): most
Latin, accented and punctuation characters weigh 1, everything else (CJK, emoji) weighs 2, and
every URL weighs 23. Telegram counts UTF-16 code units of the visible text: 4,096 for a
message, 1,024 for a photo caption.

Threads: a line holding only ``---`` splits a text into parts. On X each part is one post, the
next a reply to the previous (:func:`compose_parts`); the link and the hashtags go with the
first part, the one people see and share. Telegram has no threads: it gets the parts as one
message, separated by a blank line.

UTM: links to the institution's own domains get ``utm_source`` (the network),
``utm_medium=social`` and ``utm_campaign`` (:class:`Utm`), in the one place the sent text is
built, so the preview, the counters and the network all see the same text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.utils.translation import gettext as _

from .enums import ChannelKind

X_MAX = 280
X_URL_WEIGHT = 23
TELEGRAM_TEXT_MAX = 4096
TELEGRAM_CAPTION_MAX = 1024
X_THREAD_MAX_PARTS = 25

THREAD_SEPARATOR_RE = re.compile(r"^[ \t]*-{3,}[ \t]*$", re.MULTILINE)
THREAD_JOIN = "\n\n---\n\n"  # how a sent thread is stored (Delivery.sent_text) and shown

URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]'»”]")
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_EMOJI_RE = re.compile(
    "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF](?:[\U0001F3FB-\U0001F3FF]|\uFE0F)?"
    "(?:\u200D[\U0001F000-\U0001FAFF\u2600-\u27BF](?:[\U0001F3FB-\U0001F3FF]|\uFE0F)?)*"
)
_HASHTAG_CHARS = re.compile(r"[^\w]", re.UNICODE)


def _char_weight(char: str) -> int:
    code = ord(char)
    return 1 if any(lo <= code <= hi for lo, hi in _LIGHT_RANGES) else 2


def x_weighted_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in URL_RE.finditer(text):
        total += _plain_weight(text[position:match.start()]) + X_URL_WEIGHT
        position = match.end()
    return total + _plain_weight(text[position:])


def _plain_weight(text: str) -> int:
    total = 0
    position = 0
    for match in _EMOJI_RE.finditer(text):
        total += sum(_char_weight(c) for c in text[position:match.start()]) + 2
        position = match.end()
    return total + sum(_char_weight(c) for c in text[position:])


def telegram_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def hashtag(tag: str) -> str:
    """'datos abiertos' → '#DatosAbiertos'; keeps accents, drops punctuation."""
    tag = tag.strip().lstrip("#")
    words = [w for w in re.split(r"[\s_\-]+", tag) if w]
    joined = "".join(w[:1].upper() + w[1:] if len(words) > 1 else w for w in words)
    return "#" + _HASHTAG_CHARS.sub("", joined)


def _has_hashtag(text: str, tag: str) -> bool:
    return re.search(re.escape(tag) + r"(?!\w)", text, re.IGNORECASE) is not None


def compose(base: str, *, link: str = "", tags=(), system_hashtag: str = "#SNT") -> str:
    """The text as sent: body, link (if not already there) and the hashtags not yet present."""
    text = base.strip()
    if link and link not in text:
        text = f"{text}\n\n{link}" if text else link
    wanted = []
    for tag in [system_hashtag, *tags]:
        tag = hashtag(tag) if tag else ""
        if len(tag) > 1 and not _has_hashtag(text, tag) and tag.lower() not in {
                w.lower() for w in wanted}:
            wanted.append(tag)
    if wanted:
        text = f"{text}\n\n{' '.join(wanted)}" if text else " ".join(wanted)
    return text


@dataclass(frozen=True)
class Fit:
    length: int
    limit: int
    unit: str

    @property
    def overflow(self) -> int:
        return max(0, self.length - self.limit)


def measure(kind: str, text: str, *, has_images: bool) -> Fit | None:
    if kind == ChannelKind.X:
        return Fit(x_weighted_length(text), X_MAX, "x")
    if kind == ChannelKind.TELEGRAM:
        limit = TELEGRAM_CAPTION_MAX if has_images else TELEGRAM_TEXT_MAX
        return Fit(telegram_length(text), limit, "telegram")
    return None


def overflow_message(channel, fit: Fit, *, has_images: bool) -> str:
    if fit.unit == "x":
        return _("El texto para %(channel)s excede el límite de X (%(limit)s caracteres ponderados; "
                 "cada enlace cuenta 23) por %(over)s.") % {
            "channel": channel.name, "limit": fit.limit, "over": fit.overflow}
    if has_images:
        return _("El texto para %(channel)s excede el límite de Telegram para el pie de una imagen "
                 "(%(limit)s caracteres) por %(over)s.") % {
            "channel": channel.name, "limit": fit.limit, "over": fit.overflow}
    return _("El texto para %(channel)s excede el límite de Telegram (%(limit)s caracteres) por "
             "%(over)s.") % {"channel": channel.name, "limit": fit.limit, "over": fit.overflow}


def telegram_html(text: str) -> str:
    """Telegram's HTML parse mode needs only <, > and & escaped; # and punctuation are safe."""
    return html.escape(text, quote=False)


def split_parts(text: str) -> list[str]:
    """The parts of a thread (a line of ``---`` between them); empty parts are dropped."""
    text = (text or "").replace("\r\n", "\n")  # browsers send a textarea's lines with CR LF
    parts = [part.strip() for part in THREAD_SEPARATOR_RE.split(text)]
    return [part for part in parts if part] or [""]


@dataclass(frozen=True)
class Utm:
    """The campaign parameters added to links to the institution's own domains."""

    source: str
    campaign: str
    domains: frozenset = field(default_factory=frozenset)
    medium: str = "social"

    def owns(self, host: str) -> bool:
        host = (host or "").lower().rstrip(".")
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)

    def tag(self, url: str) -> str:
        """``url`` with the parameters it lacks; everything already in it is kept as it was."""
        try:
            host = urlsplit(url if "://" in url else f"https://{url}").hostname
        except ValueError:  # a malformed address (e.g. an unclosed IPv6 bracket) stays as it is
            return url
        if not self.owns(host or ""):
            return url
        address, hash_mark, fragment = url.partition("#")
        present = {key.lower() for key, _value in parse_qsl(address.partition("?")[2],
                                                           keep_blank_values=True)}
        wanted = [(key, value) for key, value in (
            ("utm_source", self.source), ("utm_medium", self.medium),
            ("utm_campaign", self.campaign)) if key not in present]
        if not wanted:
            return url
        joiner = "" if address.endswith(("?", "&")) else ("&" if "?" in address else "?")
        return f"{address}{joiner}{urlencode(wanted)}{hash_mark}{fragment}"

    def apply(self, text: str) -> str:
        return URL_RE.sub(lambda match: self.tag(match.group(0)), text)


def own_domain(address: str) -> str:
    """'https://www.infoem.org.mx/x' → 'infoem.org.mx' (the domain and its subdomains)."""
    try:
        host = (urlsplit(address if "://" in address else f"https://{address}").hostname or "")
    except ValueError:
        return ""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def compose_parts(base: str, *, kind: str, link: str = "", tags=(), system_hashtag: str = "#SNT",
                  utm: Utm | None = None) -> list[str]:
    """What is sent to a network of ``kind``: one text, or on X one text per part of a thread."""
    parts = split_parts(base)
    if kind == ChannelKind.X and len(parts) > 1:
        in_thread = any(link and link in part for part in parts)
        composed = [compose(parts[0], link="" if in_thread else link, tags=tags,
                            system_hashtag=system_hashtag), *parts[1:]]
    else:
        composed = [compose("\n\n".join(parts), link=link, tags=tags, system_hashtag=system_hashtag)]
    return [utm.apply(part) for part in composed] if utm else composed
