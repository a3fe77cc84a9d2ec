from django import template

from network import display

register = template.Library()


@register.inclusion_tag("network/includes/event_cards.html")
def event_cards(events):
    """``<li>`` cards of ``events`` (prefetch their organizers), for a ``<ul class="cards">``."""
    return {"cards": display.event_cards(events)}
