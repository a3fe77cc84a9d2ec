"""Scores, ranking, ties, awards, decision e-mails and published results."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from contests import jobs
from contests.enums import AuditAction, EntryStatus
from contests.mail import send_quietly
from contests.models import Award, DecisionEmail, Entry, ResultsPublication, Review, log
from contests.text import local_time

from .errors import ContestError


def review_total(review: Review, criteria) -> float | None:
    """A review's weighted mean on a 0–100 scale (each criterion rescaled from its range)."""
    if review.abstained:
        return None
    return weighted_total(review.scores, criteria)


def weighted_total(scores: dict, criteria) -> float | None:
    """The weighted mean of scores (criterion id as text -> score) on a 0–100 scale, each
    criterion rescaled from its range; criteria without a score are left out."""
    weighted, weights = 0.0, 0.0
    for c in criteria:
        value = scores.get(str(c.pk))
        if value is None:
            continue
        span = c.max_score - c.min_score
        weight = float(c.weight if isinstance(c.weight, Decimal) else Decimal(str(c.weight)))
        weighted += weight * (value - c.min_score) / span * 100
        weights += weight
    return round(weighted / weights, 4) if weights else None


@dataclass
class Row:
    entry: Entry
    assigned: int = 0
    reviews: int = 0
    abstentions: int = 0
    totals: list = field(default_factory=list)
    score: float | None = None
    normalized: float | None = None
    rank: int | None = None
    tied: bool = False
    award: Award | None = None

    @property
    def sort_value(self):
        return self.normalized if self.normalized is not None else self.score


def counted_reviews(call):
    """The reviews that count: of entries in competition, by a juror still assigned to the
    entry (a juror unassigned or in conflict no longer weighs in the ranking)."""
    return Review.objects.filter(entry__call=call, entry__status=EntryStatus.SUBMITTED,
                                 entry__assignments__juror=F("juror"))


def ranking(call) -> dict:
    """Per category: rows ranked by score (normalised per juror when the call asks), ties
    flagged, with each entry's award if any."""
    criteria = list(call.criteria.all())
    entries = list(Entry.objects.filter(call=call, status=EntryStatus.SUBMITTED)
                   .select_related("category").prefetch_related("assignments"))
    reviews = list(counted_reviews(call))
    awards = {a.entry_id: a for a in Award.objects.filter(entry__call=call)}
    totals = {r.pk: review_total(r, criteria) for r in reviews}

    zscores: dict[int, float] = {}
    if call.normalize_scores:
        per_juror: dict[int, list[Review]] = {}
        for r in reviews:
            if totals[r.pk] is not None:
                per_juror.setdefault(r.juror_id, []).append(r)
        for juror_reviews in per_juror.values():
            values = [totals[r.pk] for r in juror_reviews]
            mean = statistics.fmean(values)
            spread = statistics.pstdev(values) if len(values) > 1 else 0.0
            for r in juror_reviews:
                zscores[r.pk] = (totals[r.pk] - mean) / spread if spread else 0.0

    rows: dict[int, Row] = {}
    for entry in entries:
        rows[entry.pk] = Row(entry=entry, assigned=len(entry.assignments.all()),
                             award=awards.get(entry.pk))
    for r in reviews:
        row = rows.get(r.entry_id)
        if row is None:
            continue
        row.reviews += 1
        if r.abstained:
            row.abstentions += 1
        elif totals[r.pk] is not None:
            row.totals.append(r)
    for row in rows.values():
        values = [totals[r.pk] for r in row.totals]
        row.score = round(statistics.fmean(values), 2) if values else None
        if call.normalize_scores and values:
            row.normalized = round(statistics.fmean(zscores[r.pk] for r in row.totals), 3)

    by_category: dict = {}
    for category in call.categories.all():
        ranked = sorted((r for r in rows.values() if r.entry.category_id == category.pk),
                        key=lambda r: (r.sort_value is None, -(r.sort_value or 0), r.entry.folio or ""))
        previous = None
        for position, row in enumerate(ranked, start=1):
            if row.sort_value is None:
                continue
            if previous is not None and previous.sort_value == row.sort_value:
                row.rank = previous.rank
                row.tied = previous.tied = True
            else:
                row.rank = position
            previous = row
        by_category[category] = ranked
    return by_category


def set_award(entry, place: int | None, *, citation: str = "", actor=None) -> None:
    """Give (or clear, with None) a place or a mention (0)."""
    if place is None:
        deleted, _n = Award.objects.filter(entry=entry).delete()
        if deleted:
            log(entry.call, AuditAction.AWARD, actor=actor, entry=entry, detail=_("Premio retirado"))
        return
    if entry.status != EntryStatus.SUBMITTED:
        raise ContestError(_("Solo las participaciones en concurso pueden recibir un premio."))
    if not 0 <= place <= 10:
        raise ContestError(_("Lugar no válido."))
    if place and Award.objects.filter(entry__category=entry.category, place=place,
                                      entry__status=EntryStatus.SUBMITTED).exclude(entry=entry).exists():
        raise ContestError(_("El %(n)sº lugar de esta categoría ya está asignado.") % {"n": place})
    award, _created = Award.objects.update_or_create(entry=entry, defaults={"place": place,
                                                                            "citation": citation})
    log(entry.call, AuditAction.AWARD, actor=actor, entry=entry, detail=f"{entry.folio}: {award.label}")


def publish_results(call, *, actor=None) -> int:
    """Mark the results public (visible from ``results_at``) and draft a decision e-mail for
    every entry in competition. Returns how many drafts were written.

    Side effects: one ``ResultsPublication`` row (the first publication's time and actor are
    kept; publishing again only drafts the missing notices), an audit event, the drafts."""
    if timezone.now() <= call.deadline:
        raise ContestError(_("La convocatoria sigue abierta: los resultados se publican después del "
                             "cierre."), code="open")
    with transaction.atomic():
        ResultsPublication.objects.get_or_create(
            call=call, defaults={"published_by": actor if getattr(actor, "pk", None) else None})
        call.__dict__.pop("results_publication", None)
        log(call, AuditAction.RESULTS, actor=actor,
            detail=_("Visibles desde %(when)s") % {
                "when": local_time(call.results_at)})
        return draft_decisions(call)


def draft_decisions(call) -> int:
    made = 0
    for entry in (Entry.objects.filter(call=call, status=EntryStatus.SUBMITTED)
                  .select_related("owner", "category", "call").prefetch_related("award")):
        if DecisionEmail.objects.filter(entry=entry).exists():
            continue  # drafts staff may have edited are kept; sent ones are never redone
        award = getattr(entry, "award", None)
        context = {"entry": entry, "award": award, "call": call,
                   "base_url": settings.WAGTAILADMIN_BASE_URL}
        subject = (_("¡Felicidades! Resultado del %(call)s") if award else
                   _("Resultado del %(call)s")) % {"call": call.title}
        DecisionEmail.objects.create(entry=entry, subject=subject,
                                     body=render_to_string("contests/email/decision.txt", context))
        made += 1
    return made


def send_decision(decision: DecisionEmail, *, actor=None) -> bool:
    """Send one reviewed draft; a draft already sent is never sent twice, and nothing is
    marked sent if the mail server refused it."""
    with transaction.atomic():
        locked = DecisionEmail.objects.select_for_update().select_related("entry__owner", "entry__call").get(
            pk=decision.pk)
        entry = locked.entry
        if locked.sent_at or entry.status != EntryStatus.SUBMITTED:
            return False
        if not send_quietly(locked.subject, locked.body, [entry.owner.email]):
            return False
        locked.sent_at, locked.sent_by = timezone.now(), actor
        locked.save(update_fields=["sent_at", "sent_by"])
        log(entry.call, AuditAction.DECISION_SENT, actor=actor, entry=entry, detail=locked.subject)
    return True


def edit_decision(decision: DecisionEmail, *, subject: str, body: str, actor) -> DecisionEmail:
    """Staff edit a draft notice before sending it. The subject is one line."""
    from django.core.exceptions import ValidationError

    from contests.text import no_control_characters, single_line

    subject = " ".join((subject or "").split())[:200]
    try:
        single_line(subject)
        no_control_characters(body)
    except ValidationError as exc:
        raise ContestError(" ".join(exc.messages), code="text") from None
    if not subject or not (body or "").strip():
        raise ContestError(_("El aviso necesita asunto y texto."), code="empty")
    updated = DecisionEmail.objects.filter(pk=decision.pk, sent_at__isnull=True).update(
        subject=subject, body=body)
    if not updated:
        raise ContestError(_("Ese aviso ya se envió: no puede cambiar."), code="sent")
    decision.subject, decision.body = subject, body
    return decision


def send_all_decisions(call, *, actor) -> int:
    """Send every reviewed, unsent notice of a call, off the request (a job). Returns how many
    are pending."""
    pending = DecisionEmail.objects.filter(entry__call=call, sent_at__isnull=True).count()
    jobs.enqueue(jobs.DECISIONS, call_id=call.pk, actor_id=getattr(actor, "pk", None))
    return pending


def send_pending_decisions(call_pk: int, *, actor_pk: int | None = None) -> int:
    """Send every reviewed, unsent notice of a call (a job: hundreds of e-mails do not belong
    in a web request)."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(pk=actor_pk).first() if actor_pk else None
    return sum(send_decision(d, actor=actor)
               for d in DecisionEmail.objects.filter(entry__call_id=call_pk, sent_at__isnull=True))


def _names_public(entry) -> bool:
    """Only an owner known to be an adult when the work was sent is ever named."""
    return entry.owner_was_minor is False and getattr(entry.owner, "entrant_profile", None) is not None


def public_authors(entry) -> str:
    """Names shown publicly for an awarded work. Minors are never named; co-authors (whose age
    is not asked) only in categories for adults."""
    if not _names_public(entry):
        return _("Participante menor de edad (nombre reservado)")
    owner = entry.owner.entrant_profile.full_name
    coauthors = [c.name for c in entry.coauthors.all() if c.accepted_at]
    if not coauthors:
        return owner
    if (entry.category.min_age or 0) >= 18:
        return ", ".join([owner, *coauthors])
    return _("%(name)s y equipo") % {"name": owner}


def public_school(entry) -> str:
    return entry.owner.entrant_profile.school if _names_public(entry) else ""
