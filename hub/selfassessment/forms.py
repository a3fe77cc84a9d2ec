from django import forms
from django.utils.translation import gettext_lazy as _

from .scoring import Component

MISSING = _("Elija una respuesta para esta pregunta.")
INVALID = _("Esa respuesta no está entre las opciones; elija una de la lista.")


class AssessmentForm(forms.Form):
    """One required radio group per question; the value is the id of an answer option."""

    def __init__(self, components: list[Component], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.components = components
        for component in components:
            for question in component.questions:
                self.fields[question.field_name] = forms.ChoiceField(
                    label=question.text, help_text=question.help_text,
                    choices=[(o.id, o.label) for o in question.options],
                    widget=forms.RadioSelect,
                    error_messages={"required": MISSING, "invalid_choice": INVALID},
                )

    def sections(self):
        """The bound fields grouped by component, for the template."""
        for component in self.components:
            yield component, [self[q.field_name] for q in component.questions]
