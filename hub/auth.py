"""Authentication glue shared by the staff admin and entrants' accounts."""


def axes_username(request, credentials) -> str | None:
    """What django-axes locks on: the admin's username or the e-mail entrants sign in with."""
    credentials = credentials or {}
    for key in ("username", "email", "login"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    data = getattr(request, "POST", None) or {}
    return (data.get("login") or data.get("username") or "").strip().lower() or None


def _staff_login_form():
    from django import forms
    from django.urls import reverse
    from django.utils.html import format_html
    from django.utils.translation import gettext as _
    from django.utils.translation import gettext_lazy
    from wagtail.admin.forms.auth import LoginForm

    from network import rules

    class StaffLoginForm(LoginForm):
        """The admin's sign-in is for staff only (a staff flag or a staff group).

        Entrants and jurors sign in with their verified e-mail at /cuentas/login/; without
        this, an entrant who never confirmed the address could sign in here with the
        e-mail's local part as username and then act on the public site.
        """

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # Wagtail's form gives the password no label: Django then showed the field's
            # name, «Password», on the Spanish page.
            self.fields["password"].label = gettext_lazy("Contraseña")

        def confirm_login_allowed(self, user):
            super().confirm_login_allowed(user)
            if not rules.is_staff_member(user):
                url = reverse("account_login")
                # The way out is a link, not an address to type.
                raise forms.ValidationError(
                    format_html(
                        _("Esta entrada es solo para el personal de la Comisión y de los órganos "
                          "garantes. Si participa en un concurso o es jurado, entre con su correo "
                          "en {link}."),
                        link=format_html('<a href="{}">{}</a>', url, url)),
                    code="not_staff",
                )

    return StaffLoginForm


def _token_authentication():
    from django.utils.translation import gettext as _
    from rest_framework import exceptions
    from rest_framework.authentication import TokenAuthentication as DrfTokenAuthentication

    class TokenAuthentication(DrfTokenAuthentication):
        """DRF's token authentication, reading the user's staff profile (the institution an
        officer acts for, which nearly every API view asks) in the same query as the token
        and the user: one query less per request. A user without a profile reads as before."""

        def authenticate_credentials(self, key):
            model = self.get_model()
            # Keys are 40 letters and digits: anything else is no key, and is never looked up
            # (PostgreSQL refuses a NUL in a string parameter: the lookup answered 500).
            if len(key) > 40 or not (key.isascii() and key.isalnum()):
                raise exceptions.AuthenticationFailed(_("El token no es válido."))
            try:
                token = model.objects.select_related("user", "user__staff_profile").get(key=key)
            except model.DoesNotExist:
                raise exceptions.AuthenticationFailed(_("El token no es válido.")) from None
            if not token.user.is_active:
                raise exceptions.AuthenticationFailed(_("El usuario está inactivo o fue eliminado."))
            return (token.user, token)

    return TokenAuthentication


def __getattr__(name):
    # Built on first use: Wagtail's form imports models, which must wait for the app registry.
    builders = {"StaffLoginForm": _staff_login_form, "TokenAuthentication": _token_authentication}
    if name in builders:
        built = builders[name]()
        globals()[name] = built
        return built
    raise AttributeError(name)
