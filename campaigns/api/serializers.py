"""JSON shapes of the API (documented in the OpenAPI description at /api/openapi.json)."""

from __future__ import annotations

import functools

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from network.models import Institution

from ..enums import ChannelKind
from ..models import MAX_IMAGES, Channel, Delivery, Post
from ..sendtime import MEXICO_CITY
from ..validation import MAX_ID, too_far_ahead_message


class ChannelSerializer(serializers.ModelSerializer):
    # None for a channel of the SNT.
    institution = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True)
    health = serializers.CharField(read_only=True)

    class Meta:
        model = Channel
        fields = ["id", "name", "kind", "institution", "handle", "chat_id", "active", "health"]


class ChannelCreateSerializer(serializers.Serializer):
    name = serializers.CharField(min_length=1, max_length=120)
    kind = serializers.ChoiceField(choices=[ChannelKind.TELEGRAM, ChannelKind.X])
    institution = serializers.SlugRelatedField(
        slug_field="acronym", queryset=Institution.objects.all(), required=False, allow_null=True,
        help_text="Siglas de la institución; vacío para un canal del SNT.")
    chat_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    credentials = serializers.DictField(
        child=serializers.CharField(), write_only=True,
        help_text="Telegram: bot_token. X: consumer_key, consumer_secret, access_token, "
                  "access_token_secret.")


class DeliverySerializer(serializers.ModelSerializer):
    channel = serializers.PrimaryKeyRelatedField(read_only=True)
    channel_name = serializers.CharField(source="channel.name", read_only=True)

    class Meta:
        model = Delivery
        fields = ["id", "channel", "channel_name", "state", "due_at", "external_id", "external_url",
                  "attempts", "error", "sent_text", "likes", "reposts", "replies", "impressions"]


class PostSerializer(serializers.ModelSerializer):
    channels = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    tags = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    deliveries = DeliverySerializer(many=True, read_only=True)
    images = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ["id", "title", "text", "link", "tags", "channels", "publish_at", "campaign",
                  "status", "images", "deliveries", "created_at"]

    def get_tags(self, post) -> list[str]:
        return [t.name for t in post.tags.all()]

    def get_images(self, post) -> list[int]:
        return [i.image_id for i in post.images.all()]

    def get_status(self, post) -> str:
        """draft, awaiting_approval, changes_requested (Coordinación sent it back) or
        published."""
        if post.live:
            return "published"
        state = post.current_workflow_state
        if state is None:
            return "draft"
        if state.status == state.STATUS_NEEDS_CHANGES:
            return "changes_requested"
        return "awaiting_approval"


@functools.cache
def _post_representation():
    """One PostSerializer's ``to_representation``, built once: a ModelSerializer builds its
    fields again for every instance (about a third of a post's creation). It keeps no state
    between calls, so one instance serves every request and thread."""
    serializer = PostSerializer()
    serializer.fields  # noqa: B018 (built now, not during the first request)
    return serializer.to_representation


def represent_post(post) -> dict:
    """What ``PostSerializer(post).data`` gives."""
    return _post_representation()(post)


class SendTimeField(serializers.DateTimeField):
    """ISO 8601; without a zone, Mexico City time (whatever zone is active). Dates no calendar
    can hold are refused."""

    def default_timezone(self):
        return MEXICO_CITY

    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except (OverflowError, ValueError):
            raise serializers.ValidationError(too_far_ahead_message()) from None


@extend_schema_field(OpenApiTypes.INT)
class ScopedCampaignField(serializers.PrimaryKeyRelatedField):
    """Only campaigns the user may file posts under (others read as nonexistent)."""

    default_error_messages = {
        "does_not_exist": gettext_lazy("No existe la campaña %(id)s o no puede usarla."),
    }

    def fail(self, key, **kwargs):
        if key == "does_not_exist":
            raise serializers.ValidationError(
                self.error_messages[key] % {"id": kwargs.get("pk_value")}, code=key)
        super().fail(key, **kwargs)

    def to_internal_value(self, data):
        text = str(data)
        if (isinstance(data, bool) or not isinstance(data, (int, str))
                or not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID):
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)

    def get_queryset(self):
        from .. import rules

        request = self.context.get("request")
        return rules.usable_campaigns(getattr(request, "user", None))


class PostCreateSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=10_000)
    channels = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
                                     allow_empty=False, min_length=1)
    publish_at = SendTimeField(required=False, allow_null=True,
                                           help_text="ISO 8601; sin zona = hora del centro de México. "
                                                     "Ausente: en cuanto se publique.")
    title = serializers.CharField(required=False, allow_blank=True, max_length=160)
    link = serializers.URLField(required=False, allow_blank=True, max_length=500)
    tags = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    campaign = ScopedCampaignField(required=False, allow_null=True)
    images = serializers.ListField(child=serializers.ImageField(), required=False,
                                   max_length=MAX_IMAGES)

    def validate_images(self, files):
        limit = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
        for upload in files:
            if upload.size > limit:
                raise serializers.ValidationError(
                    _("La imagen «%(n)s» pesa %(s).1f MB; el máximo es %(m)s MB.") % {
                        "n": upload.name, "s": upload.size / 1_048_576, "m": limit // 1_048_576})
            image = getattr(upload, "image", None)
            if image is not None and image.width * image.height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
                raise serializers.ValidationError(
                    _("La imagen «%(n)s» tiene demasiados píxeles.") % {"n": upload.name})
            if image is not None and (image.format or "").upper() not in {"JPEG", "PNG", "GIF", "WEBP"}:
                raise serializers.ValidationError(
                    _("La imagen «%(n)s» debe ser JPEG, PNG, GIF o WebP.") % {"n": upload.name})
        return files

    def validate_publish_at(self, value):
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value
