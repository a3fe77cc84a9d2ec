"""Permissions named in the active language in the group editor.

Django stores the names of the permissions it creates in English, with the model's name as it
was at that moment («Can add institución», «Can publish evento»), and Wagtail shows them as
stored in the group editor: as screen-reader names of the add, change and delete boxes and as
the names of the page permissions. ``permission_label`` names them from the permission's action
and its model's current name instead, and leaves any other name (Wagtail's own, which its
catalogue translates, or one of ours, written in Spanish) to the catalogue.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

_ACTIONS = {
    "add": _("Puede agregar %(model)s"), "change": _("Puede modificar %(model)s"),
    "delete": _("Puede eliminar %(model)s"), "view": _("Puede ver %(model)s"),
    "publish": _("Puede publicar %(model)s"), "lock": _("Puede bloquear %(model)s"),
    "unlock": _("Puede desbloquear %(model)s"), "choose": _("Puede elegir %(model)s"),
}


def permission_label(permission) -> str:
    action = permission.codename.partition("_")[0]
    model = ContentType.objects.get_for_id(permission.content_type_id).model_class()
    if action in _ACTIONS and permission.name.startswith("Can ") and model is not None:
        return _ACTIONS[action] % {"model": model._meta.verbose_name}
    return gettext(permission.name)
