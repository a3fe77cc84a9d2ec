"""Celery tasks of publications (thin: each calls one domain function)."""

from .booklets import *  # noqa: F403
from .files import *  # noqa: F403
from .stats import *  # noqa: F403
