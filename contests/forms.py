"""Forms of the entrant wizard, the jury and the staff screens."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.enums import State

from .enums import EducationLevel
from .models import CoAuthor, EntrantProfile, Entry
from .text import no_markup, single_line_plain


class ProfileForm(forms.ModelForm):
    accept_privacy = forms.BooleanField(
        label=_("He leído y acepto el aviso de privacidad"), required=True,
        error_messages={"required": _("Para participar debe aceptar el aviso de privacidad.")})
    guardian_consent = forms.BooleanField(
        label=_("Como madre, padre o tutor, autorizo la participación y el tratamiento de los datos "
                "de la persona menor de edad"), required=False)

    class Meta:
        model = EntrantProfile
        fields = ["full_name", "birth_date", "state", "education_level", "school", "phone",
                  "guardian_name", "guardian_relationship", "guardian_email"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["accept_privacy"].initial = True
            self.fields["guardian_consent"].initial = bool(self.instance.guardian_consent_at)
        # Nothing is chosen for the entrant: an empty first option they must change, worded
        # alike in both lists (Django's own reads «---------»).
        self.fields["education_level"].choices = [("", _("Elija…")), *EducationLevel.choices]
        self.fields["state"].choices = [("", _("Elija…")), *State.choices]

    GUARDIAN_FIELDS = ("guardian_name", "guardian_relationship", "guardian_email")

    @property
    def shows_guardian(self) -> bool:
        """Whether the guardian's section is shown: for a minor, by the date typed in (or the
        one on file), or when it has errors to show."""
        if any(self.errors.get(name) for name in (*self.GUARDIAN_FIELDS, "guardian_consent")):
            return True
        born = self.instance.birth_date
        if self.is_bound:
            try:
                born = self.fields["birth_date"].clean(self.data.get(self.add_prefix("birth_date")))
            except forms.ValidationError:
                born = None
        return bool(born) and EntrantProfile(birth_date=born).is_minor

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if born >= today or born.year < today.year - 110:
            raise forms.ValidationError(_("Revise la fecha de nacimiento."))
        return born

    def clean(self):
        data = super().clean()
        born = data.get("birth_date")
        if born:
            profile = EntrantProfile(birth_date=born)
            if profile.is_minor:
                for name in self.GUARDIAN_FIELDS:
                    if not data.get(name):
                        self.add_error(name, _("Obligatorio para menores de edad."))
                if not data.get("guardian_consent"):
                    self.add_error("guardian_consent", _("Para menores de edad se necesita el "
                                                         "consentimiento de su madre, padre o tutor."))
            else:
                # An adult has no guardian on file, whatever the form carried.
                for name in self.GUARDIAN_FIELDS:
                    data[name] = ""
                data["guardian_consent"] = False
        return data

    def save(self, user):
        profile = super().save(commit=False)
        profile.user = user
        now = timezone.now()
        if not profile.privacy_accepted_at:
            profile.privacy_accepted_at = now
        self.consent_recorded = False
        if self.cleaned_data.get("guardian_consent") and profile.is_minor:
            self.consent_recorded = not profile.guardian_consent_at
            profile.guardian_consent_at = profile.guardian_consent_at or now
        else:
            profile.guardian_consent_at = None
        profile.save()
        return profile


class StartEntryForm(forms.Form):
    category = forms.TypedChoiceField(label=_("Categoría"), coerce=int)
    title = forms.CharField(label=_("Título de la obra"), max_length=200, validators=[single_line_plain])
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64,
                                   validators=[RegexValidator(r"^[A-Za-z0-9_-]+$")])

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.pk, c.name) for c in categories]

    def clean(self):
        data = super().clean()
        if "client_token" in self.errors:
            # A hidden field people never see: say plainly what happened, and give the form a
            # fresh token so that sending it again works.
            del self.errors["client_token"]
            self.add_error(None, _("El formulario llegó incompleto o alterado. Revise los datos y "
                                   "envíelo de nuevo."))
            self.data = self.data.copy()
            self.data["client_token"] = uuid.uuid4().hex
        return data


class EntryDetailsForm(forms.ModelForm):
    link = forms.URLField(label=_("Enlace"), required=False, max_length=500, assume_scheme="https",
                          widget=forms.URLInput(attrs={"placeholder": "https://"}))

    class Meta:
        model = Entry
        fields = ["title", "summary", "theme", "link", "published_on", "media_outlet"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, rules=None, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        if themes:
            self.fields["theme"] = forms.ChoiceField(
                label=_("Tema"), required=False, choices=[("", "—")] + [(t, t) for t in themes])
        if rules is not None:
            if rules.link == "none":
                del self.fields["link"]
            else:
                self.fields["link"].label = rules.link_label
            if not rules.needs_publication:
                del self.fields["published_on"]
                del self.fields["media_outlet"]

    def clean_link(self):
        link = self.cleaned_data.get("link", "")
        if link and not link.lower().startswith("https://"):
            raise forms.ValidationError(_("Use un enlace seguro que empiece con https://"))
        return link

    def clean_published_on(self):
        day = self.cleaned_data.get("published_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("La fecha de publicación no puede ser futura."))
        return day


class CoAuthorForm(forms.ModelForm):
    class Meta:
        model = CoAuthor
        fields = ["name", "email"]


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Motivo del conflicto de interés"), widget=forms.Textarea(
        attrs={"rows": 3}), max_length=1000, validators=[no_markup])


class ReviewForm(forms.Form):
    """One number field per criterion of the rubric, a comment and an abstention."""

    comment = forms.CharField(label=_("Comentario para el jurado"), required=False, max_length=3000,
                              widget=forms.Textarea(attrs={"rows": 4}), validators=[no_markup])
    abstained = forms.BooleanField(label=_("Me abstengo de calificar esta obra"), required=False)

    def __init__(self, *args, criteria=(), read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            scale = _("de %(min)s a %(max)s; peso %(w)s") % {
                "min": c.min_score, "max": c.max_score, "w": f"{Decimal(c.weight).normalize():f}"}
            self.fields[f"c{c.pk}"] = forms.IntegerField(
                label=c.name, help_text=f"{c.description} ({scale})" if c.description else scale,
                required=False, min_value=c.min_score, max_value=c.max_score,
                widget=forms.NumberInput(attrs={"step": 1, "min": c.min_score, "max": c.max_score}))
        self.order_fields([f"c{c.pk}" for c in self.criteria] + ["comment", "abstained"])
        if read_only:  # scoring closed: the juror sees what they gave, and posted data is ignored
            for field in self.fields.values():
                field.disabled = True

    def weights(self) -> list[dict]:
        """What the page's script needs to show the weighted total as scores are typed (the
        server computes it again when saving: ``results.weighted_total``)."""
        return [{"field": self[f"c{c.pk}"].auto_id, "weight": float(c.weight),
                 "min": c.min_score, "max": c.max_score} for c in self.criteria]

    def clean(self):
        data = super().clean()
        if not data.get("abstained"):
            for c in self.criteria:
                if data.get(f"c{c.pk}") is None and f"c{c.pk}" not in self.errors:
                    self.add_error(f"c{c.pk}", _("Califique este criterio o márquese como abstención."))
        return data

    def scores(self) -> dict[str, int]:
        if self.cleaned_data.get("abstained"):
            return {}
        return {str(c.pk): self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class ExtensionForm(forms.Form):
    entrant_email = forms.EmailField(label=_("Correo de la persona participante"))
    until = forms.DateTimeField(label=_("Nuevo plazo (hora del centro de México)"),
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(label=_("Motivo"), widget=forms.Textarea(attrs={"rows": 2}),
                             validators=[no_markup])


class DisqualifyForm(forms.Form):
    reason = forms.CharField(label=_("Motivo de la descalificación"), validators=[no_markup],
                             widget=forms.Textarea(attrs={"rows": 2}))
