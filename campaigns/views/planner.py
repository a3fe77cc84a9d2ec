"""The calendar's actions: move a post to another day or time, and "+" to compose for a day."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages
from wagtail.snippets.views.snippets import CreateView

from .. import planning
from ..models import Post
from ..sendtime import MEXICO_CITY, display, parse
from ..validation import MAX_AHEAD, too_far_ahead_message


class BadInput(Exception):
    pass


def _unreadable(value: str) -> BadInput:
    return BadInput(_("No se reconoce «%(v)s» como fecha y hora. Escríbala como dd/mm/aaaa hh:mm en "
                      "hora del centro de México, por ejemplo 30/11/2026 10:00.") % {"v": value[:60]})


def _too_far(day: date) -> bool:
    return day > timezone.localdate(timezone=MEXICO_CITY) + MAX_AHEAD


def _requested_time(data, post: Post) -> datetime:
    """The new send time asked for: ``enviar_el`` (as typed in the editor), or ``fecha``
    (aaaa-mm-dd) with an optional ``hora`` (hh:mm), keeping the post's time of day."""
    typed = (data.get("enviar_el") or "").strip()
    if typed:
        when = parse(typed)
        if when is None:
            raise _unreadable(typed)
        day, hour = when.date(), when.timetz().replace(tzinfo=None)
    else:
        text_day, text_hour = (data.get("fecha") or "").strip(), (data.get("hora") or "").strip()
        try:
            day = date.fromisoformat(text_day)
            hour = time.fromisoformat(text_hour) if text_hour else None
        except ValueError:
            raise _unreadable(f"{text_day} {text_hour}".strip()) from None
        if hour is not None and (hour.tzinfo is not None or len(text_hour) > 8):
            raise _unreadable(text_hour)
    if _too_far(day):  # before any arithmetic: year 9999 would overflow in UTC
        raise BadInput(too_far_ahead_message())
    return planning.at_same_time_on(post, day, hour)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _next_url(request, when: datetime | None) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    url = reverse("campaigns_calendar")
    return f"{url}?fecha={when.astimezone(MEXICO_CITY).date().isoformat()}" if when else url


@require_http_methods(["GET", "POST"])
def reschedule(request, pk: int):
    """GET: a small form to type the new send time (works without JavaScript). POST: move the
    post (form fields, or the calendar's drag and drop asking for JSON)."""
    post = get_object_or_404(Post.objects.in_scope_of(request.user), pk=pk)
    if not request.user.has_perm("campaigns.reschedule_post", post):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        try:
            when = _requested_time(request.POST, post)
            post = planning.reschedule(request.user, post, when)
        except (BadInput, planning.RescheduleRefused) as exc:
            error = exc.message if isinstance(exc, planning.RescheduleRefused) else str(exc)
        else:
            message = planning.moved_message(post)
            if _wants_json(request):
                local = post.publish_at.astimezone(MEXICO_CITY)
                return JsonResponse({"ok": True, "message": message, "day": local.date().isoformat(),
                                     "time": local.strftime("%H:%M")})
            messages.success(request, message)
            return redirect(_next_url(request, post.publish_at))
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": error}, status=400)
    reason = planning.why_not_movable(request.user, post)
    context = {
        "post": post, "error": error, "can_move": reason is None, "reason": reason,
        "typed": request.POST.get("enviar_el", "") if error else display(post.publish_at),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return TemplateResponse(request, "campaigns/admin/reschedule.html", context,
                            status=400 if error else 200)


class PostCreateView(CreateView):
    """The post editor; ``?fecha=aaaa-mm-dd`` (the calendar's "+") proposes a send time on
    that day. A value that is not a usable day is ignored, with a message saying why.

    Wagtail's autosave is off here (it stays on in the editor of a saved post): an autosave of
    a new post creates it, and one still on its way when «Publicar» is pressed made a second
    post (the form still pointed at «new post»): the officer got the post and a draft copy."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.autosave_enabled = False

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance()
        value = self.request.GET.get("fecha", "") if self.request.method == "GET" else ""
        if not value:
            return instance
        try:
            day = date.fromisoformat(value)
        except ValueError:
            messages.warning(self.request, _("No se reconoce la fecha «%(f)s» (use aaaa-mm-dd); "
                                             "elija la fecha de envío en el formulario.") % {"f": value[:40]})
            return instance
        when = None if _too_far(day) else planning.suggested_send_time(day)
        if when is None:
            messages.warning(self.request, _("La fecha %(f)s ya pasó o está demasiado lejos; elija la "
                                             "fecha de envío en el formulario.") % {"f": value[:40]})
            return instance
        instance = instance or self.model()
        instance.publish_at = when
        return instance
