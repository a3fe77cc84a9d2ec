"""Two-factor sign-in for staff with django-otp (TOTP authenticator apps).

- Any staff user can enrol a device from "Cuenta → Verificación en dos pasos".
- A user with a confirmed device is asked for a code after the password, before any
  admin page.
- With ``ENLACE_REQUIRE_2FA`` on, members of ``ENLACE_2FA_REQUIRED_GROUPS`` (Coordinación
  by default) are sent to enrol before they can use the admin.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

ADMIN_PREFIX = "/admin/"
_OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/2fa/verificar/", "/admin/jsi18n/",
               "/admin/sprite")
THROTTLED = gettext_lazy("Demasiados intentos fallidos. Espere unos segundos y escriba el "
                         "código que muestre entonces su aplicación.")


def two_factor_required(user) -> bool:
    if not settings.ENLACE_REQUIRE_2FA:
        return False
    if user.is_superuser:
        return True
    required = set(settings.ENLACE_2FA_REQUIRED_GROUPS)
    return user.groups.filter(name__in=required).exists()


class RequireVerifiedStaffMiddleware:
    """After django_otp's OTPMiddleware: keep unverified staff out of the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect_to = self._redirect_for(request)
        if redirect_to:
            return redirect(f"{redirect_to}?{REDIRECT_FIELD_NAME}={request.get_full_path()}")
        return self.get_response(request)

    def _redirect_for(self, request) -> str | None:
        path_info = request.path_info
        if not path_info.startswith(ADMIN_PREFIX) or path_info.startswith(_OPEN_PATHS):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if user_has_device(user, confirmed=True):
            return reverse("enlace_2fa_verify")
        if path_info == reverse("enlace_2fa_setup"):
            return None  # enrolling is how an unenrolled user gets through
        if two_factor_required(user):
            return reverse("enlace_2fa_setup")
        return None


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Código de 6 dígitos"), max_length=8, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("El código lleva solo números."))
        return code


def _next_url(request) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def _login_required(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('wagtailadmin_login')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    return wrapped


@_login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
        if not any(d.verify_is_allowed()[0] for d in devices):
            form.add_error("code", THROTTLED)
        else:
            for device in devices:
                if device.verify_token(form.cleaned_data["code"]):
                    otp_login(request, device)
                    return redirect(_next_url(request))
            form.add_error("code", _("El código no es correcto o ya expiró. Use el que "
                                     "muestra ahora su aplicación."))
    return TemplateResponse(request, "hub/twofactor/verify.html",
                            {"form": form, "next": _next_url(request)})


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@_login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True)
    if request.method == "POST" and request.POST.get("action") == "remove":
        if not user.is_verified():
            return redirect("enlace_2fa_verify")
        confirmed.delete()
        return redirect("enlace_2fa_setup")
    pending, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": _("Aplicación de autenticación")}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if pending.verify_token(form.cleaned_data["code"]):
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            otp_login(request, pending)
            return redirect(_next_url(request))
        form.add_error("code", _("El código no coincide. Revise la hora de su teléfono y "
                                 "escriba el código que aparece ahora."))
    return TemplateResponse(request, "hub/twofactor/setup.html", {
        "form": form,
        "has_device": confirmed.exists(),
        "required": two_factor_required(user),
        "qr": mark_safe(_qr_svg(pending.config_url)),  # noqa: S308 (SVG made by qrcode)
        "secret": pending.bin_key.hex(),
        "next": _next_url(request),
    })


urlpatterns = [
    path("2fa/verificar/", verify, name="enlace_2fa_verify"),
    path("2fa/configurar/", setup, name="enlace_2fa_setup"),
]
