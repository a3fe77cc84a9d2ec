"""Admin screen to take an event's attendance on the day: its registrants with checkboxes,
plus walk-ins. Only Coordinación and officers of an organising institution reach it
(``network.rules.can_manage_registrations``); anyone else gets 403, as for a missing event."""

import uuid

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from network import rules
from network.domain import participation
from network.models import Event

MAX_ID = 2**63 - 1


class WalkInForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nombre completo"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("Correo electrónico (opcional, para la encuesta)"),
                             max_length=254, required=False)
    organization = forms.CharField(label=gettext_lazy("Organización (opcional)"), max_length=200,
                                   required=False)
    consent = forms.BooleanField(label=gettext_lazy("La persona aceptó el aviso de privacidad"),
                                 required=False)
    # A key per form shown: the same form sent twice adds the person once.
    envio = forms.RegexField(regex=r"^[0-9a-f]{32}$", required=False,
                             widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["envio"].initial = uuid.uuid4().hex


def _event(request, event_id: int) -> Event:
    if event_id > MAX_ID:
        raise Http404
    event = get_object_or_404(Event, pk=event_id)
    if not rules.can_manage_registrations(request.user, event):
        raise PermissionDenied
    return event


def _ids(values) -> set[int]:
    return {int(v) for v in values if v.isascii() and v.isdigit() and int(v) <= MAX_ID}


@require_http_methods(["GET", "POST"])
def attendance(request, event_id: int):
    event = _event(request, event_id)
    walk_in = WalkInForm(prefix="nueva")
    if request.method == "POST" and request.POST.get("accion") == "asistencia":
        listed = set(participation.attendance_list(request.user, event).values_list("pk",
                                                                                    flat=True))
        # Only the rows this screen showed change: a screen opened before a walk-in was added
        # (or a mark made) at another door must not undo it. An older form without the list
        # of shown rows stands for every row.
        shown = (_ids(request.POST.getlist("mostrado")) & listed
                 if "mostrado" in request.POST else listed)
        present = participation.record_attendance(
            request.user, event, _ids(request.POST.getlist("asistio")) & shown, shown)
        messages.success(request, ngettext("Asistencia guardada: %(n)s persona presente.",
                                           "Asistencia guardada: %(n)s personas presentes.",
                                           present) % {"n": present})
        return redirect("network_attendance", event_id=event.pk)
    if request.method == "POST" and request.POST.get("accion") == "sin-registro":
        walk_in = WalkInForm(request.POST, prefix="nueva")
        if walk_in.is_valid():
            data = dict(walk_in.cleaned_data)
            submission = data.pop("envio", "")
            try:
                participation.add_walk_in(request.user, event, submission=submission, **data)
            except participation.WalkInAlreadyAdded as already:
                messages.warning(request, str(already))
                return redirect("network_attendance", event_id=event.pk)
            except participation.ParticipationError as error:
                walk_in.add_error(None, str(error))
            else:
                messages.success(request, _("Persona agregada como asistente."))
                return redirect("network_attendance", event_id=event.pk)
    people = participation.attendance_list(request.user, event)
    waiting = event.registrations.waiting()
    return TemplateResponse(request, "network/admin/attendance.html", {
        "event": event, "people": people, "waiting": waiting, "walk_in": walk_in,
        "present": sum(1 for p in people if p.attended),
    }, status=400 if walk_in.errors else 200)
