from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Concursos")

    def ready(self):
        from . import (
            datasets,  # noqa: F401  (registers the open dataset of results)
            tasks,  # noqa: F401  (registers the jobs the domain asks for by name, see jobs.py)
        )
        _purge_pages_on_public_changes()


def _purge_pages_on_public_changes():
    """Calls and series are pages (hub purges for them); these rows show on them too. Entries,
    co-authors and profiles only once awarded (the archive): an entrant editing a draft must
    not empty the cache."""
    from hub import pagecache

    from .models import Award, Category, CoAuthor, Criterion, EntrantProfile, Entry, ResultsPublication

    awarded = Award.objects.filter
    pagecache.register_public_models(Category, Criterion, Award, ResultsPublication)
    pagecache.register_public_models(Entry, when=lambda e: awarded(entry_id=e.pk).exists())
    pagecache.register_public_models(CoAuthor, when=lambda c: awarded(entry_id=c.entry_id).exists())
    pagecache.register_public_models(
        EntrantProfile, when=lambda p: awarded(entry__owner_id=p.user_id).exists())
