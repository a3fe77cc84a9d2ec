"""Campaigns in the Wagtail admin: posts, channels, campaigns, calendar, deliveries and reach."""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html, json_script
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    PreviewOnCreateView,
    PreviewOnEditView,
    SnippetViewSetGroup,
)

from hub import converters as _ids  # noqa: F401  (registers <dbid:>)
from hub.indicators import INDICATORS_HOOK

from . import indicators
from .connectors import all_connectors
from .forms import CampaignForm, ChannelForm, PostForm
from .models import Campaign, Channel, Delivery, Post
from .views import admin as views
from .views.scoping import ScopedDeleteBulkAction, ScopedViewSet


class LocalDateColumn(Column):
    """A date as a date (26/11/2026): Wagtail's DateColumn says "Justo ahora" for future ones."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return value.strftime("%d/%m/%Y") if value else ""


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
    icon = "mail"
    menu_label = _("Publicaciones")
    list_display = ["title", Column("channels_display", label=_("Canales")),
                    Column("send_time_display", label=_("Enviar el (hora de la Cd. de México)"),
                           sort_key="publish_at"),
                    Column("delivery_summary", label=_("Envíos"))]
    list_filter = ["institution", "campaign", "channels", "live"]
    list_export = ["title", "text", "link", "channels_display", "publish_at", "delivery_summary",
                   "institution", "campaign", "live"]
    export_headings = {"channels_display": _("Canales"), "delivery_summary": _("Envíos")}
    list_per_page = 50
    ordering = ["-created_at"]
    edit_handler = ObjectList(Post.panels, base_form_class=PostForm)
    inspect_view_enabled = True
    preview_on_add_view_class = PostPreviewOnCreateView
    preview_on_edit_view_class = PostPreviewOnEditView

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("channels", "deliveries")


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
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("institution")]),
        FieldPanel("chat_id"),
        *[MultiFieldPanel([FieldPanel(f.name) for f in connector.credential_fields],
                          heading=connector.credentials_heading)
          for connector in all_connectors()],
        FieldRowPanel([FieldPanel("active"), FieldPanel("is_network_group")]),
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
        return super().get_queryset(request).with_totals()


class CampaignsGroup(SnippetViewSetGroup):
    items = (PostViewSet, CampaignViewSet, ChannelViewSet)
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
        path("campanas/alcance/", views.reach, name="campaigns_reach"),
        path("campanas/canales/<dbid:pk>/probar/", views.test_channel, name="campaigns_test_channel"),
        path("campanas/token/", views.api_token, name="campaigns_api_token"),
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


@hooks.register("register_admin_menu_item")
def token_menu_item():
    return MenuItem(_("Token de la API"), reverse("campaigns_api_token"), icon_name="key", order=900)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def say_when_the_post_goes_out(request, instance):
    """After saving, the send time again in words (Mexico City time)."""
    if isinstance(instance, Post) and ("action-publish" in request.POST
                                       or "action-submit" in request.POST):
        messages.info(request, instance.send_time_in_words())


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
    """Dashboard: failing channels and deliveries that need a person's decision."""

    name = "campaigns_attention"
    order = 90
    template_name = "campaigns/admin/attention_panel.html"

    def __init__(self, channels, deliveries):
        self.channels, self.deliveries = channels, deliveries

    def get_context_data(self, parent_context):
        return {"channels": self.channels, "deliveries": self.deliveries}


@hooks.register("construct_homepage_panels")
def add_attention_panel(request, panels):
    if not request.user.has_perm("campaigns.view_delivery"):
        return
    channels = list(Channel.objects.manageable_by(request.user).filter(health="falla")[:10])
    deliveries = list(Delivery.objects.for_user(request.user).filter(
        state__in=["failed", "uncertain"], resolved_by__isnull=True).select_related(
        "post", "channel").order_by("-finished_at")[:10])
    if channels or deliveries:
        panels.append(AttentionPanel(channels, deliveries))


# Figures for the dashboards and the quarterly report (hub.indicators).
hooks.register(INDICATORS_HOOK, indicators.posts_section)
