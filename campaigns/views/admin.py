"""Admin screens of the campaigns beyond the snippet listings."""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from datetime import date, timedelta
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token
from wagtail.admin import messages

from network.models import Institution

from .. import planning
from .. import reach as reach_figures
from ..channels import clean_post_url, probe
from ..connectors import ConnectorError
from ..delivery import confirm_sent, discard, resend
from ..enums import DeliveryState
from ..metrics import daily_series
from ..models import AmplificationRequest, Campaign, Channel, Delivery, Post
from ..sendtime import MEXICO_CITY
from ..validation import MAX_AHEAD, MAX_ID
from .reach import respond


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _is_id(value: str) -> bool:
    """A filter value that can be a row's id (a longer number can match nothing)."""
    return value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID


def _channel_filters(request) -> dict:
    """The institution and channel filters of the calendar, deliveries and reach views, as
    ``planning.deliveries_on`` takes them (values that can name nothing are left out)."""
    institution, channel = request.GET.get("institucion", ""), request.GET.get("canal", "")
    return {"institution": (planning.SNT if institution == planning.SNT
                            else int(institution) if _is_id(institution) else None),
            "channels": (int(channel),) if _is_id(channel) else ()}


def _filter_posts(request, posts):
    """The calendar's institution and channel filters for posts not yet published."""
    return planning.posts_on(posts, **_channel_filters(request))


def _filters(request, deliveries):
    """Institution and channel filters shared by the calendar, deliveries and reach views."""
    deliveries = planning.deliveries_on(deliveries, **_channel_filters(request))
    channels = Channel.objects.for_user(request.user).select_related("institution")
    institutions = Institution.objects.filter(pk__in=channels.values("institution_id"))
    return deliveries, {"institution": request.GET.get("institucion", ""),
                        "channel": request.GET.get("canal", ""), "channels": channels,
                        "institutions": institutions}


# A day of the month view shows this many entries, then «+N más» opens its week: the network's
# busiest days hold dozens of posts, which made the month a page of megabytes. An hour of the
# week view shows this many, then «+N más» opens the posts listing filtered to that day; a day
# of the week shows at most WEEK_DAY_ENTRIES, each busy hour's first before any hour's second
# (Coordinación's busiest weeks hold a few hundred posts, two or three an hour).
MONTH_DAY_ENTRIES = 4
WEEK_HOUR_ENTRIES = 3
WEEK_DAY_ENTRIES = 24


def _parse_day(request) -> date:
    value = request.GET.get("fecha", "")
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        if value:
            messages.warning(request, _("No se reconoce la fecha «%(f)s» (use aaaa-mm-dd); se "
                                        "muestra la de hoy.") % {"f": value[:40]})
        return timezone.localdate()
    if not planning.FIRST_DAY <= day <= planning.LAST_DAY:
        messages.warning(request, _("La fecha %(f)s está fuera del intervalo del calendario "
                                    "(%(a)s a %(b)s); se muestra la de hoy.") % {
            "f": value, "a": planning.FIRST_DAY.year, "b": planning.LAST_DAY.year})
        return timezone.localdate()
    return day


def calendar(request):
    _require(request, "campaigns.view_delivery")
    view = "semana" if request.GET.get("vista") == "semana" else "mes"
    day = _parse_day(request)
    if view == "semana":
        start = day - timedelta(days=day.weekday())
        days = [start + timedelta(days=i) for i in range(7)]
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
    else:
        first = day.replace(day=1)
        weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        days = [d for week in weeks for d in week]
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
    since, until = planning.local_day_bounds(days[0], days[-1])
    deliveries, context = _filters(request, Delivery.objects.for_user(request.user))
    posts = _filter_posts(request, Post.objects.in_scope_of(request.user))
    week = view == "semana"
    slots = planning.calendar_slots(request.user, deliveries, posts, since, until,
                                    per_slot=WEEK_HOUR_ENTRIES if week else MONTH_DAY_ENTRIES,
                                    by_hour=week, per_day=WEEK_DAY_ENTRIES if week else None)
    today = timezone.localdate(timezone=MEXICO_CITY)
    last_day = today + MAX_AHEAD
    if week:
        context["hour_rows"] = _hour_rows(days, slots, today, last_day,
                                          _listing_filters(request))
    context.update({
        "view": view, "day": day, "previous": previous, "following": following,
        "weeks": [days[i:i + 7] for i in range(0, len(days), 7)],
        "by_day": slots.by_day, "today": today, "month": day.month,
        "labels": {d: planning.day_label(d) for d in days},
        "short_labels": {d: planning.day_label(d, short=True) for d in days},
        "can_add": request.user.has_perm("campaigns.add_post"),
        "last_day": last_day,
        "more": {} if week else {d: n for d in days if (n := slots.hidden(d)) > 0},
        "totals": slots.totals,
    })
    return TemplateResponse(request, "campaigns/admin/calendar.html", context)


def _listing_filters(request) -> dict:
    """The calendar's filters as the posts listing names them."""
    chosen = _channel_filters(request)
    return {key: value for key, value in (("institucion", chosen["institution"]),
                                          ("channels", chosen["channels"][:1]))
            if value not in (None, ())}


def _hour_rows(days, slots, today, last_day, filters: dict) -> list[dict]:
    """The week as 24 rows of one hour (Mexico City time) by 7 days. A slot takes a dropped
    post when its hour has not ended; the post keeps its minutes. A busy hour shows its first
    entries, then how many more and the way to that hour's posts in the listing, with the
    calendar's filters."""
    listing = reverse("wagtailsnippets_campaigns_post:list")
    now_hour = timezone.localtime(timezone=MEXICO_CITY).hour
    rows = []
    for hour in range(24):
        cells = []
        for d in days:
            entries = [e for e in slots.by_day.get(d, ()) if e.local.hour == hour]
            open_slot = today <= d <= last_day and (d > today or hour >= now_hour)
            more = slots.hidden((d, hour))
            cells.append({"day": d, "entries": entries, "open": open_slot, "more": more,
                          "total": slots.totals.get((d, hour)),
                          "more_url": more > 0 and listing + "?" + urlencode(
                              {"dia": d.isoformat(), "hora": hour, **filters}, doseq=True)})
        rows.append({"hour": hour, "label": f"{hour:02d}:00", "cells": cells,
                     "busy": any(c["entries"] for c in cells)})
    return rows


def deliveries(request):
    _require(request, "campaigns.view_delivery")
    rows = Delivery.objects.for_user(request.user).select_related(
        "post", "channel__institution", "resolved_by").order_by("-due_at")
    state = request.GET.get("estado", "")
    if state in DeliveryState.values:
        rows = rows.filter(state=state)
    rows, context = _filters(request, rows)
    page = Paginator(rows, 50).get_page(request.GET.get("p"))
    context.update({"page": page, "state": state, "states": DeliveryState.choices,
                    "can_change": request.user.has_perm("campaigns.change_delivery")})
    return TemplateResponse(request, "campaigns/admin/deliveries.html", context)


@require_POST
def delivery_action(request, pk: int, action: str):
    _require(request, "campaigns.change_delivery")
    delivery = get_object_or_404(Delivery.objects.for_user(request.user), pk=pk)
    if action == "reenviar":
        done = resend(delivery, request.user)
        message = _("Se programó de nuevo el envío a %(c)s.")
    elif action == "confirmar":
        url = request.POST.get("external_url", "").strip()
        if url:
            try:
                url = clean_post_url(delivery.channel, url)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
                return redirect("campaigns_deliveries")
        done = confirm_sent(delivery, request.user, url)
        message = _("Se registró que la publicación sí salió en %(c)s.")
    elif action == "descartar":
        done = discard(delivery, request.user)
        message = _("Se descartó el envío a %(c)s.")
    else:
        raise PermissionDenied
    if done:
        messages.success(request, message % {"c": delivery.channel.name})
    else:
        messages.error(request, _("El envío cambió de estado mientras tanto; revise de nuevo."))
    return redirect("campaigns_deliveries")


def post_report(request, pk: int):
    post = get_object_or_404(Post.objects.in_scope_of(request.user), pk=pk)
    rows = post.deliveries.select_related("channel").prefetch_related("log")
    amplification = AmplificationRequest.objects.filter(post=post).first()
    acted = defaultdict(set)
    if amplification:
        for click in amplification.clicks.select_related("institution"):
            acted[click.institution].add(click.get_action_display())
    sent = reach_figures.sent(post.deliveries.all())
    context = {
        "post": post, "deliveries": rows, "amplification": amplification,
        "acted": sorted(acted.items(), key=lambda item: item[0].acronym),
    }
    return respond(request, "campaigns/admin/post_report.html", context,
                   [reach_figures.by_channel(sent), reach_figures.over_time(sent, 14)],
                   f"alcance-publicacion-{post.pk}")


def reach(request):
    _require(request, "campaigns.view_delivery")
    sent = Delivery.objects.for_user(request.user).filter(state=DeliveryState.SENT)
    sent, context = _filters(request, sent)
    campaign_id = request.GET.get("campana", "")
    if _is_id(campaign_id):
        sent = sent.filter(post__campaign_id=int(campaign_id))
    totals = ("likes", "reposts", "replies", "impressions")
    sums = {f: Sum(f) for f in totals}
    per_institution = (sent.values("channel__institution__acronym", "channel__institution__pk").annotate(
        posts=Count("post", distinct=True), **sums).order_by("-impressions"))
    per_campaign = (sent.exclude(post__campaign__isnull=True).values(
        "post__campaign__pk", "post__campaign__name").annotate(
        posts=Count("post", distinct=True), **sums).order_by("-impressions"))
    top_posts = sent.select_related("post", "channel").order_by("-impressions")[:20]
    series = daily_series(sent, days=30)
    peak = max([s["impressions"] for s in series] + [1])
    width = 600
    step = width / max(1, len(series) - 1)
    points = " ".join(f"{i * step:.1f},{200 - 190 * s['impressions'] / peak:.1f}"
                      for i, s in enumerate(series))
    context.update({
        "per_institution": per_institution, "per_campaign": per_campaign, "top_posts": top_posts,
        "series": series, "points": points, "peak": peak, "overall": sent.aggregate(**sums),
        "campaigns": Campaign.objects.in_scope_of(request.user), "campaign": campaign_id,
    })
    return TemplateResponse(request, "campaigns/admin/reach.html", context)


def test_channel(request, pk: int):
    """'Probar conexión': a GET asks for confirmation; only a POST (CSRF-protected) calls the
    network and records the result."""
    channel = get_object_or_404(Channel.objects.manageable_by(request.user), pk=pk)
    if request.method != "POST":
        return TemplateResponse(request, "campaigns/admin/test_channel.html", {"channel": channel})
    try:
        account = probe(channel)
    except ConnectorError as exc:
        messages.error(request, _("La conexión con %(c)s falló: %(m)s") % {
            "c": channel.name, "m": exc.message})
    else:
        messages.success(request, _("La conexión con %(c)s funciona (%(h)s).") % {
            "c": channel.name, "h": account.handle})
    return redirect("wagtailsnippets_campaigns_channel:edit", pk)


def api_token(request):
    """Show whether the user has an API token; create or replace it (shown once)."""
    new_key = None
    if request.method == "POST":
        Token.objects.filter(user=request.user).delete()
        new_key = Token.objects.create(user=request.user).key
        messages.success(request, _("Se generó un token nuevo; el anterior dejó de funcionar."))
    context = {"has_token": Token.objects.filter(user=request.user).exists(), "new_key": new_key}
    return TemplateResponse(request, "campaigns/admin/api_token.html", context)
