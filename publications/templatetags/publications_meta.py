"""Discovery tags in a page's ``<head>``: Highwire ``citation_*``, Dublin Core and JSON-LD.

Usage: ``{% load publications_meta %}`` then ``{% publication_meta citation %}`` where
``citation`` is a :class:`publications.citation.CitationMeta` (the article and issue pages
put one in their context; an edition builds its own). Python callers use
:func:`publication_meta_html`.
"""

from __future__ import annotations

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ..citation import CitationMeta, dublin_core_tags, highwire_tags, json_ld, meta_tags_html

register = template.Library()

# The characters that could end a <script> element or open a comment inside it (as Django's
# json_script escapes them): a title with "</script>" stays inside the JSON string.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026",
                 ord("\u2028"): "\\u2028", ord("\u2029"): "\\u2029"}


def json_ld_script(data: dict) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def citation_tags(meta: CitationMeta) -> SafeString:
    """Highwire Press tags only (what Google Scholar reads)."""
    return meta_tags_html(highwire_tags(meta))


def publication_meta_html(meta: CitationMeta) -> SafeString:
    """Highwire + Dublin Core (with its schema link) + JSON-LD, ready for ``<head>``."""
    return format_html(
        '{}\n<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">\n{}\n{}',
        meta_tags_html(highwire_tags(meta)), meta_tags_html(dublin_core_tags(meta)),
        json_ld_script(json_ld(meta)))


@register.simple_tag
def publication_meta(meta: CitationMeta | None) -> SafeString:
    if meta is None:
        return mark_safe("")
    return publication_meta_html(meta)


@register.simple_tag
def apa_citation(meta: CitationMeta) -> SafeString:
    from ..citation import apa

    return apa(meta)
