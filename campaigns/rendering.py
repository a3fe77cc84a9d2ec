"""What a post looks like on each network: its composed text and its image renditions.

The delivery engine asks this module for what to send, and the preview shows the same
(:func:`sent_parts`); the renditions job makes the images ahead of time so that sending never
waits for Pillow.
"""

from __future__ import annotations

from django.utils.text import slugify

from network.domain.images import rendition as made_once

from .connectors import Image
from .models import Channel, Post
from .preferences import system_hashtag
from .text import THREAD_JOIN, Utm, compose_parts, own_domain

RENDITION_SPECS = {
    "x": "max-1600x1600|format-jpeg|jpegquality-85",
    "telegram": "max-1280x1280|format-jpeg|jpegquality-85",
}
DEFAULT_UTM_CAMPAIGN = "enlace"


def own_domains(institution) -> frozenset:
    """The institution's own web domains (its website) and this site's own host names."""
    from wagtail.models import Site

    # Wagtail keeps the sites' root URLs in the cache: no query once warm.
    hosts = {own_domain(root.root_url) for root in Site.get_site_root_paths()}
    if institution is not None and institution.website:
        hosts.add(own_domain(institution.website))
    return frozenset(host for host in hosts if host)


def utm(*, kind: str, enabled: bool, institution, campaign, domains=None) -> Utm | None:
    """The UTM parameters for links sent to the network ``kind``, or None when turned off."""
    if not enabled:
        return None
    name = slugify(campaign.name) if campaign is not None else ""
    return Utm(source=kind, campaign=name or DEFAULT_UTM_CAMPAIGN,
               domains=own_domains(institution) if domains is None else domains)


def utm_by_kind(*, enabled: bool, institution_id, campaign, channels=()):
    """:func:`utm` for a post not saved yet (validation): a function of the network that
    reads the institution and the domains once, whatever the number of channels (the
    institution is taken from the channels when one of them belongs to it)."""
    from network.models import Institution

    if not enabled:
        return lambda kind: None
    institution = next((c.institution for c in channels if institution_id
                        and c.institution_id == institution_id), None)
    if institution is None and institution_id:
        institution = Institution.objects.filter(pk=institution_id).first()
    domains = own_domains(institution)
    return lambda kind: utm(kind=kind, enabled=True, institution=institution, campaign=campaign,
                            domains=domains)


def sent_parts(post: Post, channel: Channel, hashtag: str | None = None) -> list[str]:
    """What goes to one channel: its variant, link, hashtags and the SNT tag, with UTM on the
    institution's own links; on X, one text per part of a thread."""
    return compose_parts(
        post.variant_for(channel), kind=channel.kind, link=post.link,
        tags=[t.name for t in post.tags.all()],
        system_hashtag=hashtag if hashtag is not None else system_hashtag(),
        utm=utm(kind=channel.kind, enabled=post.utm_tracking, institution=post.institution,
                campaign=post.campaign))


def composed_text(post: Post, channel: Channel, hashtag: str | None = None) -> str:
    """The post's text for one channel (a thread's parts joined as :data:`THREAD_JOIN`)."""
    return THREAD_JOIN.join(sent_parts(post, channel, hashtag))


def images(post: Post, kind: str) -> list[Image]:
    """The post's images as JPEG renditions sized for the network ``kind``."""
    spec = RENDITION_SPECS.get(kind, RENDITION_SPECS["x"])
    found = []
    for index, image in enumerate(post.ordered_images()):
        rendition = made_once(image, spec)  # the renditions job may be making it now
        with rendition.file.open("rb") as handle:
            found.append(Image(f"imagen-{index + 1}.jpg", "image/jpeg", handle.read()))
    return found
