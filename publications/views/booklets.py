"""Views: booklets. The comparison of two editions (``<booklet URL>comparar/?de=1&a=2``).

The booklet, index and edition pages are Wagtail pages (their context comes from
``publications.domain.editions``); the comparison is a route of ``BookletPage`` that lands
here. Only live, public editions are compared, so neither a draft nor a private edition
leaks.
"""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..domain.editions import compare, live_editions_by_number
from ..models import EditionPage

TEMPLATE = "publications/booklet_compare.html"
MAX_NUMBER = 32767


def _number(raw: str) -> int | None:
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 5:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_NUMBER else None


def compare_editions(request, booklet):
    """Compare two live editions of ``booklet`` section by section.

    No parameters: the form to choose them. One missing or not a number, or the same edition
    twice: 400 with the reason. A number with no live edition: 404 with the reason.
    """
    available = list(EditionPage.objects.child_of(booklet).live().public()
                     .order_by("edition_number").values_list("edition_number", flat=True)
                     .distinct())
    context = {"page": booklet, "booklet": booklet, "available": available,
               "raw_from": request.GET.get("de", "")[:10], "raw_to": request.GET.get("a", "")[:10]}
    if "de" not in request.GET and "a" not in request.GET:
        if len(available) >= 2:
            context["raw_from"], context["raw_to"] = str(available[-2]), str(available[-1])
        return TemplateResponse(request, TEMPLATE, context)
    old_number, new_number = _number(request.GET.get("de", "")), _number(request.GET.get("a", ""))
    if old_number is None or new_number is None:
        context["error"] = _("Indique dos números de edición válidos en «de» y «a» "
                             "(por ejemplo ?de=1&a=2).")
        return TemplateResponse(request, TEMPLATE, context, status=400)
    if old_number == new_number:
        context["error"] = _("Elija dos ediciones distintas para compararlas.")
        return TemplateResponse(request, TEMPLATE, context, status=400)
    found = live_editions_by_number(booklet, [old_number, new_number])
    missing = [n for n in (old_number, new_number) if n not in found]
    if missing:
        context["error"] = _("Este cuadernillo no tiene una edición publicada con el número "
                             "%(number)s.") % {"number": missing[0]}
        return TemplateResponse(request, TEMPLATE, context, status=404)
    old, new = found[old_number], found[new_number]
    changes = compare(old, new)
    counts = {status: sum(1 for c in changes if c.status == status)
              for status in ("added", "removed", "changed", "unchanged")}
    context.update({"old": old, "new": new, "changes": changes, "counts": counts})
    return TemplateResponse(request, TEMPLATE, context)


urlpatterns: list = []
