"""Admin forms of the campaigns: channels (with credentials) and posts (with the send rules)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from network import rules

from . import rendering
from .channels import connect
from .connectors import ConnectorError, all_connectors, get_connector
from .models import Channel
from .preferences import system_hashtag
from .sendtime import SendTimeField
from .validation import needs_approval, validate_post


def _secret(label):
    return forms.CharField(label=label, required=False, strip=True,
                           widget=forms.PasswordInput(render_value=False, attrs={
                               "autocomplete": "off"}))


# Wagtail's own msgid for the submit button, translated by Wagtail's catalogue at run time (a
# variable, so that makemessages does not copy an English msgid into ours).
_WAGTAIL_SUBMIT_LABEL = "Submit to %(workflow_name)s"


def submit_button_label(post) -> str:
    """The label the editor's button for approval really shows for ``post``
    («Enviar a Aprobación de Coordinación (canales del SNT)»)."""
    workflow = post.get_workflow() if post.pk else type(post).get_default_workflow()
    if workflow is None:
        return gettext("Enviar a moderación")
    return gettext(_WAGTAIL_SUBMIT_LABEL) % {"workflow_name": workflow.name}


class ChannelFormBase(WagtailAdminModelForm):
    """Credentials are write-only: never shown again; blank keeps the stored ones.

    Saving checks them with the network ("Probar conexión" on every save) through
    :func:`campaigns.channels.connect`, like the API does.
    """

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and not rules.is_coordinator(for_user):
            own = rules.officer_institution_id(for_user)
            field = self.fields["institution"]
            field.queryset = field.queryset.filter(pk=own)
            field.required = True
            field.empty_label = None
            self.fields.pop("is_network_group", None)
        if self.instance.pk and self.instance.has_credentials:
            for connector in all_connectors():
                for declared in connector.credential_fields:
                    if declared.name in self.fields:
                        self.fields[declared.name].help_text = _(
                            "Guardado y cifrado. Déjelo vacío para conservarlo.")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        connector = get_connector(kind) if kind else None
        if kind and connector is None:
            self.add_error("kind", _("Esta red todavía no se puede conectar desde Enlace."))
            return cleaned
        if connector is not None and connector.needs_chat_id and not cleaned.get("chat_id"):
            self.add_error("chat_id", _("Indique el chat id o el @usuario del canal de Telegram."))
        if self.errors or connector is None:
            return cleaned
        kept = self.instance.get_credentials() if (
            self.instance.pk and self.instance.kind == kind) else {}
        credentials = {}
        for declared in connector.credential_fields:
            value = cleaned.get(declared.name) or kept.get(declared.name, "")
            if not value:
                self.add_error(declared.name, _("Este dato es obligatorio para conectar el canal."))
            credentials[declared.name] = value
        self._credentials = credentials
        # A token X refused to let post keeps that permission: the same one (kept, or typed
        # again) is no new credentials, and its check, which only reads, must not clear the flag.
        self._same_refused_token = self.instance.needs_new_credentials and credentials == kept
        if self._same_refused_token and any(cleaned.get(d.name)
                                            for d in connector.credential_fields):
            self.add_error(None, _("Estas son las mismas credenciales con las que la red no "
                                   "permite publicar. Genere un token de acceso nuevo, con "
                                   "permiso de lectura y escritura, y escríbalo aquí."))
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # the instance now has the kind, chat id and name typed
        credentials = getattr(self, "_credentials", None)
        if self.errors or not credentials or getattr(self, "_same_refused_token", False):
            return
        try:
            connect(self.instance, credentials)
        except ConnectorError as exc:
            self.add_error(None, _("No se pudo conectar el canal: %(m)s") % {"m": exc.message})


# The credential fields come from the connectors' own declarations.
ChannelForm = type("ChannelForm", (ChannelFormBase,), {
    declared.name: _secret(declared.label)
    for connector in all_connectors() for declared in connector.credential_fields})


class ChannelCheckboxes(forms.CheckboxSelectMultiple):
    """Each channel's checkbox tells the composer its network and name (data-kind, data-name)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        channel = getattr(value, "instance", None)
        if channel is not None:
            option["attrs"].update({"data-kind": channel.kind, "data-name": channel.name})
        return option


class PostForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["channels"].widget = ChannelCheckboxes()
        if "publish_at" in self.fields:
            self.fields["publish_at"] = SendTimeField(label=self.fields["publish_at"].label)
        self.fields["channels"].queryset = Channel.objects.for_user(for_user).usable().select_related(
            "institution")
        if for_user is not None and not rules.is_coordinator(for_user):
            # An officer's posts belong to their institution (set on save).
            self.fields.pop("institution", None)
            campaign = self.fields.get("campaign")
            if campaign is not None:
                from .models import Campaign

                campaign.queryset = Campaign.objects.in_scope_of(for_user)
        for formset in self.formsets.values():
            for form in formset.forms:
                if "channel" in form.fields:
                    form.fields["channel"].queryset = self.fields["channels"].queryset

    # Set by the preview views: the preview shows a text that is too long rather than refusing.
    previewing = False

    def _institution_id(self, cleaned):
        if "institution" in self.fields:
            institution = cleaned.get("institution")
            return institution.pk if institution is not None else None
        return self.instance.institution_id or rules.officer_institution_id(self.for_user)

    def _formset_values(self, name):
        formset = self.formsets.get(name)
        if formset is None:
            return []
        return [f.cleaned_data for f in formset.forms
                if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        channels = list(cleaned.get("channels") or [])
        variants = {row["channel"].pk: row.get("text", "") for row in self._formset_values("variants")
                    if row.get("channel")}
        images = [row for row in self._formset_values("images") if row.get("image")]
        tags = [str(t) for t in (cleaned.get("tags") or [])]
        errors = validate_post(
            user=self.for_user, text=cleaned.get("text", ""), link=cleaned.get("link", ""), tags=tags,
            channels=channels, variants=variants, image_count=len(images),
            publish_at=cleaned.get("publish_at"), hashtag=system_hashtag(),
            utm=rendering.utm_by_kind(
                enabled=cleaned.get("utm_tracking", True), campaign=cleaned.get("campaign"),
                institution_id=self._institution_id(cleaned), channels=channels),
            lengths=not self.previewing, require_channels=not self.previewing)
        for field, messages in errors.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)
        publishing = "action-publish" in self.data
        if publishing and needs_approval(channels, self.for_user):
            self.add_error(None, _("Las publicaciones en canales del SNT requieren la aprobación de "
                                   "Coordinación: use «%(submit)s» en lugar de «Publicar».")
                           % {"submit": submit_button_label(self.instance)})
        return cleaned

    def save(self, commit=True):
        post = super().save(commit=False)
        if not post.author_id and self.for_user is not None and self.for_user.is_authenticated:
            post.author = self.for_user
        if post.institution_id is None and self.for_user is not None:
            post.institution_id = rules.officer_institution_id(self.for_user)
        if commit:
            post.save()
            self.save_m2m()
        return post


class OwnInstitutionForm(WagtailAdminModelForm):
    """An officer may only choose their own institution; Coordinación any."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("institution")
        if field is not None and for_user is not None and not rules.is_coordinator(for_user):
            own = rules.officer_institution_id(for_user) if rules.is_officer(for_user) else None
            field.queryset = field.queryset.filter(pk=own) if own is not None else field.queryset.none()
            field.required = True
            field.empty_label = None
            if not self.instance.pk and own is not None:
                self.initial.setdefault("institution", own)  # the only choice, already chosen


class FeedSourceForm(OwnInstitutionForm):
    """The feed's address must be http(s) on a public site (``campaigns.feeds.check_url``)."""

    def clean_url(self):
        from .feeds import FeedError, check_url

        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except FeedError as exc:
            raise forms.ValidationError(exc.message) from exc
        return url


class CampaignForm(OwnInstitutionForm):
    """An officer's campaigns belong to their institution; only Coordinación files SNT ones."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        lines = self.fields.get("action_lines")
        if lines is not None and for_user is not None:
            # Lines of the officer's region; lines already linked stay (not lost on save).
            current = self.instance.action_lines.all() if self.instance.pk else []
            scoped = rules.scope_queryset(for_user, lines.queryset)
            lines.queryset = lines.queryset.filter(
                Q(pk__in=scoped.values("pk")) | Q(pk__in=[line.pk for line in current]))
