"""The post as each network will show it: text, images and link card (Wagtail's preview).

``Post.get_preview_context`` asks this module; the texts come from
:func:`campaigns.rendering.sent_parts`, the code path that builds what is sent. A link card
for a page of this site takes its title, description and image from the page; for any other
address it shows the domain only: nothing is fetched from the network during a request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import rendering
from . import text as texts
from .enums import ChannelKind
from .models import Channel, Post

PREVIEW_KINDS = (ChannelKind.X, ChannelKind.TELEGRAM)
IMAGE_SPEC = "max-800x800|format-jpeg|jpegquality-80"
CARD_IMAGE_SPEC = "fill-600x314|format-jpeg|jpegquality-80"
_TOKEN_RE = re.compile(texts.URL_RE.pattern + r"|(?<![\w#])#\w+")
X_LINK_DISPLAY = 25  # X shows a link's first characters and an ellipsis


@dataclass
class Card:
    domain: str
    title: str = ""
    description: str = ""
    image: object = None  # a rendition


@dataclass
class Part:
    html: SafeString
    length: int
    limit: int

    @property
    def over(self) -> int:
        return max(0, self.length - self.limit)


@dataclass
class ChannelPreview:
    name: str
    handle: str
    parts: list[Part] = field(default_factory=list)
    card: Card | None = None


def as_html(text: str, kind: str) -> SafeString:
    """The text escaped, with links and hashtags marked as the network highlights them."""
    out, position = [], 0
    for match in _TOKEN_RE.finditer(text):
        out.append(escape(text[position:match.start()]))
        token = match.group(0)
        if token.startswith("#"):
            shown = token
        else:
            shown = re.sub(r"(?i)^https?://", "", token) if kind == ChannelKind.X else token
            if kind == ChannelKind.X and len(shown) > X_LINK_DISPLAY:
                shown = shown[:X_LINK_DISPLAY] + "…"
        out.append(format_html('<span class="pv-link" title="{}">{}</span>', token, shown))
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def own_page(host: str, path: str):
    """The live, public page of this site at ``host`` + ``path``, if there is one."""
    from wagtail.models import Page, Site

    host = (host or "").lower()
    site = Site.objects.filter(hostname__in=[host, host.removeprefix("www.")]).select_related(
        "root_page").first()
    if site is None:
        return None
    inner = path.strip("/")
    url_path = site.root_page.url_path.rstrip("/") + "/" + (inner + "/" if inner else "")
    page = Page.objects.live().public().filter(url_path=url_path).first()
    return page.specific if page is not None else None


def link_card(url: str) -> Card | None:
    """The card a network draws for ``url``: from the page for this site's own pages."""
    try:
        parts = urlsplit(url if "://" in url else f"https://{url}")
        host = parts.hostname or ""
    except ValueError:
        return None
    if not host:
        return None
    card = Card(domain=host.removeprefix("www."))
    page = own_page(host, parts.path)
    if page is not None:
        card.title = page.seo_title or page.title
        summary = getattr(page, "get_share_summary", None)
        card.description = page.search_description or (summary() if summary else "")
        image = getattr(page, "share_image", None)
        card.image = image.get_rendition(CARD_IMAGE_SPEC) if image is not None else None
    return card


def _limit(kind: str, *, has_images: bool) -> int:
    if kind == ChannelKind.X:
        return texts.X_MAX
    return texts.TELEGRAM_CAPTION_MAX if has_images else texts.TELEGRAM_TEXT_MAX


def channel_preview(post: Post, channel: Channel, *, has_images: bool) -> ChannelPreview:
    sent = rendering.sent_parts(post, channel)
    preview = ChannelPreview(name=channel.name, handle=channel.handle.split(" ")[0] if channel.handle
                             else "")
    for index, part in enumerate(sent):
        fit = texts.measure(channel.kind, part, has_images=has_images and index == 0)
        preview.parts.append(Part(as_html(part, channel.kind), fit.length,
                                  _limit(channel.kind, has_images=has_images and index == 0)))
    if not has_images:  # with images, neither network draws a link card
        urls = texts.URL_RE.findall(sent[0])
        if urls:  # X draws the last link of the post; Telegram the first of the message
            preview.card = link_card(urls[-1] if channel.kind == ChannelKind.X else urls[0])
    return preview


def preview_context(post: Post, mode: str) -> dict:
    """What the preview template needs for the network ``mode`` ('x' or 'telegram')."""
    kind = mode if mode in PREVIEW_KINDS else ChannelKind.X
    label = ChannelKind(kind).label
    channels = [c for c in post.channels.all() if c.kind == kind]
    images = [image.get_rendition(IMAGE_SPEC) for image in post.ordered_images()]
    if not channels:  # no channel of this network chosen: how it would look there
        channels = [Channel(kind=kind, name=_("Cuenta de %(network)s") % {"network": label})]
    return {
        "network": kind,
        "network_label": label,
        "chosen": any(c.pk for c in channels),
        "previews": [channel_preview(post, c, has_images=bool(images)) for c in channels],
        "images": images,
        "send_time": post.send_time_display(),
    }
