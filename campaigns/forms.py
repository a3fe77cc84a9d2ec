"""Admin forms of the campaigns: channels (with credentials) and posts (with the send rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from network import rules

from .channels import check_channel
from .connectors import ConnectorError, get_connector
from .enums import ChannelHealth, ChannelKind
from .models import Channel
from .preferences import system_hashtag
from .validation import needs_approval, validate_post

CREDENTIAL_FIELDS = {
    ChannelKind.TELEGRAM: ["bot_token"],
    ChannelKind.X: ["consumer_key", "consumer_secret", "access_token", "access_token_secret"],
}


def _secret(label):
    return forms.CharField(label=label, required=False, strip=True,
                           widget=forms.PasswordInput(render_value=False, attrs={
                               "autocomplete": "off"}))


class ChannelForm(WagtailAdminModelForm):
    """Credentials are write-only: never shown again; blank keeps the stored ones."""

    bot_token = _secret(_("Token del bot (Telegram, de @BotFather)"))
    consumer_key = _secret(_("API Key (X)"))
    consumer_secret = _secret(_("API Key Secret (X)"))
    access_token = _secret(_("Access Token (X)"))
    access_token_secret = _secret(_("Access Token Secret (X)"))

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
            for name in sum(CREDENTIAL_FIELDS.values(), []):
                self.fields[name].help_text = _("Guardado y cifrado. Déjelo vacío para conservarlo.")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        connector = get_connector(kind) if kind else None
        if kind and connector is None:
            self.add_error("kind", _("Esta red todavía no se puede conectar desde Enlace."))
            return cleaned
        if kind == ChannelKind.TELEGRAM and not cleaned.get("chat_id"):
            self.add_error("chat_id", _("Indique el chat id o el @usuario del canal de Telegram."))
        if self.errors or connector is None:
            return cleaned
        kept = self.instance.get_credentials() if (
            self.instance.pk and self.instance.kind == kind) else {}
        credentials = {}
        for name in CREDENTIAL_FIELDS[kind]:
            value = cleaned.get(name) or kept.get(name, "")
            if not value:
                self.add_error(name, _("Este dato es obligatorio para conectar el canal."))
            credentials[name] = value
        if self.errors:
            return cleaned
        probe = Channel(kind=kind, chat_id=cleaned.get("chat_id", ""), name=cleaned.get("name", ""))
        try:
            account = check_channel(probe, credentials)  # "Probar conexión" on every save
        except ConnectorError as exc:
            raise forms.ValidationError(
                _("No se pudo conectar el canal: %(m)s") % {"m": exc.message}) from exc
        self._credentials, self._account = credentials, account
        return cleaned

    def save(self, commit=True):
        channel = super().save(commit=False)
        if getattr(self, "_credentials", None):
            channel.set_credentials(self._credentials)
            channel.handle, channel.account_id = self._account.handle, self._account.account_id
            channel.health, channel.health_error = ChannelHealth.OK, ""
            from django.utils import timezone

            channel.health_checked_at = timezone.now()
        if commit:
            channel.save()
        return channel


class PostForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["channels"].widget = forms.CheckboxSelectMultiple()
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
            publish_at=cleaned.get("publish_at"), hashtag=system_hashtag())
        for field, messages in errors.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)
        publishing = "action-publish" in self.data
        if publishing and needs_approval(channels, self.for_user):
            self.add_error(None, _("Las publicaciones en canales del SNT requieren la aprobación de "
                                   "Coordinación: use «Enviar a moderación» en lugar de «Publicar»."))
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
