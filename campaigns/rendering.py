"""What a post looks like on each network: its composed text and its image renditions.

The delivery engine asks this module for what to send; the renditions job makes the images
ahead of time so that sending never waits for Pillow.
"""

from __future__ import annotations

from .connectors import Image
from .models import Channel, Post
from .preferences import system_hashtag
from .text import compose

RENDITION_SPECS = {
    "x": "max-1600x1600|format-jpeg|jpegquality-85",
    "telegram": "max-1280x1280|format-jpeg|jpegquality-85",
}


def composed_text(post: Post, channel: Channel, hashtag: str | None = None) -> str:
    """The post's text for one channel: its variant, link, topic hashtags and the SNT tag."""
    return compose(post.variant_for(channel), link=post.link,
                   tags=[t.name for t in post.tags.all()],
                   system_hashtag=hashtag if hashtag is not None else system_hashtag())


def images(post: Post, kind: str) -> list[Image]:
    """The post's images as JPEG renditions sized for the network ``kind``."""
    spec = RENDITION_SPECS.get(kind, RENDITION_SPECS["x"])
    found = []
    for index, image in enumerate(post.ordered_images()):
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as handle:
            found.append(Image(f"imagen-{index + 1}.jpg", "image/jpeg", handle.read()))
    return found
