"""«Añadir a la cola»: a confirmation page (which slot would be taken) and the action."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from .. import rules
from ..models import Post
from ..queue import QueueError, add_to_queue, check_post_queueable, next_free_slot, queued_message
from ..sendtime import day_and_hour


@require_http_methods(["GET", "POST"])
def queue_post(request, pk: int):
    if not request.user.has_perm("campaigns.change_post"):
        raise PermissionDenied
    post = rules.scope(request.user, Post.objects.all()).filter(pk=pk).first()
    if post is None:
        raise Http404
    if request.method == "POST":
        try:
            moment = add_to_queue(request.user, post.pk)
        except QueueError as exc:
            messages.error(request, exc.message)
            return redirect("campaigns_queue_post", pk=post.pk)
        messages.success(request, queued_message(moment))
        return redirect(reverse("wagtailsnippets_campaigns_post:list"))
    version = post.get_latest_revision_as_object() if post.latest_revision_id else post
    channels = list(version.channels.all())
    proposal, problem = None, ""
    try:
        check_post_queueable(request.user, post)
        proposal = day_and_hour(next_free_slot(channels, exclude_post=post.pk))
    except QueueError as exc:
        problem = exc.message
    return TemplateResponse(request, "campaigns/admin/queue_post.html", {
        "post": post, "channels": channels, "proposal": proposal, "problem": problem})
