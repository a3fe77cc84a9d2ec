from django import template

from hub import permission_labels

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


@register.tag
def kept(parser, token):
    """``{% kept "name" [value …] %}…{% endkept %}``: a part of the page that is the same for
    every visitor of a site in one language (and, if given, for the same values: a choice the
    view has already checked against a short list), rendered once per process and page-cache
    generation in safe requests (hub/sitecache.py: everything it shows must purge the pages
    when it changes), and rendered every time elsewhere. Put nothing inside that depends on
    the request, the user or the page beyond those values. A view that reads rows the part
    shows calls ``sitecache.pin()`` first."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('{% kept "name" [value …] %} starts with a quoted name')
    values = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(bits[1][1:-1], values, nodelist)


class KeptNode(template.Node):
    def __init__(self, name: str, values: list, nodelist):
        self.name, self.values, self.nodelist = name, values, nodelist

    def render(self, context):
        from django.utils.safestring import mark_safe
        from django.utils.translation import get_language
        from wagtail.models import Site

        from hub import sitecache

        request = context.get("request")
        if request is None or not sitecache.active():
            return self.nodelist.render(context)
        site = Site.find_for_request(request)
        key = ("fragment", self.name, get_language(), site.pk if site else None,
               *(str(value.resolve(context)) for value in self.values))
        return mark_safe(sitecache.remember(key, lambda: str(self.nodelist.render(context))))  # noqa: S308



@register.filter
def permission_label(permission) -> str:
    """A permission named in the active language (``hub.permission_labels``)."""
    return permission_labels.permission_label(permission)
