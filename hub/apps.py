from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Every model of these apps has its text fields cleaned of control characters before saving.
CLEANED_APPS = frozenset({"hub", "network", "campaigns", "contests", "publications"})


def _clean_text_before_save(sender, instance, raw=False, **kwargs):
    if raw or sender._meta.app_label not in CLEANED_APPS:
        return
    from hub.safety import clean_text_fields

    clean_text_fields(instance)


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Sitio")

    def ready(self):
        from django.db.models.signals import pre_save

        pre_save.connect(_clean_text_before_save, dispatch_uid="hub.clean_text_before_save")
        _one_time_zone_for_everyone()
        _purge_pages_on_public_changes()
        from network.domain.images import register_renditions

        register_renditions(*BODY_IMAGE_RENDITIONS)
        from hub import (
            opendata,
            practices,  # noqa: F401  (registers the good practices' open dataset)
        )
        from hub.selfassessment import datasets  # noqa: F401  (registers its open datasets)

        opendata.connect_rebuilds()


# The widths of an image block in a page body (hub/templates/hub/blocks/body.html's srcset).
BODY_IMAGE_RENDITIONS = ("width-480", "width-800", "width-1200")


def _one_time_zone_for_everyone():
    """Every screen shows Mexico City time (settings.TIME_ZONE), whatever a staff member's
    profile says: Wagtail's per-user time zone would show send times and deadlines in another
    zone without saying so. WAGTAIL_USER_TIME_ZONES = [] hides the preference; this makes a
    value stored earlier (or written directly) harmless too."""
    from django.conf import settings
    from wagtail.users.models import UserProfile

    UserProfile.get_current_time_zone = lambda self: settings.TIME_ZONE


def _purge_pages_on_public_changes():
    """Pages purge the page cache when published, unpublished, moved or deleted; so do the
    site-wide pieces every page shows or obeys (hub/pagecache.py)."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import CollectionViewRestriction, PageViewRestriction, Site

    from hub import pagecache
    from hub.models import (
        AssessmentComponent,
        AssessmentQuestion,
        AssessmentRecommendation,
        SiteSettings,
    )

    pagecache.connect_page_signals()
    pagecache.register_public_models(SiteSettings, Site, PageViewRestriction,
                                     CollectionViewRestriction, get_image_model(),
                                     get_document_model())
    # The self-assessment's questionnaire: its form page, the home link and /datos/ show it.
    pagecache.register_public_models(AssessmentComponent, AssessmentQuestion,
                                     AssessmentRecommendation)
    _statistics()


def _statistics():
    """The quarterly statistics: open dataset, permissions, and the public page's purges."""
    from hub import pagecache
    from hub.models import QuarterlyReport, StatisticField
    from hub.statistics import datasets, rules  # noqa: F401  (register the dataset and perms)

    pagecache.register_public_models(QuarterlyReport, StatisticField)
