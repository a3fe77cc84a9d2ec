"""Field validators of the publications: identifiers are checked, not only shaped."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

ORCID_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
# Crossref's recommended pattern for modern DOIs: 10.<registrant>/<suffix>.
DOI_RE = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Za-z0-9]+$")
ISSN_RE = re.compile(r"^\d{4}-\d{3}[\dX]$")


def orcid_checksum_ok(orcid: str) -> bool:
    """ISO 7064 11,2 check digit, as ORCID defines it."""
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    check = "X" if result == 10 else str(result)
    return digits[-1] == check


def validate_orcid(value: str) -> None:
    value = (value or "").strip()
    if not ORCID_RE.match(value):
        raise ValidationError(_("El ORCID debe tener la forma 0000-0002-1825-0097."), code="orcid_format")
    if not orcid_checksum_ok(value):
        raise ValidationError(_("El ORCID %(value)s no es válido: su dígito verificador no coincide."),
                              code="orcid_checksum", params={"value": value})


def validate_doi(value: str) -> None:
    value = (value or "").strip()
    if not DOI_RE.match(value):
        raise ValidationError(
            _("El DOI debe tener la forma 10.1234/abc-123, sin «https://doi.org/»."), code="doi_format")


def issn_checksum_ok(issn: str) -> bool:
    digits = issn.replace("-", "")
    total = sum(int(char) * weight for char, weight in zip(digits[:7], range(8, 1, -1), strict=True))
    result = (11 - total % 11) % 11
    check = "X" if result == 10 else str(result)
    return digits[-1] == check


def validate_issn(value: str) -> None:
    value = (value or "").strip()
    if not ISSN_RE.match(value) or not issn_checksum_ok(value):
        raise ValidationError(_("El ISSN %(value)s no es válido (forma 1234-567X y dígito "
                                "verificador)."), code="issn", params={"value": value})


class MaxWordsValidator:
    """INAI's editorial criteria cap an author's bio at 30 words."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value: str) -> None:
        count = len((value or "").split())
        if count > self.limit:
            raise ValidationError(
                ngettext("Use como máximo %(limit)d palabra (tiene %(count)d).",
                         "Use como máximo %(limit)d palabras (tiene %(count)d).", self.limit),
                code="max_words", params={"limit": self.limit, "count": count})

    def __eq__(self, other) -> bool:
        return isinstance(other, MaxWordsValidator) and other.limit == self.limit

    def deconstruct(self):
        return ("publications.validators.MaxWordsValidator", (self.limit,), {})


def validate_section_key(value: str) -> None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}", value or ""):
        raise ValidationError(_("La clave de sección usa solo minúsculas sin acentos, números y "
                                "guiones (por ejemplo «derechos-arco»)."), code="section_key")
