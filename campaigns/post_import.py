"""Bulk scheduling: posts from a CSV or XLSX file, previewed, then created all or none, once.

The file is read by the network's import reader (``network.domain.imports.read_table``) and
kept as a ``PostImport`` like the contacts import keeps its batches. ``preview_posts`` checks
every row by the rules of the post editor (``validation.validate_post``: channels of the
officer's scope, text that fits each network, a future send time) and changes nothing else.
``apply_posts`` creates every post of a clean batch through ``posts.create_and_submit``, the
editor's and the API's path (published for the institution's own channels, sent to
Coordinación's approval for SNT ones), in one transaction, and only once.

Images: a row names an image already in the library (by its title, among the images the
officer may choose). Addresses (URLs) are refused: Enlace never downloads a file from an
address a spreadsheet gives.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.actions.publish_revision import PublishPermissionError

from network.domain.imports import ImportFileError, read_table, row_errors, table_csv, table_xlsx
from network.enums import ImportStatus

from . import rules
from .models import Channel, Post, PostImage, PostImport
from .posts import create_and_submit
from .preferences import system_hashtag
from .sendtime import display, parse
from .validation import MAX_ID, needs_approval, validate_post

__all__ = ["COLUMNS", "ImportFileError", "PostsAlreadyCreated", "apply_posts", "preview_posts",
           "template_csv", "template_xlsx"]

COLUMNS = ("texto", "enlace", "canales", "fecha", "hora", "imagen")
REQUIRED = ("texto", "canales", "fecha", "hora")
MAX_TEXT = 5000
# What the preview shows of each row (the column names of the file, then the outcome).
PREVIEW_COLUMNS = (*COLUMNS, "aprobacion")
_XLSX_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00$")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


class PostsAlreadyCreated(Exception):
    pass


def usable_images(actor):
    """Images of the library the actor may choose for a post."""
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(get_image_model())
    return policy.instances_user_has_any_permission_for(actor, ["choose"])


class PostRowForm(forms.Form):
    texto = forms.CharField(max_length=MAX_TEXT, strip=True)
    enlace = forms.URLField(required=False, max_length=500, assume_scheme="https")
    canales = forms.CharField(max_length=1000)
    fecha = forms.CharField(max_length=40)
    hora = forms.CharField(max_length=40)
    imagen = forms.CharField(required=False, max_length=255)

    def __init__(self, *args, actor, usable: dict, images, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor, self.usable, self.images = actor, usable, images

    def clean_canales(self):
        found, problems = [], []
        for token in (t.strip() for t in self.cleaned_data["canales"].split(";")):
            if not token:
                continue
            channel = self.usable.get(token.casefold())
            if channel is None:
                problems.append(self._unknown_channel(token))
            elif channel not in found:
                found.append(channel)
        if problems:
            raise ValidationError(problems)
        if not found:
            raise ValidationError(_("Escriba al menos un canal (nombres o números separados por «;»)."))
        return found

    @staticmethod
    def _unknown_channel(token: str) -> str:
        others = Channel.objects.filter(name__iexact=token)
        if token.isascii() and token.isdigit() and 0 < int(token) <= MAX_ID:
            others = Channel.objects.filter(pk=int(token))
        if others.exists():
            return _("No puede publicar en el canal «%(c)s»: pertenece a otra institución o no "
                     "está disponible para usted.") % {"c": token[:120]}
        return _("No existe el canal «%(c)s».") % {"c": token[:120]}

    def clean_imagen(self):
        name = self.cleaned_data["imagen"]
        if not name:
            return None
        if _URL.match(name):
            raise ValidationError(_("Enlace no descarga imágenes desde direcciones web. Súbala a la "
                                    "biblioteca de imágenes y escriba aquí su título."))
        matches = list(self.images.filter(title__iexact=name)[:2])
        if not matches:
            raise ValidationError(_("No hay una imagen titulada «%(n)s» en la biblioteca que pueda "
                                    "usar.") % {"n": name[:120]})
        if len(matches) > 1:
            raise ValidationError(_("Hay varias imágenes tituladas «%(n)s»; cambie el título de una "
                                    "para distinguirlas.") % {"n": name[:120]})
        return matches[0]

    def clean(self):
        data = super().clean()
        if "fecha" in data and "hora" in data:
            day = _XLSX_MIDNIGHT.sub(r"\1", data["fecha"])
            moment = parse(f"{day} {data['hora']}")
            if moment is None:
                self.add_error("fecha", _("No se reconoce «%(f)s %(h)s» como fecha y hora. Escriba la "
                                          "fecha como dd/mm/aaaa y la hora como hh:mm (24 horas, "
                                          "centro de México).")
                               % {"f": data["fecha"][:40], "h": data["hora"][:40]})
            data["publish_at"] = moment
        if self.errors:
            return data
        errors = validate_post(
            user=self.actor, text=data["texto"], link=data.get("enlace", ""), tags=[],
            channels=data["canales"], variants={}, image_count=1 if data.get("imagen") else 0,
            publish_at=data["publish_at"], hashtag=system_hashtag(),
            allowed={c.pk for c in self.usable.values()})
        columns = {"text": "texto", "channels": "canales", "publish_at": "fecha", "images": "imagen"}
        for field, messages in errors.items():
            for message in messages:
                self.add_error(columns.get(field, "texto"), message)
        return data


def _usable_channels(actor) -> dict:
    """The channels an actor may target, by lower-case name and by id."""
    lookup = {}
    for channel in Channel.objects.for_user(actor).usable().select_related("institution"):
        lookup.setdefault(channel.name.casefold(), channel)
        lookup[str(channel.pk)] = channel
    return lookup


def preview_posts(*, uploaded, actor) -> PostImport:
    """Read and check a file of posts; store what it would create.

    Side effects: one ``PostImport`` row (its rows, or its errors). No post is created. Raises
    ``ImportFileError`` when the file as a whole cannot be read, ``PermissionDenied`` when the
    actor may not create posts."""
    if not rules.can_import_posts(actor):
        raise PermissionDenied
    table = read_table(uploaded)
    header, rows = table[0], table[1:]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(_("Faltan columnas obligatorias: %(cols)s. Descargue la plantilla.")
                              % {"cols": ", ".join(missing)})
    usable, images = _usable_channels(actor), usable_images(actor)
    cleaned, errors, seen = [], [], {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        form = PostRowForm(data=row, actor=actor, usable=usable, images=images)
        if not form.is_valid():
            errors.extend(row_errors(number, row, form))
            continue
        data = form.cleaned_data
        channels = sorted(data["canales"], key=lambda c: c.pk)
        key = (data["texto"], tuple(c.pk for c in channels), data["publish_at"])
        if key in seen:
            errors.append({"row": number, "field": "", "value": "",
                           "message": _("Fila repetida: el mismo texto, canales y hora que la fila "
                                        "%(row)s.") % {"row": seen[key]}})
            continue
        seen[key] = number
        image, approval = data.get("imagen"), needs_approval(channels, actor)
        cleaned.append({
            "_row": number, "_action": "create",
            "texto": data["texto"], "enlace": data.get("enlace", ""),
            "canales": "; ".join(c.name for c in channels), "channel_ids": [c.pk for c in channels],
            "fecha": display(data["publish_at"])[:10], "hora": display(data["publish_at"])[11:],
            "publish_at": data["publish_at"].isoformat(),
            "imagen": image.title if image else "", "image_id": image.pk if image else None,
            "_approval": approval, "aprobacion": _("Sí") if approval else _("No"),
        })
    return PostImport.objects.create(
        filename=(uploaded.name or "archivo")[-255:],
        rows=cleaned if not errors else [], errors=errors,
        status=ImportStatus.REJECTED if errors else ImportStatus.PREVIEW,
        institution_id=rules.officer_institution_id(actor) if rules.is_officer(actor) else None,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def apply_posts(*, batch_id: int, actor) -> PostImport:
    """Create every post of a previewed batch, or none, and only once.

    Side effects, all in one transaction: the batch marked applied; for each row, the post
    created by ``posts.create_and_submit`` as ``actor`` (published with its deliveries, or sent
    to Coordinación's approval), whose jobs are enqueued after the commit. Raises
    ``PermissionDenied`` for a batch outside the actor's scope, ``PostsAlreadyCreated`` for one
    that is not in preview, ``ValidationError`` when a row no longer passes (a send time that
    has passed meanwhile, a channel that was deactivated): nothing is written then."""
    batch = rules.scope_post_imports(actor, PostImport.objects.all()).filter(pk=batch_id).first()
    if batch is None:
        raise PermissionDenied
    claimed = PostImport.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.APPLIED, applied_at=timezone.now())
    if not claimed:
        raise PostsAlreadyCreated
    usable, images = _usable_channels(actor), usable_images(actor)
    for data in batch.rows:
        _create_row(actor, data, usable, images)
    batch.status, batch.created_count = ImportStatus.APPLIED, len(batch.rows)
    PostImport.objects.filter(pk=batch.pk).update(created_count=batch.created_count)
    return batch


def _create_row(actor, data: dict, usable: dict, images) -> Post:
    def refuse(message):
        raise ValidationError(_("Fila %(row)s: %(problem)s") % {"row": data["_row"], "problem": message})

    channels = [usable.get(str(pk)) for pk in data["channel_ids"]]
    if None in channels:
        refuse(_("uno de sus canales ya no está disponible para usted."))
    publish_at = datetime.fromisoformat(data["publish_at"])
    image = images.filter(pk=data["image_id"]).first() if data.get("image_id") else None
    if data.get("image_id") and image is None:
        refuse(_("la imagen «%(n)s» ya no está en la biblioteca.") % {"n": data["imagen"]})
    errors = validate_post(
        user=actor, text=data["texto"], link=data["enlace"], tags=[], channels=channels, variants={},
        image_count=1 if image else 0, publish_at=publish_at, hashtag=system_hashtag(),
        allowed={c.pk for c in usable.values()})
    if errors:
        refuse(" ".join(m for messages in errors.values() for m in messages))
    title = data["texto"].strip().splitlines()[0][:80] or _("Publicación")
    post = Post(title=title, text=data["texto"], link=data["enlace"], publish_at=publish_at,
                author=actor, live=False,
                institution_id=rules.officer_institution_id(actor) if rules.is_officer(actor) else None)
    if image is not None:
        post.images.add(PostImage(image=image))
    try:
        return create_and_submit(actor, post, channels)
    except PublishPermissionError as exc:
        raise ValidationError(_("Su cuenta no puede publicar; pida a Coordinación que programe "
                                "estas publicaciones.")) from exc


# --- Templates ---------------------------------------------------------------------------------

def _example_rows(actor) -> list[list[str]]:
    channel = Channel.objects.for_user(actor).usable().filter(
        institution__isnull=False).order_by("name").first()
    name = channel.name if channel else _("Nombre del canal")
    when = timezone.localtime(timezone.now() + timedelta(days=7))
    return [[_("Conozca su derecho de acceso a la información."),
             "https://www.plataformadetransparencia.org.mx/", name, when.strftime("%d/%m/%Y"),
             "10:00", ""]]


def template_csv(actor) -> str:
    return table_csv(COLUMNS, _example_rows(actor))


def template_xlsx(actor) -> bytes:
    return table_xlsx(COLUMNS, _example_rows(actor), title=str(gettext_lazy("Publicaciones")))
