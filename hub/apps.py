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
