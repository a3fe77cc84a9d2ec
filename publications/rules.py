"""Who may see and do what in publications: named predicates (django-rules).

- ``publications.edit_section``: pages of the publications section (magazine, issues,
  articles, booklets, editions): Coordinación and the Comité Editorial.
- ``publications.convert_entries``: turning an accepted call entry into a draft article.
- ``publications.view_author_email``: an author's e-mail (never public) is shown in the admin
  only to the Comité Editorial and Coordinación (superusers too).
- ``publications.see_reading_stats``: the reading statistics screen and its CSV.
- ``can_watch_booklet_editions``: sees the "reforma pendiente" queue (dashboard panel).
- ``may_publish_section_page``: «Publicar» on an article or booklet edition the committee has
  not reviewed is Coordinación's alone.
"""

from __future__ import annotations

import rules

from hub.roles import EDITORIAL
from network.rules import is_coordinator


@rules.predicate
def is_committee_member(user) -> bool:
    """A member of the Comité Editorial."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and user.groups.filter(name=EDITORIAL).exists())


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


# Pages of the publications section (magazine, issues, articles, booklets, editions).
may_edit_section = is_coordinator | is_committee_member | is_superuser

# Turning an accepted call entry into a draft article (staff who manage contests and edit
# the section: Coordinación, or the committee).
may_convert_entries = is_coordinator | is_committee_member | is_superuser

can_see_author_email = is_committee_member | is_coordinator | is_superuser

#: Sees the "reforma pendiente" queue of booklets (dashboard panel).
can_watch_booklet_editions = is_coordinator | is_committee_member | is_superuser

can_see_reading_stats = is_committee_member | is_coordinator | is_superuser


@rules.predicate
def has_passed_review(user, page) -> bool:
    from .domain.review import passed_review

    return passed_review(page)


#: «Publicar» / «Programar» on a page of the section: an article or booklet edition goes live
#: through the committee's review (its vote and quorum), unless Coordinación publishes it.
may_publish_section_page = is_coordinator | is_superuser | has_passed_review

rules.add_perm("publications.see_reading_stats", can_see_reading_stats)
rules.add_perm("publications.edit_section", may_edit_section)
rules.add_perm("publications.convert_entries", may_convert_entries)
rules.add_perm("publications.view_author_email", can_see_author_email)
