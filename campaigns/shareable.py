"""What campaigns offers page apps: the one module hub, contests and publications may import.

A page type becomes shareable by inheriting :class:`ShareablePage` (fields and the promote
panel) and using :class:`ShareablePageForm` (or a subclass) as its ``base_form_class``.
Publishing such a page shares it through ``campaigns.sharing``, wired by campaigns' signals.
:func:`draft_post` gives an officer a ready-made draft post for a link (e.g. an archived work).
Everything else in campaigns is its own business.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from network import rules

from .models import Channel, Post


class ShareablePage(models.Model):
    """Mixin for pages that can be shared to channels when they are published."""

    share_channels = ParentalManyToManyField(
        Channel, verbose_name=_("compartir en"), blank=True, related_name="+",
        help_text=_("Al publicar la página se crea una publicación con su título, resumen, "
                    "enlace e imagen. Se comparte una sola vez."),
    )
    share_image = models.ForeignKey("wagtailimages.Image", verbose_name=_("imagen para compartir"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    share_again = models.BooleanField(
        _("volver a compartir al publicar"), default=False,
        help_text=_("Márquelo solo si quiere que esta publicación de la página se comparta de nuevo."),
    )

    share_panels = [
        MultiFieldPanel([FieldPanel("share_channels"), FieldPanel("share_image"),
                         FieldPanel("share_again")], heading=_("Compartir en redes")),
    ]

    class Meta:
        abstract = True

    def get_share_summary(self) -> str:
        return (getattr(self, "search_description", "") or getattr(self, "intro", "") or "").strip()



class ShareablePageForm(WagtailAdminPageForm):
    """Offers only the channels the editor may use; 'share again' is asked afresh every time."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "share_channels" in self.fields:
            self.fields["share_channels"].widget = forms.CheckboxSelectMultiple()
            self.fields["share_channels"].queryset = Channel.objects.for_user(for_user).usable()
        if "share_again" in self.fields:
            self.initial["share_again"] = False


def draft_post(actor, *, title: str, text: str, link: str) -> Post:
    """A draft post of the actor's institution, for the actor to pick channels and publish."""
    post = Post(title=title[:160], text=text, link=link, author=actor, live=False,
                institution_id=rules.officer_institution_id(actor))
    post.save()
    post.save_revision(user=actor, log_action=True)
    return post
