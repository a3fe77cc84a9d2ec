"""Admin screens of the municipal roadmaps: list (overdue flagged), start from an agreement,
a roadmap's milestones, and a milestone's progress and evidence.

Every screen asks ``network.rules``: the lists are scoped with ``Roadmap.objects.in_scope_of``
and agreements the user is a party of; a row outside the user's scope is a 404.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages
from wagtail.documents import get_document_model
from wagtail.documents.widgets import AdminDocumentChooser

from hub import safety
from network import rules
from network.domain import roadmaps as domain
from network.domain.images import public_documents
from network.enums import MilestoneStatus, RoadmapDimension
from network.models import Agreement, Milestone, Roadmap

MAX_ID = 2**63 - 1


def _require_staff(request):
    if not rules.can_view_roadmaps(request.user):
        raise PermissionDenied


def _scoped_agreements(user):
    qs = Agreement.objects.all()
    if rules.is_coordinator(user):
        return qs
    own = rules.officer_institution_id(user) if rules.is_officer(user) else None
    return qs.filter(institutions=own).distinct() if own else qs.none()


def _get_in_scope(qs, pk):
    if not 0 < pk <= MAX_ID:
        raise Http404
    return get_object_or_404(qs, pk=pk)


PER_PAGE = 50


@require_http_methods(["GET"])
def index(request):
    _require_staff(request)
    today = timezone.localdate()
    roadmaps = domain.with_progress(
        Roadmap.objects.in_scope_of(request.user).select_related("guarantor", "agreement"),
        on=today).order_by("state", "municipality", "pk")
    only_overdue = request.GET.get("vencidos") == "1"
    if only_overdue:
        roadmaps = roadmaps.filter(overdue_count__gt=0)
    # A page at a time: a network with thousands of municipal roadmaps got one page of megabytes.
    page = Paginator(roadmaps, PER_PAGE).get_page(request.GET.get("p"))
    for r in page:
        r.percent = domain.percent(r.done, r.total)
    startable = domain.startable_agreements(_scoped_agreements(request.user)).order_by(
        "municipality")
    return TemplateResponse(request, "network/admin/roadmap_index.html", {
        "roadmaps": page, "startable": startable, "only_overdue": only_overdue,
        "elided_page_range": page.paginator.get_elided_page_range(page.number),
    })


class StartForm(forms.Form):
    starts_on = safety.DateField(
        label=gettext_lazy("Fecha de inicio"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Los hitos se fechan a partir de este día; por omisión, hoy."),
    )
    project_months = forms.IntegerField(
        label=gettext_lazy("Duración de los proyectos (meses)"), min_value=1,
        max_value=domain.MAX_PROJECT_MONTHS, initial=12,
        help_text=gettext_lazy("Para «Planes y Proyectos de Transparencia», cuya temporalidad "
                               "depende de la duración del proyecto."),
    )


@require_http_methods(["GET", "POST"])
def start(request, agreement_id: int):
    _require_staff(request)
    agreement = _get_in_scope(_scoped_agreements(request.user), agreement_id)
    if not rules.can_start_roadmap(request.user, agreement):
        raise PermissionDenied
    existing = Roadmap.objects.filter(agreement=agreement).first()
    form = StartForm(request.POST or None,
                     initial={"starts_on": domain.default_start(agreement)})
    if request.method == "POST" and form.is_valid():
        try:
            roadmap = domain.start_roadmap(
                agreement, actor=request.user, starts_on=form.cleaned_data["starts_on"],
                project_months=form.cleaned_data["project_months"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            count = roadmap.milestones.count()
            messages.success(request, ngettext("Hoja de ruta iniciada: %(n)s hito fechado.",
                                               "Hoja de ruta iniciada: %(n)s hitos fechados.",
                                               count) % {"n": count})
            return redirect("network_roadmap_admin", roadmap.pk)
    return TemplateResponse(request, "network/admin/roadmap_start.html", {
        "agreement": agreement, "form": form, "existing": existing,
        "agreement_start": domain.agreement_start(agreement),
        "refusal": "" if existing else domain.start_refusal(agreement),
    })


def _grouped(milestones):
    groups = {}
    for m in milestones:
        groups.setdefault(m.tool.dimension, []).append(m)
    return [(RoadmapDimension(d).label, rows) for d, rows in sorted(groups.items())]


@require_http_methods(["GET"])
def detail(request, roadmap_id: int):
    _require_staff(request)
    roadmap = _get_in_scope(
        Roadmap.objects.in_scope_of(request.user).select_related("agreement", "guarantor"),
        roadmap_id)
    milestones = list(roadmap.milestones.select_related("tool", "evidence_document")
                      .prefetch_related("responsible"))
    today = timezone.localdate()
    for m in milestones:
        m.flag_overdue = m.is_overdue(today)
    done = sum(1 for m in milestones if m.status == MilestoneStatus.DONE)
    return TemplateResponse(request, "network/admin/roadmap_detail.html", {
        "roadmap": roadmap, "groups": _grouped(milestones), "done": done,
        "total": len(milestones), "percent": domain.percent(done, len(milestones)),
        "overdue": sum(1 for m in milestones if m.flag_overdue),
        "can_update": rules.is_party_of(request.user, roadmap.agreement),
    })


OUTDATED = dt.datetime.min.replace(tzinfo=dt.UTC)


class MilestoneForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evidence is shown publicly: a document of a restricted collection is refused.
        self.fields["evidence_document"].queryset = public_documents()

    status = forms.ChoiceField(label=gettext_lazy("Estado"), choices=MilestoneStatus.choices)
    evidence_url = forms.URLField(label=gettext_lazy("Enlace a la evidencia"), required=False,
                                  max_length=500, assume_scheme="https")
    evidence_document = forms.ModelChoiceField(
        label=gettext_lazy("Documento de evidencia"), required=False,
        queryset=get_document_model().objects.none(), widget=AdminDocumentChooser,
    )
    notes = forms.CharField(label=gettext_lazy("Observaciones"), required=False,
                            max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    # The milestone as this form showed it: a save by someone else meanwhile is not overwritten
    # unseen. Empty (an older form): no check.
    version = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_version(self):
        """The ``updated_at`` the form was shown with; one that cannot be read is taken as
        outdated (the person is asked to check), never as "no check"."""
        text = self.cleaned_data["version"]
        if not text:
            return None
        try:
            seen = parse_datetime(text)
        except ValueError:
            seen = None
        return seen if seen is not None and timezone.is_aware(seen) else OUTDATED


def _version(milestone: Milestone) -> str:
    return milestone.updated_at.isoformat()


@require_http_methods(["GET", "POST"])
def milestone_edit(request, milestone_id: int):
    _require_staff(request)
    scoped = Milestone.objects.filter(roadmap__in=Roadmap.objects.in_scope_of(request.user))
    milestone = _get_in_scope(scoped.select_related("roadmap__agreement", "tool"), milestone_id)
    if not rules.can_update_milestone(request.user, milestone):
        raise PermissionDenied
    initial = {"status": milestone.status, "evidence_url": milestone.evidence_url,
               "evidence_document": milestone.evidence_document, "notes": milestone.notes,
               "version": _version(milestone)}
    form = MilestoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["seen"] = data.pop("version")
        try:
            domain.update_milestone(milestone, actor=request.user, **data)
        except domain.MilestoneChanged as exc:
            # What the person typed stays; saving again now replaces what the other one saved.
            form.data = form.data.copy()
            form.data["version"] = _version(Milestone.objects.get(pk=milestone.pk))
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Avance del hito «%(tool)s» guardado.")
                             % {"tool": milestone.tool.name})
            return redirect("network_roadmap_admin", milestone.roadmap_id)
    return TemplateResponse(request, "network/admin/milestone_edit.html", {
        "milestone": milestone, "roadmap": milestone.roadmap, "form": form,
        "overdue": milestone.is_overdue(),
    })
