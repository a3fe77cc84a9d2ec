from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publicaciones")

    def ready(self):
        from hub import pagecache
        from network.domain.images import register_renditions

        from . import datasets, signals  # noqa: F401  (datasets: registers the open data)
        from .models import (
            Author,
            BookletSeries,
            IssueTocEntry,
            Law,
            PublicationFile,
            PublicationSettings,
            Reform,
            Section,
        )

        # What the public pages show besides the pages themselves (hub/pagecache.py). Reading
        # counts and pending-reform notices are never shown publicly and never purge.
        pagecache.register_public_models(Author, Section, Law, Reform, BookletSeries,
                                         IssueTocEntry, PublicationSettings)
        pagecache.register_public_models(
            PublicationFile, when=lambda f: f.status == "listo" or bool(f.notice or f.label))
        # The figures of articles and editions (publications/blocks/figure.html's srcset),
        # made when the image is saved, never by a page request.
        register_renditions("max-480x480", "max-960x960", "max-1440x1440")
