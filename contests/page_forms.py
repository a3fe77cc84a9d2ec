"""The call's page form: what may not change once people have entered or jurors have scored."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.shareable import ShareablePageForm


class ContestCallPageForm(ShareablePageForm):
    """Refuses, with a message, edits that would orphan entries or silently change scores:
    deleting a category with entries or changing its code or kind, and deleting or
    re-weighting criteria once reviews exist."""

    def clean(self):
        cleaned = super().clean()
        page = self.instance
        if not page.pk:
            return cleaned
        # Through the page's relations: this module never imports the models (they import it).
        entries = page.entries.all()
        with_entries = set(entries.values_list("category_id", flat=True))
        reviewed = entries.filter(reviews__isnull=False).exists()
        problems = []
        for form in _forms(self, "categories"):
            pk = form.instance.pk
            if not pk or pk not in with_entries:
                continue
            if self.data.get(f"{form.prefix}-DELETE"):
                problems.append(_("La categoría «%(name)s» tiene participaciones: no puede eliminarse.")
                                % {"name": form.instance.name})
            for field in ("code", "kind"):
                sent = self.data.get(f"{form.prefix}-{field}")
                if sent is not None and sent.strip().upper() != str(getattr(form.instance, field)).upper():
                    problems.append(_("La categoría «%(name)s» tiene participaciones: su clave y su tipo "
                                      "ya no pueden cambiar.") % {"name": form.instance.name})
                    break
        if reviewed:
            for form in _forms(self, "criteria"):
                criterion = form.instance
                if not criterion.pk:
                    if any(self.data.get(f"{form.prefix}-{f}") for f in ("name", "weight")) and \
                            not self.data.get(f"{form.prefix}-DELETE"):
                        problems.append(_("El jurado ya calificó: no se pueden agregar criterios."))
                    continue
                if self.data.get(f"{form.prefix}-DELETE") or _changed(self.data, form.prefix, criterion):
                    problems.append(_("El jurado ya calificó con «%(name)s»: la rúbrica ya no puede "
                                      "cambiar.") % {"name": criterion.name})
        if problems:
            raise ValidationError(sorted(set(problems)))
        return cleaned


def _forms(page_form, name: str) -> list:
    formset = page_form.formsets.get(name)
    return formset.forms if formset is not None else []


def _changed(data, prefix: str, criterion) -> bool:
    try:
        weight = Decimal(data.get(f"{prefix}-weight", criterion.weight))
    except InvalidOperation:
        return True
    return (weight != criterion.weight
            or str(data.get(f"{prefix}-min_score", criterion.min_score)) != str(criterion.min_score)
            or str(data.get(f"{prefix}-max_score", criterion.max_score)) != str(criterion.max_score))
