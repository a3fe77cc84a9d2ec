"""Settings of the campaigns that Coordinación changes in the admin (today: the system hashtag)."""

from __future__ import annotations

from django.core.cache import cache

from .models import SYSTEM_HASHTAG_CACHE_KEY as CACHE_KEY
from .models import CampaignSettings

DEFAULT_HASHTAG = "#SNT"


def system_hashtag() -> str:
    """The SNT tag of the default site (cached for a minute: read on every delivery; saving the
    setting clears the cache)."""
    from wagtail.models import Site

    cached = cache.get(CACHE_KEY)
    if cached:
        return cached
    site = Site.objects.filter(is_default_site=True).first()
    value = (CampaignSettings.for_site(site).system_hashtag if site else "") or DEFAULT_HASHTAG
    cache.set(CACHE_KEY, value, 60)
    return value
