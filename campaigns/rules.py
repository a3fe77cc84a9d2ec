"""Who may see and do what in the campaigns: named predicates (django-rules) and one scoping
function, built on ``network.rules``.

One rule decides everywhere: the admin viewsets (listings, every object view, choosers,
filters), the other admin screens, the composer's script payload, the API, templates
(``{% has_perm %}``) and domain code. ``scope(user, queryset)`` gives the rows a user may see or
use; each object predicate asks the same scope, so a listing and an edit view can never
disagree.

Permissions registered here (``user.has_perm(name, obj)``):

- ``campaigns.act_on_post`` / ``campaigns.act_on_channel`` / ``campaigns.act_on_campaign``:
  open, edit, delete this row in the admin (Coordinación: any; others: their scope).
- ``campaigns.post_to_channel``: target this channel with a post.
- ``campaigns.use_campaign``: file a post under this campaign.
- ``campaigns.act_on_feed``: open, edit, delete this RSS/Atom feed source.
- ``campaigns.see_reach_of``: see the reach of this institution (Coordinación: any; an
  officer: their own).
- ``campaigns.see_delivery``: see (and, with the model permission, resolve) this delivery.
- ``campaigns.reschedule_post``: move this post to another send time (the calendar's drag and
  drop): edit rights on posts and the post in the user's scope.
- ``campaigns.import_posts``: schedule posts in bulk from a file (whoever may add posts).
"""

from __future__ import annotations

import rules
from django.apps import apps
from django.db.models import Q

from network.rules import (
    can_act_for_institution,
    is_coordinator,
    is_officer,
    officer_institution_id,
)

__all__ = [
    "can_act_for_institution", "can_act_on_campaign", "can_act_on_channel", "can_act_on_post",
    "can_act_on_feed", "can_import_posts", "can_post_to_channel", "can_publish_posts",
    "can_reschedule_post", "can_see_delivery", "can_see_reach_of", "can_use_campaign",
    "is_coordinator", "is_officer",
    "manageable_channels", "officer_institution_id", "scope", "scope_post_imports",
    "usable_campaigns",
]


def _own(user) -> int | None:
    """The institution an officer acts for (None for anyone else)."""
    return officer_institution_id(user) if is_officer(user) else None


def _is_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- The one scoping function ----------------------------------------------------------------

def _post_scope(user) -> Q:
    """Posts: an officer's institution's, and anyone's own of no institution (the SNT's) or of
    the institution they belong to now. A post of an institution goes out on its channels and
    is its officers' business: an author who moved to another institution no longer acts on
    the posts written for the one they left."""
    own = _own(user)
    belongs_to = officer_institution_id(user)
    authored = Q(institution__isnull=True)
    if belongs_to is not None:
        authored |= Q(institution_id=belongs_to)
    scope = Q(author=user) & authored
    if own is not None:
        scope |= Q(institution_id=own)
    return scope


def _channel_scope(user) -> Q:
    """Channels a user may target: their institution's and the SNT's (those wait for
    Coordinación's approval). The network's own group receives amplification requests, not
    posts from officers."""
    own = _own(user)
    scope = Q(institution__isnull=True, is_network_group=False)
    if own is not None:
        scope |= Q(institution_id=own)
    return scope


def _manageable_channel_scope(user) -> Q | None:
    own = _own(user)
    return Q(institution_id=own) if own is not None else None


def _campaign_scope(user) -> Q:
    """Campaigns a user may see and file posts under: their institution's and the SNT's."""
    own = _own(user)
    scope = Q(institution__isnull=True)
    if own is not None:
        scope |= Q(institution_id=own)
    return scope


def _delivery_scope(user) -> Q | None:
    own = _own(user)
    if own is None:
        return None
    return Q(channel__institution_id=own) | Q(post__institution_id=own)


def _feed_scope(user) -> Q | None:
    """Feeds: an officer's institution's only (they become that institution's drafts)."""
    own = _own(user)
    return Q(institution_id=own) if own is not None else None


_SCOPES = {
    "campaigns.post": _post_scope,
    "campaigns.channel": _channel_scope,
    "campaigns.campaign": _campaign_scope,
    "campaigns.delivery": _delivery_scope,
    "campaigns.feedsource": _feed_scope,
}


def scope(user, queryset, *, purpose: str = "see"):
    """``queryset`` limited to the rows ``user`` may see or use (``purpose="manage"``: change
    a channel's settings or a campaign; only their institution's)."""
    if is_coordinator(user):
        return queryset
    if not _is_user(user):
        return queryset.none()
    label = queryset.model._meta.label_lower
    if purpose == "manage" and label == "campaigns.channel":
        condition = _manageable_channel_scope(user)
    elif purpose == "manage" and label == "campaigns.campaign":
        own = _own(user)
        condition = Q(institution_id=own) if own is not None else None
    else:
        condition = _SCOPES[label](user)
    return queryset.filter(condition) if condition is not None else queryset.none()


def manageable_channels(user, queryset=None):
    # Models are looked up by name: campaigns.models asks these rules, never the reverse.
    if queryset is None:
        queryset = apps.get_model("campaigns", "Channel").objects.all()
    return scope(user, queryset, purpose="manage")


def usable_campaigns(user, queryset=None):
    if queryset is None:
        queryset = apps.get_model("campaigns", "Campaign").objects.all()
    return scope(user, queryset)


def _in_scope(user, obj, purpose: str = "see") -> bool:
    if obj is None or obj.pk is None:
        return False
    if is_coordinator(user):
        return True
    return scope(user, type(obj)._default_manager.filter(pk=obj.pk), purpose=purpose).exists()


# --- Predicates ------------------------------------------------------------------------------

@rules.predicate
def can_publish_posts(user) -> bool:
    """Wagtail's publish permission on posts (``campaigns.publish_post``), granted as Django's
    ModelBackend grants it (an active user: superuser, or the permission of the user or of one
    of their groups). Asked for this one permission in one query: ``user.has_perm`` loads all
    of a user's permissions (two queries and every row), once per API request."""
    if not getattr(user, "is_active", False):
        return False
    if user.is_superuser or hasattr(user, "_perm_cache"):  # already loaded this request
        return user.has_perm("campaigns.publish_post")
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="campaigns", codename="publish_post").filter(
        Q(user=user) | Q(group__user=user)).exists()


@rules.predicate
def can_act_on_post(user, post) -> bool:
    """Open, edit, delete, history, workflow history… of a post."""
    return _in_scope(user, post)


@rules.predicate
def can_post_to_channel(user, channel) -> bool:
    return _in_scope(user, channel)


@rules.predicate
def can_act_on_channel(user, channel) -> bool:
    """Change a channel's settings and credentials, test its connection."""
    return _in_scope(user, channel, "manage")


@rules.predicate
def can_use_campaign(user, campaign) -> bool:
    return _in_scope(user, campaign)


@rules.predicate
def can_act_on_campaign(user, campaign) -> bool:
    return _in_scope(user, campaign, "manage")


@rules.predicate
def can_act_on_feed(user, feed) -> bool:
    """Open, edit, delete an institution's feed source (Coordinación: any)."""
    return _in_scope(user, feed)


@rules.predicate
def can_see_reach_of(user, institution) -> bool:
    """The reach of an institution's posts: Coordinación any; an officer only their own."""
    if institution is None or not _is_user(user):
        return False
    return is_coordinator(user) or _own(user) == institution.pk


@rules.predicate
def can_see_delivery(user, delivery) -> bool:
    return _in_scope(user, delivery)


@rules.predicate
def can_reschedule_post(user, post) -> bool:
    """Change when a post goes out: Django's ``campaigns.change_post`` and the post in scope
    (``campaigns.planning.reschedule`` adds the post's own conditions: nothing sent yet…)."""
    return (getattr(user, "is_active", False) and user.has_perm("campaigns.change_post")
            and _in_scope(user, post))


def can_import_posts(user) -> bool:
    """Upload a file of posts to schedule: anyone who may create posts (their scope of
    channels decides where the posts may go)."""
    return _is_user(user) and user.has_perm("campaigns.add_post")


def scope_post_imports(user, queryset):
    """Bulk uploads of posts: each person's own only (the posts are created as them, on their
    channels), Coordinación included."""
    if not _is_user(user):
        return queryset.none()
    return queryset.filter(created_by=user)


rules.add_perm("campaigns.act_on_post", can_act_on_post)
rules.add_perm("campaigns.reschedule_post", can_reschedule_post)
rules.add_perm("campaigns.post_to_channel", can_post_to_channel)
rules.add_perm("campaigns.act_on_channel", can_act_on_channel)
rules.add_perm("campaigns.use_campaign", can_use_campaign)
rules.add_perm("campaigns.act_on_campaign", can_act_on_campaign)
rules.add_perm("campaigns.see_delivery", can_see_delivery)
rules.add_perm("campaigns.act_on_feed", can_act_on_feed)
rules.add_perm("campaigns.see_reach_of", can_see_reach_of)
rules.add_perm("campaigns.import_posts", can_import_posts)
