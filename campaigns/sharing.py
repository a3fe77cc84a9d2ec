"""Sharing published pages (news, events, calls, magazine issues, booklets) as posts."""

from __future__ import annotations

from django.db import transaction

from network import rules

from . import text as texts
from .models import Channel, PageShare, Post, PostImage
from .posts import create_and_submit
from .preferences import system_hashtag


def fit_body(body: str, *, channels, link: str, hashtag: str, has_image: bool) -> str:
    """Shorten a page's summary with an ellipsis until it fits every chosen network."""
    body = body.strip()
    while body:
        composed = texts.compose(body, link=link, system_hashtag=hashtag)
        if all(not (fit := texts.measure(c.kind, composed, has_images=has_image)) or not fit.overflow
               for c in channels):
            return body
        body = body[: max(0, len(body) - max(5, len(body) // 10))].rstrip() + "…"
        if len(body) <= 1:
            break
    return ""


def share_page(page, revision) -> Post | None:
    """Create the post for a published page once; again only if the editor asked for it.

    The post is the revision author's: it goes only to the channels that person may post to
    (a page copied or edited from someone else's draft keeps that person's channels)."""
    user = getattr(revision, "user", None)
    channels = page.share_channels.all()
    if user is not None:
        channels = channels.filter(pk__in=Channel.objects.for_user(user).values("pk"))
    channels = list(channels)
    if not channels:
        return None
    with transaction.atomic():
        already = PageShare.objects.select_for_update().filter(page_id=page.pk).exists()
        if already and not page.share_again:
            return None
        if revision is not None and PageShare.objects.filter(page_id=page.pk,
                                                             revision_id=revision.pk).exists():
            return None
        link = page.full_url or ""
        hashtag = system_hashtag()
        summary = page.get_share_summary()
        body = page.title + (f"\n\n{summary}" if summary else "")
        body = fit_body(body, channels=channels, link=link, hashtag=hashtag,
                        has_image=bool(page.share_image_id)) or page.title[:200]
        institution_id = rules.officer_institution_id(user) if user else None
        post = Post(title=page.title[:160], text=body, link=link, author=user,
                    institution_id=institution_id, source_page_id=page.pk)
        if page.share_image_id:
            post.images.add(PostImage(image_id=page.share_image_id))
        create_and_submit(user, post, channels)
        PageShare.objects.create(page_id=page.pk, revision_id=getattr(revision, "pk", None),
                                 post=post)
        if page.share_again:
            type(page).objects.filter(pk=page.pk).update(share_again=False)
    return post

