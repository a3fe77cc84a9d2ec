"""Panels of the campaigns' admin forms."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from .enums import ChannelHealth


class ChannelStatusPanel(Panel):
    """At the top of a channel's edit form: what is wrong with its connection, if anything
    (new credentials needed, the last check's error and when, a pause the network asked
    for), where the officer types the new credentials."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Estado de la conexión"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "campaigns/admin/channel_status_panel.html"

        def is_shown(self) -> bool:
            channel = self.instance
            return bool(channel is not None and channel.pk and (
                channel.needs_new_credentials or channel.health == ChannelHealth.FAILING
                or (channel.paused_until and channel.paused_until > timezone.now())))

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            channel = self.instance
            paused = channel.paused_until if (
                channel.paused_until and channel.paused_until > timezone.now()) else None
            context.update({"channel": channel, "paused_until": paused,
                            "failing": channel.health == ChannelHealth.FAILING})
            return context
