import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from campaigns.enums import ChannelHealth
from campaigns.models import Channel, Post

TG_TOKEN = "123:valid"
X_KEYS = {"consumer_key": "ck-valid", "consumer_secret": "cs", "access_token": "at",
          "access_token_secret": "ats"}


def make_channel(kind, institution=None, name=None, **extra):
    channel = Channel(name=name or f"{kind} {institution.acronym if institution else 'SNT'}", kind=kind,
                      institution=institution, health=ChannelHealth.OK,
                      chat_id="@snt_canal" if kind == "telegram" else "", handle="@SNT_mx", **extra)
    channel.set_credentials({"bot_token": TG_TOKEN} if kind == "telegram" else dict(X_KEYS))
    channel.save()
    return channel


@pytest.fixture
def tg_channel(db, infoem):
    return make_channel("telegram", infoem)


@pytest.fixture
def x_channel(db, infoem):
    return make_channel("x", infoem)


def png_bytes(size=(64, 48), color=(0, 125, 126)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def make_image(title="Imagen"):
    return Image.objects.create(title=title, file=ImageFile(io.BytesIO(png_bytes()), name="img.png"))


def publish_post(author, channels, text="Conoce tus derechos de acceso a la información.", **fields):
    """Create a post and publish it as the admin does (a revision, then publish)."""
    post = Post(title=fields.pop("title", text[:40]), text=text, author=author, **fields)
    post.channels.set(channels)
    post.save()
    post.save_revision(user=author).publish(user=author)
    return post
