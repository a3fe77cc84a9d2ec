"""Shared set-up for the editorial workflow tests."""

from __future__ import annotations

from hub import roles
from tests.factories import UserFactory
from tests.publications import factories as pub


def committee(*names):
    return [UserFactory(username=name, groups=[roles.EDITORIAL]) for name in names]


def draft_article(home, **fields):
    issue = pub.issue(pub.magazine(home))
    return pub.article(issue, publish=False, **fields)


def submit(page, user):
    """Submit ``page`` to its workflow as the page editor does."""
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)
