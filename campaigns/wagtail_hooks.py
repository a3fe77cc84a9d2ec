"""Campaigns in the Wagtail admin: posts, channels, campaigns, calendar, deliveries and reach."""

from __future__ import annotations

from django.db.models import Count, Q
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, json_script
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.admin.widgets.button import Button
from wagtail.models import WorkflowState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    EditView,
    PreviewOnCreateView,
    PreviewOnEditView,
    SnippetViewSetGroup,
)

from hub import converters as _ids  # noqa: F401  (registers <dbid:>)
from hub.indicators import INDICATORS_HOOK

from . import indicators, jobs, planning
from .admin_panels import ChannelStatusPanel
from .connectors import all_connectors
from .feeds import recent_drafts
from .forms import CampaignForm, ChannelForm, FeedSourceForm, PostForm
from .models import Campaign, Channel, Delivery, FeedSource, Post
from .views import admin as views
from .views import planner, post_import, queue
from .views import reach as reach_views
from .views.scoping import PostFilterSet, ScopedDeleteBulkAction, ScopedViewSet


class LocalDateColumn(Column):
    """A date as a date (26/11/2026): Wagtail's DateColumn says "Justo ahora" for future ones."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return value.strftime("%d/%m/%Y") if value else ""


class PostEditView(EditView):
    """The post editor, with «Añadir a la cola» among its header's buttons."""

    def get_object(self, queryset=None):
        post = super().get_object(queryset)
        # Wagtail autosaves a new post as a draft while it is written, so its first «Publicar»
        # comes here: that is a publication, not an update of something already out.
        self.published_before = post.first_published_at is not None
        return post

    def get_success_message(self, instance=None):
        title = {"title": instance or self.object}
        if self.action == "publish" and not self.published_before:
            return _("Se publicó «%(title)s».") % title
        if self.action == "workflow-action":
            # Wagtail says «Se actualizó» for every task action: Coordinación approving or asking
            # for changes was told neither.
            if self.workflow_action == "approve":
                return _("Se aprobó «%(title)s».") % title
            if self.workflow_action == "reject":
                return _("Se pidieron cambios en «%(title)s»: quien la propuso lo verá en el "
                         "listado de publicaciones y podrá enviarla de nuevo.") % title
        return super().get_success_message(instance)

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm("campaigns.change_post"):
            buttons.append(Button(_("Añadir a la cola"), icon_name="time", priority=5,
                                  url=reverse("campaigns_queue_post", args=[self.object.pk])))
        return buttons


class _PreviewsLongTexts:
    """The preview draws a text that is too long (with by how much) rather than refusing."""

    def get_form(self, query_dict):
        form = super().get_form(query_dict)
        form.previewing = True
        return form


class PostPreviewOnCreateView(_PreviewsLongTexts, PreviewOnCreateView):
    pass


class PostPreviewOnEditView(_PreviewsLongTexts, PreviewOnEditView):
    pass


class PostViewSet(ScopedViewSet):
    model = Post
    edit_view_class = PostEditView
    icon = "mail"
    menu_label = _("Publicaciones")
    list_display = ["title", Column("channels_display", label=_("Canales")),
                    Column("send_time_display", label=_("Enviar el (hora de la Cd. de México)"),
                           sort_key="publish_at"),
                    Column("delivery_summary", label=_("Envíos"))]
    filterset_class = PostFilterSet
    list_export = ["title", "text", "link", "channels_display", "publish_at", "delivery_summary",
                   "institution", "campaign", "live"]
    export_headings = {"channels_display": _("Canales"), "delivery_summary": _("Envíos")}
    list_per_page = 50
    ordering = ["-created_at"]
    edit_handler = ObjectList(Post.panels, base_form_class=PostForm)
    inspect_view_enabled = True
    # What an officer wrote and where it goes; not the bookkeeping fields (revisions, locks,
    # API idempotency key), which had no Spanish names.
    inspect_view_fields = ["title", "text", "link", "tags", "channels", "publish_at",
                           "utm_tracking", "institution", "campaign", "author", "live"]
    add_view_class = planner.PostCreateView
    preview_on_add_view_class = PostPreviewOnCreateView
    preview_on_edit_view_class = PostPreviewOnEditView

    def get_queryset(self, request):
        # The export names each post's institution and campaign: read them in the same query.
        return (super().get_queryset(request).select_related("institution", "campaign")
                .prefetch_related("channels", "deliveries")
                .annotate(
                    awaiting_approval=Count("workflow_states", distinct=True, filter=Q(
                        workflow_states__status=WorkflowState.STATUS_IN_PROGRESS)),
                    changes_requested=Count("workflow_states", distinct=True, filter=Q(
                        workflow_states__status=WorkflowState.STATUS_NEEDS_CHANGES))))


class ChannelViewSet(ScopedViewSet):
    model = Channel
    scope_purpose = "manage"
    icon = "link"
    menu_label = _("Canales")
    list_display = ["name", Column("kind", accessor="get_kind_display", label=_("Red")),
                    Column("owner", label=_("Institución")), "handle",
                    Column("health", accessor="get_health_display", label=_("Conexión"))]
    list_filter = ["kind", "institution", "health", "active"]
    list_export = ["name", "kind", "owner", "handle", "chat_id", "health", "health_checked_at",
                   "active"]
    export_headings = {"owner": _("Institución")}
    edit_handler = ObjectList([
        ChannelStatusPanel(),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("institution")]),
        FieldPanel("chat_id"),
        *[MultiFieldPanel([FieldPanel(f.name) for f in connector.credential_fields],
                          heading=connector.credentials_heading)
          for connector in all_connectors()],
        FieldRowPanel([FieldPanel("active"), FieldPanel("is_network_group")]),
        InlinePanel("slots", label=_("Horarios de publicación"),
                    help_text=_("Días y horas (centro de México) en que su institución quiere "
                                "publicar en este canal; «Añadir a la cola» usa el siguiente "
                                "libre.")),
    ], base_form_class=ChannelForm)


class CampaignViewSet(ScopedViewSet):
    model = Campaign
    scope_purpose = "manage"
    icon = "tasks"
    menu_label = _("Campañas")
    list_display = ["name", "institution", LocalDateColumn("starts_on", label=_("Inicia")),
                    LocalDateColumn("ends_on", label=_("Termina")),
                    Column("post_count", label=_("Publicaciones")),
                    Column("sent_count", label=_("Envíos hechos")),
                    Column("impressions", label=_("Impresiones"))]
    list_filter = ["institution"]
    edit_handler = ObjectList(Campaign.panels, base_form_class=CampaignForm)
    list_export = ["name", "objective", "audience", "institution", "starts_on", "ends_on",
                   "post_count", "sent_count", "impressions"]
    export_headings = {"post_count": _("Publicaciones"), "sent_count": _("Envíos hechos"),
                       "impressions": _("Impresiones")}

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals().select_related("institution")


class FeedSourceViewSet(ScopedViewSet):
    """RSS/Atom feeds of the institutions' sites; their new items become draft posts."""

    model = FeedSource
    icon = "globe"
    menu_label = _("Canales RSS o Atom")
    list_display = ["name", "institution", "url",
                    Column("last_fetched_display", label=_("Última consulta"),
                           sort_key="last_fetched_at"),
                    Column("status_display", label=_("Estado"))]
    list_filter = ["institution", "active"]
    list_export = ["name", "institution", "url", "active", "last_fetched_at", "last_error"]
    edit_handler = ObjectList([
        FieldPanel("name"), FieldPanel("institution"), FieldPanel("url"), FieldPanel("active"),
    ], base_form_class=FeedSourceForm)
    inspect_view_enabled = True
    inspect_view_fields = ["name", "institution", "url", "active", "last_fetched_at",
                           "last_error"]


class CampaignsGroup(SnippetViewSetGroup):
    items = (PostViewSet, CampaignViewSet, ChannelViewSet, FeedSourceViewSet)
    menu_icon = "mail"
    menu_label = _("Campañas")
    menu_name = "campaigns"
    menu_order = 150


register_snippet(CampaignsGroup)

# After Wagtail's own (order): the campaigns' models get the scoped bulk delete.
hooks.register("register_bulk_action", ScopedDeleteBulkAction, order=100)


@hooks.register("register_admin_urls")
def register_campaign_urls():
    return [
        path("campanas/calendario/", views.calendar, name="campaigns_calendar"),
        path("campanas/envios/", views.deliveries, name="campaigns_deliveries"),
        path("campanas/envios/<dbid:pk>/<slug:action>/", views.delivery_action,
             name="campaigns_delivery_action"),
        path("campanas/publicaciones/<dbid:pk>/informe/", views.post_report, name="campaigns_post_report"),
        path("campanas/publicaciones/<dbid:pk>/reprogramar/", planner.reschedule,
             name="campaigns_reschedule"),
        path("campanas/alcance/", views.reach, name="campaigns_reach"),
        path("campanas/alcance/campana/<dbid:pk>/", reach_views.campaign_reach,
             name="campaigns_campaign_reach"),
        path("campanas/alcance/institucion/<dbid:pk>/", reach_views.institution_reach,
             name="campaigns_institution_reach"),
        path("campanas/canales/<dbid:pk>/probar/", views.test_channel, name="campaigns_test_channel"),
        path("campanas/token/", views.api_token, name="campaigns_api_token"),
        path("campanas/publicaciones/<dbid:pk>/cola/", queue.queue_post, name="campaigns_queue_post"),
        path("campanas/importar/", post_import.upload, name="campaigns_import"),
        path("campanas/importar/<dbid:batch_id>/", post_import.preview, name="campaigns_import_preview"),
        path("campanas/importar/plantilla.<slug:fmt>", post_import.template,
             name="campaigns_import_template"),
    ]


class CampaignsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("campaigns.view_delivery")


@hooks.register("register_admin_menu_item")
def calendar_menu_item():
    return CampaignsMenuItem(_("Calendario de publicaciones"), reverse("campaigns_calendar"),
                             icon_name="date", order=151)


@hooks.register("register_admin_menu_item")
def deliveries_menu_item():
    return CampaignsMenuItem(_("Envíos"), reverse("campaigns_deliveries"), icon_name="resubmit",
                             order=152)


@hooks.register("register_admin_menu_item")
def reach_menu_item():
    return CampaignsMenuItem(_("Alcance"), reverse("campaigns_reach"), icon_name="view", order=153)


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("campaigns.import_posts")


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return ImportMenuItem(_("Programar desde archivo"), reverse("campaigns_import"),
                          icon_name="upload", order=154)


@hooks.register("register_admin_menu_item")
def token_menu_item():
    return MenuItem(_("Token de la API"), reverse("campaigns_api_token"), icon_name="key", order=900)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def say_when_the_post_goes_out(request, instance):
    """After saving, the send time again in words (Mexico City time); also after Coordinación
    approves in the editor, which schedules the post."""
    approved = ("action-workflow-action" in request.POST
                and request.POST.get("workflow-action-name") == "approve")
    if isinstance(instance, Post) and ("action-publish" in request.POST
                                       or "action-submit" in request.POST or approved):
        messages.info(request, instance.send_time_in_words())


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def read_a_saved_feed(request, instance):
    """A feed is read right after it is saved, so its drafts or its error show soon."""
    if isinstance(instance, FeedSource) and instance.active:
        jobs.send_on_commit("campaigns.read_feed", feed_id=instance.pk)
        messages.info(request, _("El canal se leerá en unos momentos; las notas nuevas aparecerán "
                                 "como borradores en Publicaciones."))


@hooks.register("after_edit_snippet")
def tell_when_changes_are_not_resent(request, instance):
    """Republishing a post never posts twice; say so when something already went out."""
    if isinstance(instance, Post) and "action-publish" in request.POST:
        sent = [d.channel.name for d in instance.deliveries.filter(state="sent").select_related("channel")]
        if sent:
            messages.info(request, _("Ya se publicó en %(channels)s; los cambios no se vuelven a enviar "
                                     "ahí. Si necesita publicarla de nuevo, use «Reenviar» en Envíos.")
                          % {"channels": ", ".join(sent)})


@hooks.register("register_snippet_listing_buttons")
def campaign_listing_buttons(instance, user, next_url=None):
    """'Informe' for posts (deliveries, reach, amplification); 'Probar conexión' for channels."""
    if isinstance(instance, Post):
        yield ListingButton(_("Informe de envíos"), reverse("campaigns_post_report", args=[instance.pk]),
                            icon_name="view", priority=5)
        if user.has_perm("campaigns.change_post"):
            yield ListingButton(_("Añadir a la cola"), reverse("campaigns_queue_post", args=[instance.pk]),
                                icon_name="time", priority=6)
    elif isinstance(instance, Campaign):
        yield ListingButton(_("Alcance"), reverse("campaigns_campaign_reach", args=[instance.pk]),
                            icon_name="view", priority=5)
    elif isinstance(instance, Channel):
        yield ListingButton(_("Probar conexión"), reverse("campaigns_test_channel", args=[instance.pk]),
                            icon_name="resubmit", priority=5)


@hooks.register("insert_editor_js")
def composer_js():
    """The live counter and preview of the post editor (rules mirror campaigns/text.py)."""
    from .preferences import system_hashtag

    # Only the hashtag: each channel's network comes with its own checkbox (data-kind), so the
    # script never carries channels the editor may not use.
    config = json_script({"hashtag": system_hashtag()}, "enlace-composer-config")
    return format_html('{}<script src="{}"></script>', config, static("campaigns/composer.js"))


@hooks.register("insert_global_admin_css")
def composer_css():
    return format_html('<link rel="stylesheet" href="{}">', static("campaigns/admin.css"))


class AttentionPanel(Component):
    """Dashboard: failing channels and deliveries that need a person's decision, drafts that
    came from the institution's feeds and feeds that cannot be read."""

    name = "campaigns_attention"
    order = 90
    template_name = "campaigns/admin/attention_panel.html"

    def __init__(self, **items):
        self.items = items

    def get_context_data(self, parent_context):
        return self.items


@hooks.register("construct_homepage_panels")
def add_attention_panel(request, panels):
    if not request.user.has_perm("campaigns.view_delivery"):
        return
    user = request.user
    drafts = recent_drafts(user)
    items = {
        "channels": list(Channel.objects.manageable_by(user).filter(health="falla")[:10]),
        "deliveries": list(Delivery.objects.for_user(user).filter(
            state__in=["failed", "uncertain"], resolved_by__isnull=True).select_related(
            "post", "channel").order_by("-finished_at")[:10]),
        "feed_drafts": list(drafts[:10]), "feed_draft_count": drafts.count(),
        "broken_feeds": list(FeedSource.objects.in_scope_of(user).active().exclude(
            last_error="")[:10]),
    }
    if any(items.values()):
        panels.append(AttentionPanel(**items))


class ScheduledPanel(Component):
    """Dashboard: «Programadas», the next posts to go out in the user's scope, with
    «Nueva publicación» and the way to the calendar."""

    name = "campaigns_scheduled"
    order = 95
    template_name = "campaigns/admin/scheduled_panel.html"
    LIMIT = 8

    def __init__(self, entries, can_add):
        self.entries, self.can_add = entries, can_add

    def get_context_data(self, parent_context):
        return {"entries": self.entries, "can_add": self.can_add, "limit": self.LIMIT,
                "request": parent_context.get("request")}


@hooks.register("construct_homepage_panels")
def add_scheduled_panel(request, panels):
    if not request.user.has_perm("campaigns.view_delivery"):
        return
    panels.append(ScheduledPanel(planning.upcoming(request.user, ScheduledPanel.LIMIT),
                                 request.user.has_perm("campaigns.add_post")))


# Figures for the dashboards and the quarterly report (hub.indicators).
hooks.register(INDICATORS_HOOK, indicators.posts_section)
