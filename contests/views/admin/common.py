"""What every staff screen shares: the permission gate and reading ids safely."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from contests.models import ContestCallPage


def require(request, permission: str, obj=None) -> None:
    """403 unless the user holds the named permission (``contests/rules.py``)."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def as_id(value) -> int:
    """A posted or queried id as an int; 0 (matches nothing) for anything else: huge
    numbers, signs, NUL bytes, non-ASCII digits."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else 0


def get_call(call_id) -> ContestCallPage:
    return get_object_or_404(ContestCallPage, pk=as_id(call_id))
