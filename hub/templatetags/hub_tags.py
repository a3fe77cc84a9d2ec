from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ row|get_item:"column" }}`` — a dict value by a key held in a variable."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (empty value removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def when(value, with_year=False):
    """A date-time for people, in Mexico City time and the active language."""
    from network.display import when as for_people

    return for_people(value, with_year)
