"""Site shell: home page, standard pages and site-wide settings."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from campaigns.shareable import ShareablePage, ShareablePageForm

from .. import sitecache
from ..blocks import BodyBlock


def _public(pages):
    """The live pages of ``pages`` under no view restriction: the restricted subtrees kept by
    the process (hub/sitecache.py) when it has them, otherwise one subquery (Wagtail's
    ``public()`` first reads every restriction in a query of its own)."""
    pages = pages.live()
    restricted = sitecache.restricted_paths()
    if restricted is not None:
        for path in restricted:
            pages = pages.exclude(path__startswith=path)
        return pages
    from django.db.models import Exists, OuterRef
    from django.db.models.functions import Length, Substr
    from wagtail.models import PageViewRestriction

    return pages.exclude(Exists(PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path")))))


class HomePage(Page):
    """The public home page of the hub."""

    hero_title = models.CharField(_("título principal"), max_length=160,
                                  default="Transparencia que nos une")
    hero_text = models.TextField(
        _("texto principal"), blank=True,
        default="Enlace reúne a los órganos garantes del Sistema Nacional de Transparencia: "
                "sus eventos, su directorio y sus datos abiertos.",
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenido"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("body"),
    ]
    max_count = 1
    subpage_types = ["hub.StandardPage", "contests.ContestSeriesPage", "publications.MagazinePage",
                     "publications.BookletIndexPage", "hub.QuarterlyReportIndexPage",
                     "hub.PracticeLibraryPage"]

    class Meta:
        verbose_name = _("página de inicio")

    def get_context(self, request, *args, **kwargs):
        from network.models import Event, Institution, VideoCapsule

        context = super().get_context(request, *args, **kwargs)
        context["upcoming_events"] = list(
            Event.objects.public().upcoming(timezone.now()).for_cards()[:4])
        context["capsules"] = list(
            VideoCapsule.objects.public().select_related("institution", "thumbnail")[:3]
        )
        context["institution_count"] = Institution.objects.current().count()
        context.update(self._whats_happening(timezone.now()))
        return context

    @staticmethod
    def _whats_happening(now) -> dict:
        """Open calls with their deadline, the current magazine issue and the latest news
        (pages of every kind that people read: notes, articles, booklet editions, reports)."""
        from contests.models import ContestCallPage
        from publications.models import ArticlePage, EditionPage, IssuePage


        open_calls = list(_public(ContestCallPage.objects.open(now=now))
                          .order_by("deadline_at")[:3])
        issue = (_public(IssuePage.objects.all()).order_by("-issue_date", "-number")
                 .select_related("cover").first())
        news = list(_public(Page.objects.type(StandardPage, ArticlePage, EditionPage,
                                              QuarterlyReportPage, GoodPracticePage))
                    .exclude(first_published_at=None).order_by("-first_published_at")[:4])
        return {"open_calls": open_calls, "current_issue": issue, "news": news}


class StandardPage(ShareablePage, Page):
    """A content page: news, notices, privacy notice, contact, about. Can be shared to channels."""

    intro = models.TextField(_("introducción"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenido"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    promote_panels = Page.promote_panels + ShareablePage.share_panels
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    subpage_types = ["hub.StandardPage"]
    base_form_class = ShareablePageForm

    class Meta:
        verbose_name = _("página de contenido")
        verbose_name_plural = _("páginas de contenido")


@register_setting(icon="cog")
class SiteSettings(sitecache.KeptSiteSetting, BaseSiteSetting):
    """Site-wide settings editable by Coordinación."""

    # The footer links both pages on every page: one query, not three.
    select_related = ["privacy_notice", "contact_page"]

    contact_email = models.EmailField(_("correo de contacto"), blank=True,
                                      default="vinculacion@snt.org.mx")
    contact_phone = models.CharField(_("teléfono de contacto"), max_length=40, blank=True)
    contact_address = models.TextField(_("domicilio"), blank=True)
    privacy_notice = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("aviso de privacidad"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("página de contacto"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    x_handle = models.CharField(_("cuenta de X del SNT"), max_length=50, blank=True)
    footer_text = RichTextField(_("texto del pie de página"), blank=True,
                                features=["bold", "italic", "link"])

    panels = [
        MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("contact_phone"),
                         FieldPanel("contact_address"), FieldPanel("x_handle")],
                        heading=_("Contacto")),
        MultiFieldPanel([FieldPanel("privacy_notice"), FieldPanel("contact_page"),
                         FieldPanel("footer_text")], heading=_("Pie de página")),
    ]

    class Meta:
        verbose_name = _("ajustes del sitio")


from .assessment import (  # noqa: E402  (the self-assessment tool's questionnaire)
    AssessmentComponent,
    AssessmentLevel,
    AssessmentQuestion,
    AssessmentRecommendation,
)

__all__ = ["AssessmentComponent", "AssessmentLevel", "AssessmentQuestion",
           "AssessmentRecommendation", "HomePage", "SiteSettings", "StandardPage"]
# Feature modules come after the models they name.
from .practices import GoodPracticeDocument, GoodPracticePage, PracticeLibraryPage  # noqa: E402, F401
from .reports import QuarterlyReportIndexPage, QuarterlyReportPage  # noqa: E402, F401
from .statistics import QuarterlyReport, StatisticField, StatisticsImport  # noqa: E402,F401
