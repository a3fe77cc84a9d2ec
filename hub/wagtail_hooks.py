from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from hub import twofactor


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return twofactor.urlpatterns


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("enlace_2fa_setup"),
        "label": _("Verificación en dos pasos"),
        "help_text": _("Proteja su cuenta con un código de su teléfono."),
    }
