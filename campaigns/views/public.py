"""Public endpoints of the campaigns: the tracked one-click amplification links."""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ..amplify import record_click


@never_cache
def amplify(request, token: str):
    # A click is a GET: a HEAD (link checkers, mail scanners, and the site's own check that an
    # address exists before it answers OPTIONS, PUT…) is answered the same, recording nothing.
    target = record_click(token, clicked=request.method == "GET")
    if not target:
        return render(request, "campaigns/amplify_invalid.html", status=404)
    return HttpResponseRedirect(target)
