"""Reach screens of one campaign and of one institution, with CSV and XLSX exports.

Each screen shows labelled charts (``hub/includes/bar_chart.html``, a table beside every
chart) and offers the same figures as a download (``?formato=csv`` or ``?formato=xlsx``).
The post's own reach is on its report (``admin.post_report``), built the same way.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hub.exports import FORMATS, table_response
from network.models import Institution

from .. import reach
from ..models import Campaign, Delivery

DAYS = 30


def respond(request, template: str, context: dict, breakdowns, filename: str):
    """The screen, or its figures as a download when ``?formato=`` asks for one."""
    fmt = request.GET.get("formato", "")
    if fmt:
        if fmt not in FORMATS:
            raise Http404
        header, rows = reach.export_rows(breakdowns)
        return table_response(filename, header, rows, fmt)
    context.update({"breakdowns": breakdowns, "metric_labels": reach.labels()})
    return TemplateResponse(request, template, context)


def _page(request, *, title: str, description: str, deliveries, breakdowns, filename: str):
    return respond(request, "campaigns/admin/reach_detail.html", {
        "title": title, "description": description, "totals": reach.totals(deliveries),
    }, breakdowns, filename)


def _sent_for(user):
    return reach.sent(Delivery.objects.for_user(user))


def campaign_reach(request, pk: int):
    if not request.user.has_perm("campaigns.view_delivery"):
        raise PermissionDenied
    campaign = get_object_or_404(Campaign.objects.in_scope_of(request.user), pk=pk)
    deliveries = _sent_for(request.user).filter(post__campaign=campaign)
    return _page(request, title=_("Alcance de la campaña «%(c)s»") % {"c": campaign.name},
                 description=campaign.objective, deliveries=deliveries,
                 breakdowns=[reach.by_post(deliveries), reach.by_channel(deliveries),
                             reach.over_time(deliveries, DAYS)],
                 filename=f"alcance-campana-{campaign.pk}")


def institution_reach(request, pk: int):
    if not request.user.has_perm("campaigns.view_delivery"):
        raise PermissionDenied
    institution = get_object_or_404(Institution, pk=pk)
    if not request.user.has_perm("campaigns.see_reach_of", institution):
        raise Http404
    deliveries = _sent_for(request.user).filter(post__institution=institution)
    return _page(request, title=_("Alcance de %(i)s") % {"i": institution.acronym},
                 description=institution.name, deliveries=deliveries,
                 breakdowns=[reach.by_campaign(deliveries), reach.by_channel(deliveries),
                             reach.by_post(deliveries), reach.over_time(deliveries, DAYS)],
                 filename=f"alcance-{slugify(institution.acronym) or institution.pk}")
