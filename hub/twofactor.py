"""Two-factor sign-in for staff with django-otp (TOTP authenticator apps).

- Any staff user can enrol a device from "Cuenta → Verificación en dos pasos".
- A user with a confirmed device is asked for a code after the password.
- With ``ENLACE_REQUIRE_2FA`` on, members of ``ENLACE_2FA_REQUIRED_GROUPS`` (Coordinación
  by default) are sent to enrol first.

Where it applies, the second factor guards *every* view, once, here: until the code is
entered, a session that passed only its password is sent to the code page from the admin,
and is treated as an anonymous visitor everywhere else (the contests' original files, the
jury's deliberation, the API with a session, exports...). A view that then refuses the
anonymous visitor (a redirect to sign in, 403 or 404) sends the person to the code page
instead. Only signing in and out and the two-factor pages themselves are exempt.
"""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
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


def needs_second_factor(user) -> bool:
    """Signed in with the password, but the second factor that applies was not given yet."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_verified():
        return False
    from network.rules import is_staff_member

    if not is_staff_member(user):
        return False  # entrants and jurors cannot enrol a device (enrolling is in the admin)
    return user_has_device(user, confirmed=True) or two_factor_required(user)


# Paths a half-signed-in session may use as itself: signing in and out, the code pages.
# Enrolling (/admin/2fa/configurar/) is exempt only for who has no confirmed device yet:
# otherwise a stolen password could enrol a second device and skip the code.
_EXEMPT_PATHS = _OPEN_PATHS + ("/cuentas/logout/", "/cuentas/login/")


class RequireVerifiedStaffMiddleware:
    """After django_otp's OTPMiddleware: no staff-only view without the second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path_info = request.path_info
        user = request.user
        if path_info.startswith(_EXEMPT_PATHS) or not needs_second_factor(user):
            return self.get_response(request)
        if path_info == reverse("enlace_2fa_setup") and not user_has_device(user,
                                                                             confirmed=True):
            return self.get_response(request)
        if path_info.startswith(ADMIN_PREFIX):
            return self._to_second_factor(request, user)
        # Anywhere else the session counts as anonymous until the code is entered.
        request.user = AnonymousUser()
        response = self.get_response(request)
        if response.status_code in (401, 403, 404) or self._asks_to_sign_in(response):
            return self._to_second_factor(request, user)
        return response

    @staticmethod
    def _to_second_factor(request, user):
        target = ("enlace_2fa_verify" if user_has_device(user, confirmed=True)
                  else "enlace_2fa_setup")
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return redirect(f"{reverse(target)}?{query}")

    @staticmethod
    def _asks_to_sign_in(response) -> bool:
        if response.status_code not in (301, 302, 303, 307, 308):
            return False
        location = response.get("Location", "")
        sign_in = (resolve_url(settings.LOGIN_URL), "/cuentas/login/", "/admin/login/")
        return location.split("?")[0].endswith(sign_in)


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


def _typed_key(key: bytes) -> str:
    compact = base64.b32encode(key).decode().rstrip("=")
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


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
        # Typed keys are base32 in every authenticator app (the QR carries the same one),
        # in groups of four as the apps show them.
        "secret": _typed_key(pending.bin_key),
        "next": _next_url(request),
    })


urlpatterns = [
    path("2fa/verificar/", verify, name="enlace_2fa_verify"),
    path("2fa/configurar/", setup, name="enlace_2fa_setup"),
]
