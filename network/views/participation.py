"""Public side of participation: the registration form on an event's page, the signed
"my registration" page (status, cancellation) and the satisfaction survey.

Pages that carry a form (and so a CSRF token) are never stored by the anonymous page cache:
they are marked exempt, besides ``hub.pagecache`` refusing any page with a token.
"""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from hub.cache import allow, client_address
from hub.pagecache import no_page_cache
from network.domain import participation
from network.enums import RegistrationStatus
from network.models import Event, SurveyResponse

MAX_TOKEN = 300  # a signed link is ~60 characters; anything much longer is not ours


class RegistrationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nombre completo"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("Correo electrónico"), max_length=254,
        help_text=gettext_lazy("Le enviaremos la confirmación y el enlace para cancelar."))
    organization = forms.CharField(label=gettext_lazy("Organización o institución (opcional)"),
                                   max_length=200, required=False)
    consent = forms.BooleanField(
        label=gettext_lazy("He leído el aviso de privacidad y acepto que mis datos se usen "
                           "solo para este evento (registro, asistencia y encuesta)."),
        error_messages={"required": gettext_lazy("Para registrarse debe aceptar el aviso de "
                                                 "privacidad.")})

    def clean_name(self):
        name = participation.person_name(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Escriba su nombre."))
        return name


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("¿Qué tan satisfecho quedó con el evento?"), coerce=int,
        choices=[(5, gettext_lazy("5 — Muy satisfecho")), (4, gettext_lazy("4 — Satisfecho")),
                 (3, gettext_lazy("3 — Regular")), (2, gettext_lazy("2 — Poco satisfecho")),
                 (1, gettext_lazy("1 — Nada satisfecho"))],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Elija una calificación del 1 al 5."),
                        "invalid_choice": gettext_lazy("Elija una calificación del 1 al 5.")})
    comments = forms.CharField(label=gettext_lazy("Comentarios (opcional)"), max_length=2000,
                               required=False, widget=forms.Textarea(attrs={"rows": 4}))


def registration_context(event: Event, form: RegistrationForm | None = None) -> dict:
    """What the event page needs to offer Enlace's registration form (empty if closed)."""
    if not event.accepts_registrations():
        return {}
    return {"registration_form": form or RegistrationForm(),
            "places_left": participation.places_left(event)}


def render_event(request, event: Event, *, form=None, error: str = "", status: int = 200):
    context = {"event": event, **registration_context(event, form), "registration_error": error}
    response = render(request, "network/event.html", context, status=status)
    if "registration_form" in context:
        response.page_cache_exempt = True
    return response


def _public_event(slug: str) -> Event:
    return get_object_or_404(
        Event.objects.public().select_related("commission").prefetch_related("organizers"),
        slug=slug)


# Registrations from one address per hour: a family or an office registers a few people; a
# script filling every place (or mailing strangers from our domain) stops here.
REGISTRATIONS_PER_ADDRESS = 20


@require_http_methods(["GET", "HEAD", "POST"])
@no_page_cache
def register(request, slug):
    event = _public_event(slug)
    if request.method != "POST":
        # The form is on the event's page; its errors are answered here, so this address is
        # opened again by the language switch, a reload from the address bar or a shared link.
        return redirect(reverse("network:event", kwargs={"slug": event.slug}) + "#registro")
    form = RegistrationForm(request.POST)
    if not event.accepts_registrations():
        return render_event(request, event, error=_("El registro a este evento está cerrado."),
                            status=400)
    if not form.is_valid():
        return render_event(request, event, form=form, status=400)
    email = form.cleaned_data["email"].lower()
    if not (allow(f"register:ip:{client_address(request)}", limit=REGISTRATIONS_PER_ADDRESS,
                  per_seconds=3600)
            and allow(f"register:email:{event.pk}:{email}", limit=3, per_seconds=3600)):
        return render_event(request, event, form=form, status=429, error=_(
            "Se recibieron demasiados registros desde su conexión o para ese correo. "
            "Intente de nuevo en una hora."))
    try:
        participation.register(event.pk, consent=form.cleaned_data["consent"],
                               name=form.cleaned_data["name"], email=form.cleaned_data["email"],
                               organization=form.cleaned_data["organization"],
                               language=translation.get_language() or "")
    except participation.AlreadyRegistered as already:
        # Answered exactly as a new registration: whoever typed the address learns nothing
        # about who is registered; its owner gets the link again.
        participation.remind(already.registration_id)
    except participation.ParticipationError as error:
        return render_event(request, event, form=form, error=str(error), status=400)
    return redirect("network:registration_sent", slug=event.slug)


@require_safe
def registration_sent(request, slug):
    """Where every accepted registration form lands: the link to the registration is mailed."""
    return render(request, "network/participation/registration_sent.html",
                  {"event": _public_event(slug)})


def _invalid_link(request):
    return render(request, "network/participation/invalid_link.html", status=404)


@require_http_methods(["GET", "HEAD", "POST"])
@no_page_cache
def my_registration(request, token):
    registration = (participation.registration_from_token(token)
                    if len(token) <= MAX_TOKEN else None)
    if registration is None:
        return _invalid_link(request)
    cancelled_now = asked_to_cancel = False
    if request.method == "POST" and request.POST.get("accion") == "cancelar":
        asked_to_cancel = True
        cancelled_now = participation.cancel(registration.pk)
        registration.refresh_from_db()
    can_cancel = (registration.status in RegistrationStatus.active()
                  and registration.event.starts_at > timezone.now())
    return render(request, "network/participation/my_registration.html", {
        "registration": registration, "event": registration.event,
        "statuses": RegistrationStatus, "cancelled_now": cancelled_now,
        # «Sí, cancelar mi registro» pressed once the event had begun: nothing was cancelled.
        "too_late": (asked_to_cancel and not cancelled_now
                     and registration.status in RegistrationStatus.active()),
        "position": participation.waiting_position(registration),
        "can_cancel": can_cancel,
        # «Cancelar mi registro» asks first, on this page, before anything changes.
        "confirming": can_cancel and request.method == "GET" and "cancelar" in request.GET,
    })


@require_http_methods(["GET", "HEAD", "POST"])
@no_page_cache
def survey(request, token):
    registration = (participation.registration_for_survey(token)
                    if len(token) <= MAX_TOKEN else None)
    if registration is None:
        return _invalid_link(request)
    answered = SurveyResponse.objects.filter(registration=registration).exists()
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST" and not answered:
        if form.is_valid():
            try:
                participation.answer_survey(registration.pk, rating=form.cleaned_data["rating"],
                                            comments=form.cleaned_data["comments"])
            except participation.ParticipationError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                answered = True
        else:
            status = 400
    return render(request, "network/participation/survey.html", {
        "registration": registration, "event": registration.event, "form": form,
        "answered": answered,
    }, status=status)

