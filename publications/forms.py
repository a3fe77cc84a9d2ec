"""Forms of publications' admin actions (the committee's vote and decision)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import Outcome, Verdict

COMMENT_MAX = 4000


class VoteForm(forms.Form):
    """A member's vote. Asking for changes or rejecting needs a comment that says why."""

    verdict = forms.ChoiceField(label=_("Su voto"), choices=Verdict.choices,
                                widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comentario"), required=False, max_length=COMMENT_MAX,
                              widget=forms.Textarea({"rows": 4}))

    def clean(self):
        data = super().clean()
        if data.get("verdict") in (Verdict.CHANGES, Verdict.REJECT) and not (
                data.get("comment") or "").strip():
            self.add_error("comment", _("Explique qué cambios pide o por qué lo rechaza."))
        return data


class ApproveForm(forms.Form):
    comment = forms.CharField(label=_("Comentario (opcional)"), required=False,
                              max_length=COMMENT_MAX, widget=forms.Textarea({"rows": 3}))


class DecisionForm(forms.Form):
    """The committee does not approve: it returns the article for changes or rejects it."""

    outcome = forms.ChoiceField(label=_("Decisión"), choices=Outcome.choices,
                                widget=forms.RadioSelect, initial=Outcome.CHANGES)
    comment = forms.CharField(label=_("Comentario para la autoría"), max_length=COMMENT_MAX,
                              widget=forms.Textarea({"rows": 4}),
                              error_messages={"required": _("Explique la decisión.")})


def review_form_for(action: str) -> type[forms.Form] | None:
    return {"vote": VoteForm, "approve": ApproveForm, "reject": DecisionForm}.get(action)
