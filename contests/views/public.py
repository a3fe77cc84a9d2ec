"""Public pages: the list of contests and the archive (acervo) of awarded works."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from contests.domain.archive import archived_entries, search
from contests.domain.results import public_authors, public_school
from contests.domain.sharing import draft_post_for
from contests.enums import CategoryKind
from contests.models import ContestCallPage, ContestSeriesPage
from contests.text import query_text


def index(request):
    now = timezone.now()
    calls = ContestCallPage.objects.live().public().order_by("closes_at")
    return render(request, "contests/index.html", {
        "open_calls": calls.open(now=now),
        "upcoming": calls.upcoming(now=now),
        "series": ContestSeriesPage.objects.live().public().order_by("title"),
    })


def archive(request):
    q = query_text(request.GET.get("q"))
    kind = request.GET.get("tipo", "")
    kind = kind if kind in CategoryKind.values else ""
    year = query_text(request.GET.get("anio"), 4)
    page = Paginator(search(archived_entries(), q=q, kind=kind, year=year), 24).get_page(
        request.GET.get("pagina"))
    for entry in page:
        entry.public_authors = public_authors(entry)
    years = sorted(set(archived_entries().values_list("call__year", flat=True)), reverse=True)
    return render(request, "contests/archive.html", {
        "page": page, "q": q, "kind": kind, "year": year, "kinds": CategoryKind.choices, "years": years})


def archive_item(request, folio: str):
    entry = get_object_or_404(archived_entries(), folio=folio)
    return render(request, "contests/archive_item.html", {
        "entry": entry, "files": list(entry.files.all()), "authors": public_authors(entry),
        "school": public_school(entry), "can_share": request.user.has_perm("campaigns.add_post")})


@require_POST
def share_archived(request, folio: str):
    """Officers and Coordinación: a draft post for this work, opened in the post editor."""
    if not request.user.has_perm("campaigns.add_post"):
        raise PermissionDenied
    entry = get_object_or_404(archived_entries(), folio=folio)
    post = draft_post_for(entry, request.user)
    return redirect(reverse("wagtailsnippets_campaigns_post:edit", args=[post.pk]))
