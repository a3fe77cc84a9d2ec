"""Discovery tags for the publications' page templates.

Both are in ``base.html`` already (they print nothing on other pages), so page templates need
nothing.

- ``{% publication_feed_links page %}`` in the ``<head>``: ``<link rel="alternate">``
  to the RSS and Atom feeds (articles on magazine, issue and article pages; editions on booklet
  index, booklet and edition pages).
- ``{% reading_beacon page %}`` anywhere in the body of article, issue and edition pages: the 1×1
  image that counts a reading without cookies (see ``publications.domain.stats``).
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..models import (
    ArticlePage,
    BookletIndexPage,
    BookletPage,
    EditionPage,
    IssuePage,
    MagazinePage,
)

register = template.Library()

_MAGAZINE = (MagazinePage, IssuePage, ArticlePage)
_BOOKLETS = (BookletIndexPage, BookletPage, EditionPage)


@register.simple_tag
def publication_feed_links(page=None):
    if isinstance(page, _BOOKLETS):
        names, title = ("editions_rss", "editions_atom"), _("Ediciones de Los ABC")
    elif not isinstance(page, _MAGAZINE):
        return ""
    else:
        names, title = ("articles_rss", "articles_atom"), _("Artículos de México Transparente")
    return format_html(
        '<link rel="alternate" type="application/rss+xml" title="{} (RSS)" href="{}">\n'
        '<link rel="alternate" type="application/atom+xml" title="{} (Atom)" href="{}">',
        title, reverse(f"publications:{names[0]}"), title, reverse(f"publications:{names[1]}"))


@register.simple_tag(takes_context=True)
def reading_beacon(context, page):
    if not isinstance(page, (ArticlePage, IssuePage, EditionPage)) or not page.pk:
        return ""
    request = context.get("request")
    if not page.live or getattr(request, "is_preview", False):
        return ""
    return format_html(
        # ``hidden`` still loads the image (unlike loading="lazy"); no inline style (CSP).
        '<img class="reading-beacon" src="{}" alt="" width="1" height="1" hidden '
        'referrerpolicy="no-referrer">',
        reverse("publications:seen", args=[page.pk]))
