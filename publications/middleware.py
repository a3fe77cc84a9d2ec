"""Middleware: a page that may not be published yet, refused wherever Wagtail publishes it.

``IssuePage.publish`` refuses (``IssueNotReady``) while an article of the issue is not
approved; an article's or edition's ``publish`` refuses (``NotReviewed``) a text the committee
did not approve. The admin's own publish button is stopped earlier by a hook
(``publications.admin.magazine``), but Wagtail's workflow views call ``publish`` from inside
the last task's approval, where no hook runs. There the approval (atomic in Wagtail) is
rolled back and this middleware turns the refusal into the admin's Spanish error message and
a return to the issue's editor, instead of a server error.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse


class IssueNotReadyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from wagtail.admin import messages
        from wagtail.admin.modal_workflow import render_modal_workflow

        from .domain.issues import IssueNotReady
        from .domain.review import NotReviewed

        if isinstance(exception, IssueNotReady):
            page = exception.issue
        elif isinstance(exception, NotReviewed):
            page = exception.page
        else:
            return None
        messages.error(request, str(exception))
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # Wagtail's workflow modal follows this redirect.
            return render_modal_workflow(request, "", None, {},
                                         json_data={"step": "success", "redirect": url})
        return redirect(url)
