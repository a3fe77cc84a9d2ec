"""One factory per campaigns model, and the builders the campaigns tests share."""

import io
from datetime import timedelta

import factory
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images.models import Image

from campaigns.enums import ChannelHealth, ChannelKind, DeliveryState
from campaigns.models import Campaign, Channel, Delivery, Post

TG_TOKEN = "123:valid"
X_KEYS = {"consumer_key": "ck-valid", "consumer_secret": "cs", "access_token": "at",
          "access_token_secret": "ats"}


class ChannelFactory(factory.django.DjangoModelFactory):
    """A working channel; its credentials are the ones the fake networks accept."""

    class Meta:
        model = Channel
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Canal {n}")
    kind = ChannelKind.TELEGRAM
    institution = None
    chat_id = factory.LazyAttribute(lambda c: "@snt_canal" if c.kind == ChannelKind.TELEGRAM else "")
    handle = "@SNT_mx"
    health = ChannelHealth.OK

    @factory.post_generation
    def sealed(self, create, extracted, **kwargs):
        self.set_credentials(extracted or ({"bot_token": TG_TOKEN} if self.kind == ChannelKind.TELEGRAM
                                           else dict(X_KEYS)))
        if create:
            self.save()


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaña {n}")
    objective = "Difundir el derecho de acceso a la información."
    institution = None
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class PostFactory(factory.django.DjangoModelFactory):
    """A draft post (``live=False``); :func:`publish_post` publishes one as the admin does."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Publicación {n}")
    text = "Conoce tus derechos de acceso a la información."
    live = False

    @factory.post_generation
    def channels(self, create, extracted, **kwargs):
        if extracted:
            self.channels.set(extracted)
        if create:
            self.save()


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    post = factory.SubFactory(PostFactory)
    channel = factory.SubFactory(ChannelFactory)
    state = DeliveryState.PENDING
    due_at = factory.LazyFunction(timezone.now)
    next_attempt_at = factory.LazyAttribute(lambda d: d.due_at)


def make_channel(kind, institution=None, name=None, **extra):
    return ChannelFactory(kind=kind, institution=institution,
                          name=name or f"{kind} {institution.acronym if institution else 'SNT'}",
                          **extra)


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


# The post editor's form, as the admin posts it.
EMPTY_FORMSETS = {
    "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0", "images-MIN_NUM_FORMS": "0",
    "images-MAX_NUM_FORMS": "4",
    "variants-TOTAL_FORMS": "0", "variants-INITIAL_FORMS": "0", "variants-MIN_NUM_FORMS": "0",
    "variants-MAX_NUM_FORMS": "1000",
}


# The channel editor's posting schedule, empty, as the admin posts it.
EMPTY_SLOTS = {"slots-TOTAL_FORMS": "0", "slots-INITIAL_FORMS": "0", "slots-MIN_NUM_FORMS": "0",
               "slots-MAX_NUM_FORMS": "1000"}


def post_form(channels, text="Consulta la Plataforma Nacional de Transparencia.", **extra):
    return {"title": "Aviso", "text": text, "link": "", "tags": "", "publish_at": "",
            "channels": [c.pk for c in channels], **EMPTY_FORMSETS, **extra}


ADD = "/admin/snippets/campaigns/post/add/"
