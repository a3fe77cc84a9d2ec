"""How events read on public pages: dates for people, and the event cards of the lists."""

from __future__ import annotations

from django.urls import reverse
from django.utils import dateformat, timezone, translation


def when(value, with_year: bool = False) -> str:
    """A date-time for people, in Mexico City time and the active language.

    Spanish: "domingo 24 de enero, 13:00" (names in lower case, as Spanish writes them);
    English: "Sunday, January 24, 13:00".
    """
    if not value:
        return ""
    local = timezone.localtime(value)
    if translation.get_language().startswith("es"):
        text = dateformat.format(local, r"l j \d\e F" + (r" \d\e Y" if with_year else ""))
        return f"{text.lower()}, {local:%H:%M}"
    text = dateformat.format(local, "l, F j" + (", Y" if with_year else ""))
    return f"{text}, {local:%H:%M}"


def event_cards(events) -> list[dict]:
    """What each card of a list of events shows, worked out in one pass (a list of 30 events
    paid more in template tags and filters per card than in its queries), with the organizers'
    acronyms read as plain rows in one query."""
    from network.models import Event

    events = list(events)
    acronyms: dict[int, list[str]] = {}
    if events:
        links = (Event.organizers.through.objects.filter(event_id__in=[e.pk for e in events])
                 .order_by("institution__acronym").values_list("event_id", "institution__acronym"))
        for event_id, acronym in links:
            acronyms.setdefault(event_id, []).append(acronym)
    head, tail = reverse("network:event", kwargs={"slug": "slug"}).rsplit("slug", 1)
    cards = []
    for event in events:
        local = timezone.localtime(event.starts_at)
        details = [event.get_kind_display(), event.get_mode_display()]
        if event.pk in acronyms:
            details.append(", ".join(acronyms[event.pk]))
        cards.append({"title": event.title, "url": f"{head}{event.slug}{tail}",
                      "datetime": local.isoformat(), "when": when(local),
                      "details": " · ".join(details)})
    return cards


# What an event card reads of an event (``EventQuerySet.for_cards``).
EVENT_CARD_FIELDS = ("pk", "title", "slug", "starts_at", "kind", "mode")


def with_party_names(agreements) -> list:
    """``agreements`` as a list, each with ``party_names`` (institutions' acronyms, then allies'
    names, as ``parties_display`` shows them) read as plain rows: two queries for the list."""
    from network.models import Agreement

    agreements = list(agreements)
    ids = [a.pk for a in agreements]
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    if ids:
        for through, column in ((Agreement.institutions.through, "institution__acronym"),
                                (Agreement.allies.through, "ally__name")):
            rows = (through.objects.filter(agreement_id__in=ids).order_by(column)
                    .values_list("agreement_id", column))
            for agreement_id, name in rows:
                names[agreement_id].append(name)
    for agreement in agreements:
        agreement.party_names = names[agreement.pk]
    return agreements
