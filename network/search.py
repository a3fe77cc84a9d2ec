"""What the site search (/buscar/) finds in the network: institutions, events and capsules,
public ones only. Registered in ``wagtail_hooks`` on ``hub.search.SEARCH_GROUPS_HOOK``."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hub.search import Hit, SearchGroup, search_in

from .models import Event, Institution, VideoCapsule


def _institution(i: Institution) -> Hit:
    return Hit(i.name, i.get_absolute_url(), meta=i.acronym)


def _event(e: Event) -> Hit:
    return Hit(e.title, e.get_absolute_url(), summary=e.summary,
               meta=date_format(timezone.localtime(e.starts_at), "DATE_FORMAT"))


def _capsule(c: VideoCapsule) -> Hit:
    return Hit(c.title, c.get_absolute_url(), summary=c.summary)


INSTITUTIONS = SearchGroup(
    key="instituciones", title=_("Instituciones"), order=20,
    find=lambda q: search_in(Institution.objects.all(), q), hit=_institution)
EVENTS = SearchGroup(
    key="eventos", title=_("Eventos"), order=30,
    find=lambda q: search_in(Event.objects.public(), q), hit=_event)
CAPSULES = SearchGroup(
    key="capsulas", title=_("Cápsulas"), order=40,
    find=lambda q: search_in(VideoCapsule.objects.public(), q), hit=_capsule)
