"""Campaigns: channels, posts, their deliveries to each channel, reach and amplification.

A ``Post`` is a Wagtail snippet with drafts, revisions and workflows. Publishing it (directly,
or when Coordinación approves it in the workflow) creates one ``Delivery`` per target channel.
Deliveries are the unit of work of the Celery jobs; their state machine lives in
``campaigns.delivery``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
    WorkflowState,
)
from wagtail.search import index

from network.models import ImportRecord

from . import crypto, logsafety
from . import rules as access
from .enums import (
    AmplificationAction,
    AttemptOutcome,
    ChannelHealth,
    ChannelKind,
    DeliveryPurpose,
    DeliveryState,
    Weekday,
)

MAX_IMAGES = 4
SYSTEM_HASHTAG_CACHE_KEY = "enlace:system-hashtag"  # read by campaigns.preferences


@register_setting(icon="mail")
class CampaignSettings(BaseSiteSetting):
    """What Coordinación sets for everything the campaigns publish."""

    system_hashtag = models.CharField(
        _("etiqueta del sistema"), max_length=40, default="#SNT",
        help_text=_("Se agrega a todo lo que se publica en redes, p. ej. #SNT."),
    )

    panels = [FieldPanel("system_hashtag")]

    class Meta:
        verbose_name = _("ajustes de campañas")

    def __str__(self):
        return str(self._meta.verbose_name)

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        tag = (self.system_hashtag or "").strip()
        if not tag.startswith("#"):
            tag = f"#{tag}"
        if len(tag) < 2 or not tag[1:].replace("_", "").isalnum():
            raise ValidationError({"system_hashtag": _(
                "Una etiqueta lleva solo letras, números o guion bajo, p. ej. #SNT.")})
        self.system_hashtag = tag

    def save(self, *args, **kwargs):
        from django.core.cache import cache

        super().save(*args, **kwargs)
        cache.delete(SYSTEM_HASHTAG_CACHE_KEY)


class ChannelQuerySet(models.QuerySet):
    """Scopes come from ``campaigns.rules`` (one scoping function for every screen)."""

    def for_user(self, user):
        """Channels a user may target with a post."""
        return access.scope(user, self)

    def manageable_by(self, user):
        """Channels whose settings and credentials a user may change."""
        return access.scope(user, self, purpose="manage")

    def usable(self):
        return self.filter(active=True)

    in_scope_of = manageable_by


class Channel(ClusterableModel):
    """An account of an institution (or of the SNT itself) on one social network, with its
    posting schedule (``slots``: the weekly hours «Añadir a la cola» fills)."""

    name = models.CharField(_("nombre"), max_length=120)
    kind = models.CharField(_("red"), max_length=20, choices=ChannelKind.choices,
                            default=ChannelKind.TELEGRAM)
    institution = models.ForeignKey(
        "network.Institution", verbose_name=_("institución"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="channels",
        help_text=_("Vacío: canal del SNT (sus publicaciones requieren aprobación de Coordinación)."),
    )
    chat_id = models.CharField(
        _("chat id o @canal de Telegram"), max_length=64, blank=True,
        help_text=_("Por ejemplo @transparencia_snt o -1001234567890."),
    )
    handle = models.CharField(_("cuenta"), max_length=80, blank=True, editable=False,
                              help_text=_("Nombre de la cuenta según la red, al probar la conexión."))
    account_id = models.CharField(max_length=64, blank=True, editable=False)
    credentials = models.TextField(editable=False, blank=True)
    is_network_group = models.BooleanField(
        _("grupo de la Red de Vinculación"), default=False,
        help_text=_("Recibe las solicitudes de amplificación (solo Telegram)."),
    )
    active = models.BooleanField(_("activo"), default=True)
    health = models.CharField(_("estado de la conexión"), max_length=12,
                              choices=ChannelHealth.choices, default=ChannelHealth.UNCHECKED,
                              editable=False)
    health_checked_at = models.DateTimeField(_("última prueba"), null=True, editable=False)
    health_error = models.TextField(_("último error"), blank=True, editable=False)
    # The network refused to let this token post (X: an app that may only read). A check that
    # only reads passes all the same: the flag stays until new credentials are given.
    needs_new_credentials = models.BooleanField(_("requiere credenciales nuevas"), default=False,
                                                editable=False)
    paused_until = models.DateTimeField(
        _("en pausa hasta"), null=True, blank=True, editable=False,
        help_text=_("La red pidió esperar (límite de frecuencia)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("canal")
        verbose_name_plural = _("canales")
        ordering = ["institution__acronym", "kind", "name"]

    def __str__(self):
        owner = self.institution.acronym if self.institution_id else "SNT"
        return f"{self.name} ({self.get_kind_display()}, {owner})"

    @property
    def is_snt(self) -> bool:
        return self.institution_id is None

    def is_in_scope_of(self, user) -> bool:
        """The hook network.admin_scope asks for the admin's object views."""
        return access.can_act_on_channel(user, self)

    @property
    def owner(self) -> str:
        return self.institution.acronym if self.institution_id else "SNT"

    def get_credentials(self) -> dict:
        credentials = crypto.unseal(self.credentials)
        logsafety.remember(*credentials.values())  # never in a log line, whatever logs it
        return credentials

    def set_credentials(self, data: dict) -> None:
        self.credentials = crypto.seal(data)

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials)


class PostingSlot(Orderable):
    """One weekly hour at which an institution wants to post on a channel (Mexico City time)."""

    channel = ParentalKey(Channel, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("día"), choices=Weekday.choices)
    time = models.TimeField(_("hora (centro de México)"),
                            help_text=_("24 horas, por ejemplo 10:00 o 17:30."))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("time")])]

    class Meta(Orderable.Meta):
        verbose_name = _("horario de publicación")
        verbose_name_plural = _("horarios de publicación")
        constraints = [
            models.UniqueConstraint(fields=["channel", "weekday", "time"], name="one_slot_per_hour"),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6),
                                   name="slot_weekday_in_week"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.time:%H:%M}"


class PostQuerySet(models.QuerySet):
    def in_scope_of(self, user):
        """Coordinación sees all; an officer their institution's; anyone their own, unless
        written for an institution they no longer belong to (``campaigns.rules``)."""
        return access.scope(user, self)


class CampaignQuerySet(models.QuerySet):
    def in_scope_of(self, user):
        """Coordinación sees all; others the SNT's and their institution's."""
        return access.scope(user, self)

    def with_totals(self):
        """Posts, sent deliveries and impressions per campaign (for the admin listing)."""
        sent = Q(posts__deliveries__state=DeliveryState.SENT)
        return self.annotate(
            post_count=models.Count("posts", distinct=True),
            sent_count=models.Count("posts__deliveries", filter=sent, distinct=True),
            impressions=models.Sum("posts__deliveries__impressions"),
        )


class Campaign(ClusterableModel):
    """A group of posts with one objective, audience and dates (the annual dissemination plan)."""

    name = models.CharField(_("nombre"), max_length=200)
    objective = models.TextField(_("objetivo"))
    audience = models.CharField(_("público objetivo"), max_length=255, blank=True)
    institution = models.ForeignKey(
        "network.Institution", verbose_name=_("institución"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="campaigns",
        help_text=_("Vacío: campaña del SNT."),
    )
    starts_on = models.DateField(_("inicia"))
    ends_on = models.DateField(_("termina"))
    description = models.TextField(_("descripción"), blank=True)
    action_lines = ParentalManyToManyField(
        "network.ActionLine", verbose_name=_("líneas de acción que atiende"), blank=True,
        related_name="campaigns",
        help_text=_("Líneas de acción de las agendas regionales conjuntas a las que sirve."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("objective"),
        FieldPanel("audience"),
        FieldPanel("institution"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("description"),
        FieldPanel("action_lines"),
    ]

    class Meta:
        verbose_name = _("campaña")
        verbose_name_plural = _("campañas")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="campaign_dates_in_order"),
        ]

    def __str__(self):
        return self.name

    def is_in_scope_of(self, user) -> bool:
        """The hook network.admin_scope asks for the admin's object views."""
        return access.can_act_on_campaign(user, self)


class PostTag(TaggedItemBase):
    content_object = ParentalKey("campaigns.Post", on_delete=models.CASCADE,
                                 related_name="tagged_items")


class Post(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin,
           index.Indexed, ClusterableModel):
    """What an officer wants said on one or more channels."""

    title = models.CharField(
        _("título interno"), max_length=160,
        help_text=_("Para identificarla en el calendario; no se publica."),
    )
    text = models.TextField(
        _("texto"), help_text=_("Las etiquetas temáticas y la etiqueta del SNT se agregan al final."),
    )
    link = models.URLField(_("enlace"), blank=True, max_length=500)
    utm_tracking = models.BooleanField(
        _("medir visitas con parámetros UTM"), default=True,
        help_text=_("Agrega utm_source (la red), utm_medium=social y utm_campaign (la campaña) a "
                    "los enlaces a los sitios propios de la institución. Los demás enlaces no "
                    "cambian."),
    )
    tags = ClusterTaggableManager(_("etiquetas temáticas"), through=PostTag, blank=True)
    channels = ParentalManyToManyField(Channel, verbose_name=_("canales"), related_name="posts")
    publish_at = models.DateTimeField(
        _("enviar el"), null=True, blank=True,
        help_text=_("Hora del centro de México. Vacío: en cuanto se publique."),
    )
    institution = models.ForeignKey(
        "network.Institution", verbose_name=_("institución"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="posts",
    )
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaña"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("autor"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+",
                               editable=False)
    client_key = models.CharField(max_length=100, blank=True, editable=False,
                                  help_text="Idempotency-Key sent by an API client.")
    client_fingerprint = models.CharField(
        max_length=64, blank=True, editable=False,
        help_text="SHA-256 of what the request with client_key asked for: a retry has the same.")
    source_page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, editable=False,
                                    on_delete=models.SET_NULL, related_name="+")
    # Set on a post written in bulk (campaigns.posts._publish_new) until its post_created job
    # has run: a broker that restarts empty loses that job, and the sweeper runs it again.
    pending_after_create = models.BooleanField(default=False, db_default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="campaign_post")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState", content_type_field="base_content_type",
        object_id_field="object_id", related_query_name="campaign_post", for_concrete_model=False,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("text", attrs={"data-enlace-counter": "text"},
                   help_text=_("Para un hilo en X, separe las partes con una línea que diga solo "
                               "---. Cada parte se publica como respuesta a la anterior; en "
                               "Telegram las partes van juntas en un solo mensaje. Las etiquetas "
                               "temáticas y la etiqueta del SNT se agregan al final (en un hilo, "
                               "al final de la primera parte).")),
        FieldPanel("link"),
        FieldPanel("utm_tracking"),
        FieldPanel("tags"),
        InlinePanel("images", label=_("Imágenes"), max_num=MAX_IMAGES),
        MultiFieldPanel([
            FieldPanel("channels"),
            FieldPanel("publish_at"),
        ], heading=_("Dónde y cuándo")),
        InlinePanel("variants", label=_("Variantes por canal"),
                    help_text=_("Texto distinto para un canal concreto (opcional).")),
        MultiFieldPanel([FieldPanel("institution"), FieldPanel("campaign")],
                        heading=_("Organización")),
    ]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("text"),
        index.AutocompleteField("title"),
        # Every field campaigns.rules scopes posts by: a scoped listing can then be searched.
        index.FilterField("institution"),
        index.FilterField("author"),
        # The listing's filters: the calendar's day, hour and institution (and the channels
        # with a day) narrow the posts by id; «publicada» by live.
        index.FilterField("id"),
        index.FilterField("live"),
    ]
    # campaigns.signals indexes posts itself, so that creating one (three saves) indexes once.
    search_auto_update = False

    class Meta:
        verbose_name = _("publicación")
        verbose_name_plural = _("publicaciones")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(
            fields=["author", "client_key"], condition=~Q(client_key=""), name="one_post_per_client_key")]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    # The preview shows the post as each network will show it (campaigns.preview).
    @property
    def preview_modes(self):
        return [(ChannelKind.X.value, ChannelKind.X.label),
                (ChannelKind.TELEGRAM.value, ChannelKind.TELEGRAM.label)]

    def get_preview_template(self, request, mode_name, extra_context=None):
        return "campaigns/preview/post.html"

    def get_preview_context(self, request, mode_name):
        from .preview import preview_context

        return {**super().get_preview_context(request, mode_name),
                **preview_context(self, mode_name)}

    def is_in_scope_of(self, user) -> bool:
        """The hook network.admin_scope asks for the admin's object views."""
        return access.can_act_on_post(user, self)

    def send_time_display(self) -> str:
        """The send time as a date in Mexico City time (listings never say "Justo ahora")."""
        from .sendtime import display

        return display(self.publish_at) if self.publish_at else str(_("Al publicar"))

    def send_time_in_words(self) -> str:
        from .sendtime import in_words

        return in_words(self.publish_at)

    def channels_display(self) -> str:
        return ", ".join(c.name for c in self.channels.all())

    def delivery_summary(self) -> str:
        """'2 enviadas · 1 pendiente' from the (prefetched) deliveries."""
        counts: dict[str, int] = {}
        for delivery in self.deliveries.all():
            if delivery.purpose != DeliveryPurpose.PUBLICATION:
                continue  # the request to the network's group is reported apart
            counts[delivery.state] = counts.get(delivery.state, 0) + 1
        if not counts:
            if self.live:
                return str(_("Sin envíos"))
            # Sent to Coordinación's approval is not a draft (as the calendar says too), nor is
            # one Coordinación sent back with changes requested.
            awaiting = getattr(self, "awaiting_approval", None)
            changes = getattr(self, "changes_requested", None)
            if awaiting is None or changes is None:
                state = self.current_workflow_state
                status = state.status if state is not None else None
                awaiting = status == WorkflowState.STATUS_IN_PROGRESS
                changes = status == WorkflowState.STATUS_NEEDS_CHANGES
            if changes:
                return str(_("Con cambios solicitados"))
            return str(_("En aprobación") if awaiting else _("En borrador"))
        return " · ".join(DeliveryState.counted(state, counts[state])
                          for state in DeliveryState.values if state in counts)

    def variant_for(self, channel) -> str:
        for variant in self.variants.all():
            if variant.channel_id == channel.pk and variant.text.strip():
                return variant.text
        return self.text

    def ordered_images(self):
        return [item.image for item in self.images.all() if item.image_id]


class PostImage(Orderable):
    post = ParentalKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("imagen"),
                              on_delete=models.PROTECT, related_name="+")
    panels = [FieldPanel("image")]


class PostVariant(Orderable):
    post = ParentalKey(Post, on_delete=models.CASCADE, related_name="variants")
    channel = models.ForeignKey(Channel, verbose_name=_("canal"), on_delete=models.CASCADE,
                                related_name="+")
    text = models.TextField(_("texto para este canal"))
    panels = [FieldPanel("channel"), FieldPanel("text", attrs={"data-enlace-counter": "variant"})]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["post", "channel"],
                                               name="one_variant_per_channel")]


class DeliveryQuerySet(models.QuerySet):
    def for_user(self, user):
        return access.scope(user, self)

    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)


class Delivery(models.Model):
    """One post going to one channel, exactly once."""

    post = models.ForeignKey(Post, verbose_name=_("publicación"), on_delete=models.CASCADE,
                             related_name="deliveries")
    channel = models.ForeignKey(Channel, verbose_name=_("canal"), on_delete=models.PROTECT,
                                related_name="deliveries")
    state = models.CharField(_("estado"), max_length=12, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING, db_index=True)
    purpose = models.CharField(_("propósito"), max_length=16, choices=DeliveryPurpose.choices,
                               default=DeliveryPurpose.PUBLICATION, editable=False)
    due_at = models.DateTimeField(_("programada para"), db_index=True)
    next_attempt_at = models.DateTimeField(_("próximo intento"), db_index=True)
    attempts = models.PositiveIntegerField(_("intentos"), default=0)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set, and committed, immediately before the request that publishes leaves the worker:
    # a claim without it never reached the network; a claim with it may have.
    request_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("terminó"), null=True, blank=True)
    sent_text = models.TextField(_("texto enviado"), blank=True)
    # A thread on X: the ids of the parts already out, in order, each recorded (and committed)
    # before the next part leaves; a resumed delivery continues after the last one.
    part_ids = models.JSONField(_("ids de las partes del hilo"), default=list, blank=True,
                                editable=False)
    external_id = models.CharField(_("id en la red"), max_length=64, blank=True)
    external_url = models.URLField(_("enlace a la publicación"), blank=True, max_length=500)
    error = models.TextField(_("motivo"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("resuelta por"))
    likes = models.PositiveIntegerField(_("me gusta"), default=0)
    reposts = models.PositiveIntegerField(_("republicaciones"), default=0)
    replies = models.PositiveIntegerField(_("respuestas"), default=0)
    impressions = models.PositiveIntegerField(_("impresiones"), default=0)
    metrics_at = models.DateTimeField(_("métricas al"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("envío")
        verbose_name_plural = _("envíos")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "channel", "purpose"],
                                    name="one_delivery_per_channel_and_purpose"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.post} → {self.channel}"

    @property
    def is_final(self) -> bool:
        return self.state in (DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.CANCELLED)


class DeliveryAttempt(models.Model):
    """The log of every call made for a delivery, for people diagnosing a failure."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(_("resultado"), max_length=20, choices=AttemptOutcome.choices)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_outcome_display()}"


class MetricSnapshot(models.Model):
    """Reach of one X post at one moment, for the charts over time."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField(default=timezone.now, db_index=True)
    likes = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    impressions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["taken_at"]
        # The latest snapshot of a delivery before a date (dashboards' reach, per delivery of
        # a quarter): without it PostgreSQL walked every snapshot by date for each delivery.
        indexes = [models.Index(fields=["delivery", "-taken_at"], name="snapshot_latest_idx")]

    def __str__(self):
        return f"{self.delivery_id} @ {self.taken_at:%Y-%m-%d %H:%M}"


class AmplificationRequest(models.Model):
    """The request to the Red de Vinculación to like and repost a post by hand, sent once."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="amplification")
    created_at = models.DateTimeField(default=timezone.now)
    emails_sent = models.PositiveIntegerField(_("correos enviados"), default=0)
    telegram_sent = models.BooleanField(_("aviso en el grupo de Telegram"), default=False)

    class Meta:
        verbose_name = _("solicitud de amplificación")
        verbose_name_plural = _("solicitudes de amplificación")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.post)


class AmplificationClick(models.Model):
    """An institution of the network following a like / repost link of a request."""

    request = models.ForeignKey(AmplificationRequest, on_delete=models.CASCADE,
                                related_name="clicks")
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey("network.Institution", on_delete=models.CASCADE,
                                    related_name="+")
    action = models.CharField(max_length=10, choices=AmplificationAction.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["request", "delivery", "institution", "action"], name="one_click_per_action")]

    def __str__(self):
        return f"{self.institution_id} {self.action}"


class PageShare(models.Model):
    """A page revision that was shared as a post (so republishing does not share it again)."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    revision_id = models.PositiveBigIntegerField(null=True)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"page {self.page_id} → post {self.post_id}"


class FeedSourceQuerySet(models.QuerySet):
    def in_scope_of(self, user):
        return access.scope(user, self)

    def active(self):
        return self.filter(active=True)


class FeedSource(models.Model):
    """The RSS or Atom feed of an institution's website: its new items become draft posts.

    ``campaigns.feeds`` reads it on a schedule (``ENLACE_FEEDS_INTERVAL``); nothing it creates
    is published or scheduled: an officer reviews each draft, picks channels and publishes.
    """

    institution = models.ForeignKey(
        "network.Institution", verbose_name=_("institución"), on_delete=models.CASCADE,
        related_name="feed_sources")
    name = models.CharField(_("nombre"), max_length=120,
                            help_text=_("Por ejemplo «Noticias del sitio del INFOEM»."))
    url = models.URLField(_("dirección del canal RSS o Atom"), max_length=500,
                          help_text=_("Empieza con https:// (o http://)."))
    active = models.BooleanField(_("activo"), default=True,
                                 help_text=_("Si se desactiva, ya no se consulta."))
    last_fetched_at = models.DateTimeField(_("última consulta"), null=True, blank=True,
                                           editable=False)
    last_error = models.TextField(_("último error"), blank=True, editable=False)
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeedSourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("canal RSS o Atom")
        verbose_name_plural = _("canales RSS o Atom")
        ordering = ["institution__acronym", "name"]
        constraints = [models.UniqueConstraint(fields=["institution", "url"],
                                               name="one_feed_per_institution_and_url")]

    def __str__(self):
        return self.name

    def is_in_scope_of(self, user) -> bool:
        return access.can_act_on_feed(user, self)

    def status_display(self) -> str:
        if not self.active:
            return str(_("Desactivado"))
        if self.last_error:
            return str(_("Error: %(e)s") % {"e": self.last_error})
        if self.last_fetched_at is None:
            return str(_("Sin consultar todavía"))
        return str(_("Funciona"))

    def last_fetched_display(self) -> str:
        if self.last_fetched_at is None:
            return "—"
        return timezone.localtime(self.last_fetched_at).strftime("%d/%m/%Y %H:%M")


class FeedItem(models.Model):
    """An item of a feed already seen: the unique key keeps one draft per item, even when two
    workers read the same feed at once. Items skipped on a first reading are kept without a
    post, so they never turn into drafts later."""

    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=64, help_text="SHA-256 of the item's GUID, or of its link.")
    post = models.OneToOneField(Post, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="feed_item")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"],
                                               name="one_feed_item_per_key")]

    def __str__(self):
        return f"{self.source_id}:{self.key[:12]}"


class PostImport(ImportRecord):
    """One file of posts to schedule in bulk: previewed, then created whole or not at all, once.

    The same record and two steps as the network's contacts import (``network.domain.imports``),
    whose reader it reuses; a row here is one post."""

    # The officer's institution when an officer uploaded; None for Coordinación.
    institution = models.ForeignKey("network.Institution", null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="+")

    class Meta(ImportRecord.Meta):
        verbose_name = _("carga de publicaciones")
        verbose_name_plural = _("cargas de publicaciones")

    def __str__(self) -> str:
        return self.filename
