"""The jury: pools per category, balanced assignment, conflicts of interest and reviews."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contests import jobs
from contests.enums import AuditAction, EntryStatus
from contests.models import Assignment, CategoryJuror, Conflict, Entry, Review, log
from contests.text import local_time

from .errors import ContestError

logger = logging.getLogger(__name__)


def _loads(call) -> Counter:
    return Counter(Assignment.objects.filter(entry__call=call).values_list("juror_id", flat=True))


def assign_balanced(call, *, actor=None, entries=None) -> int:
    """Give every submitted entry ``call.reviews_per_entry`` jurors from its category's pool,
    least-loaded first, skipping conflicted jurors and the entrants themselves. Idempotent:
    running it again only fills gaps. Returns how many assignments were made.

    Side effects: the assignments, one audit event, the blind copies job."""
    ensure_assignable(call)
    loads = _loads(call)
    pools: dict[int, list] = {}
    for cj in CategoryJuror.objects.filter(category__call=call).select_related("juror"):
        pools.setdefault(cj.category_id, []).append(cj.juror)
    if entries is None:
        entries = Entry.objects.filter(call=call, status=EntryStatus.SUBMITTED)
    made = 0
    for entry in entries.select_related("owner").prefetch_related("assignments", "conflicts",
                                                                   "coauthors"):
        pool = pools.get(entry.category_id, [])
        taken = {a.juror_id for a in entry.assignments.all()}
        blocked = taken | {c.juror_id for c in entry.conflicts.all()} | {entry.owner_id}
        blocked |= {c.user_id for c in entry.coauthors.all() if c.user_id}
        emails = {c.email.lower() for c in entry.coauthors.all()}
        needed = call.reviews_per_entry - len(taken)
        candidates = sorted((j for j in pool if j.pk not in blocked and j.email.lower() not in emails),
                            key=lambda j: (loads[j.pk], j.pk))
        for juror in candidates[:max(needed, 0)]:
            try:
                with transaction.atomic():
                    Assignment.objects.create(entry=entry, juror=juror)
            except IntegrityError:
                continue
            loads[juror.pk] += 1
            made += 1
    if made:
        log(call, AuditAction.ASSIGNED, actor=actor,
            detail=ngettext("%(n)s asignación automática (balanceada)",
                            "%(n)s asignaciones automáticas (balanceadas)", made) % {"n": made})
        jobs.enqueue(jobs.BLIND_COPIES, call_id=call.pk)
    return made


def assign_whole_pool(category, *, actor=None) -> int:
    """Bulk: every juror of the category reviews every submitted entry of it (except conflicts
    and their own work)."""
    ensure_assignable(category.call)
    made = 0
    jurors = [cj.juror for cj in CategoryJuror.objects.filter(category=category).select_related("juror")]
    for entry in (Entry.objects.filter(category=category, status=EntryStatus.SUBMITTED)
                  .prefetch_related("conflicts", "coauthors")):
        blocked = {c.juror_id for c in entry.conflicts.all()} | {entry.owner_id}
        blocked |= {c.user_id for c in entry.coauthors.all() if c.user_id}
        for juror in jurors:
            if juror.pk not in blocked:
                made += Assignment.objects.get_or_create(entry=entry, juror=juror)[1]
    if made:
        log(category.call, AuditAction.ASSIGNED, actor=actor,
            detail=ngettext("%(n)s asignación en bloque en %(cat)s",
                            "%(n)s asignaciones en bloque en %(cat)s", made)
            % {"n": made, "cat": category.name})
        jobs.enqueue(jobs.BLIND_COPIES, call_id=category.call_id)
    return made


def juror_account(email: str, *, invited_by=None):
    """The account of a juror, created and invited to set a password when it does not exist."""
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress
    from allauth.account.utils import user_pk_to_url_str
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email
    from django.urls import reverse

    from contests.mail import send_quietly

    try:
        validate_email(email)
    except ValidationError:
        return None
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    base = email.split("@")[0][:100] or "jurado"
    username, n = base, 2
    while User.objects.filter(username=username).exists():
        username, n = f"{base}{n}", n + 1
    user = User(username=username, email=email.lower())
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)})
    send_quietly(_("Invitación al jurado de los concursos del SNT"),
                 _("Le invitamos a formar parte del jurado. Defina su contraseña aquí:\n%(link)s\n\n"
                "Después entre con su correo en %(site)s/jurado/ para ver las obras que le asignen.")
                 % {"link": link, "site": settings.WAGTAILADMIN_BASE_URL.rstrip("/")}, [user.email])
    return user


def _fresh_call(entry):
    """The entry's call as stored now (dates may have changed since the entry was loaded)."""
    return type(entry.call).objects.get(pk=entry.call_id)


def ensure_assignable(call, now: dt.datetime | None = None) -> None:
    """Jurors are assigned once the call closed (entries no longer change in bulk); they may
    be prepared before the jury phase starts, but score only from then on."""
    now = now or timezone.now()
    if now <= call.deadline:
        raise ContestError(_("La convocatoria sigue abierta: el jurado se asigna después del cierre "
                             "(%(when)s).") % {"when": local_time(call.deadline)}, code="open")
    if call.results_published_at:
        raise ContestError(_("Los resultados ya se publicaron: el jurado ya no cambia."),
                           code="published")


def scoring_problem(entry, now: dt.datetime | None = None) -> str:
    """Why the jury cannot score this entry now, or an empty string. Scoring opens when the
    call's jury phase starts and only once the entry can no longer change (an individual
    extension keeps it open for its author); it closes at the end of the jury phase and when
    the results are published."""
    now = now or timezone.now()
    call = _fresh_call(entry)
    if call.results_published_at:
        return _("Los resultados ya se publicaron: las evaluaciones están cerradas.")
    starts = max(call.jury_starts_at, call.deadline_for(entry.owner))
    if now < starts or now <= call.deadline:
        return _("La evaluación empieza el %(when)s (hora del centro de México).") % {
            "when": local_time(max(starts, call.deadline))}
    if call.jury_ends_at and now >= call.jury_ends_at:
        return _("La evaluación terminó el %(when)s (hora del centro de México).") % {
            "when": local_time(call.jury_ends_at)}
    return ""


def add_juror(call, category_id, email: str, *, actor) -> CategoryJuror:
    """Put a person (invited by e-mail when new) in a category's pool of jurors. Side effects:
    the account and its invitation e-mail when new, the Jurado group, an audit event."""
    from django.contrib.auth.models import Group

    from network.rules import JURY

    category = call.categories.filter(pk=category_id).first() if category_id else None
    if category is None:
        raise ContestError(_("Elija una categoría de esta convocatoria."), code="category")
    user = juror_account((email or "").strip(), invited_by=actor)
    if user is None:
        raise ContestError(_("Escriba un correo válido."), code="email")
    pool, created = CategoryJuror.objects.get_or_create(category=category, juror=user)
    user.groups.add(Group.objects.get(name=JURY))
    if created:
        log(call, AuditAction.JUROR_ADDED, actor=actor,
            detail=_("%(email)s en %(cat)s") % {"email": user.email, "cat": category.name})
    return pool


def remove_juror(call, pool_id, *, actor) -> None:
    """Take a person out of a category's pool (their assignments stay until unassigned)."""
    pool = CategoryJuror.objects.filter(pk=pool_id, category__call=call).select_related(
        "juror", "category").first() if pool_id else None
    if pool is None:
        raise ContestError(_("Esa persona ya no está en el jurado de esta convocatoria."),
                           code="missing")
    pool.delete()
    log(call, AuditAction.JUROR_REMOVED, actor=actor,
        detail=_("%(email)s de %(cat)s") % {"email": pool.juror.email, "cat": pool.category.name})


def assign(entry, juror, *, actor=None) -> Assignment:
    """A manual assignment by staff; refused when the juror declared a conflict, is an author
    of the work, or the call is still open."""
    ensure_assignable(_fresh_call(entry))
    if Conflict.objects.filter(entry=entry, juror=juror).exists():
        raise ContestError(_("Esa persona declaró un conflicto de interés con esta obra."), code="conflict")
    if entry.status != EntryStatus.SUBMITTED:
        raise ContestError(_("Solo se asignan participaciones en concurso."), code="status")
    authors = {entry.owner_id} | set(entry.coauthors.values_list("user_id", flat=True))
    if juror.pk in authors or entry.coauthors.filter(email__iexact=juror.email).exists():
        raise ContestError(_("Una persona participante no puede evaluar su propia obra."), code="author")
    assignment, created = Assignment.objects.get_or_create(entry=entry, juror=juror)
    if created:
        log(entry.call, AuditAction.ASSIGNED, actor=actor, entry=entry,
            detail=_("Asignación manual a %(j)s") % {"j": juror.get_full_name() or juror.username})
        jobs.enqueue(jobs.BLIND_COPIES, call_id=entry.call_id)
    return assignment


def unassign(call, assignment_id, *, actor) -> None:
    """Take an entry away from a juror: the assignment and the juror's scores for it go (the
    ranking never counts a review without its assignment), and the audit log says so."""
    assignment = (Assignment.objects.filter(pk=assignment_id, entry__call=call)
                  .select_related("entry", "juror").first() if assignment_id else None)
    if assignment is None:
        raise ContestError(_("Esa asignación ya no existe."), code="missing")
    if call.results_published_at:
        raise ContestError(_("Los resultados ya se publicaron: las asignaciones ya no cambian."),
                           code="published")
    with transaction.atomic():
        reviewed, _n = Review.objects.filter(entry=assignment.entry, juror=assignment.juror).delete()
        assignment.delete()
        detail = _("%(juror)s ya no evalúa %(folio)s") % {
            "juror": assignment.juror.email, "folio": assignment.entry.folio}
        if reviewed:
            detail += " · " + _("su evaluación se eliminó")
        log(call, AuditAction.UNASSIGNED, actor=actor, entry=assignment.entry, detail=detail)


def declare_conflict(entry, juror, reason: str) -> Conflict:
    """Record the conflict, drop the juror's assignment and scores, and find a replacement.
    Only an assigned juror declares; declaring again (a double submit) returns the recorded
    declaration and changes nothing. Side effects: an audit event, a replacement assignment."""
    existing = Conflict.objects.filter(entry=entry, juror=juror).first()
    if existing is not None:
        return existing
    if not Assignment.objects.filter(entry=entry, juror=juror).exists():
        raise ContestError(_("Esta obra no le fue asignada."), code="not_assigned")
    if _fresh_call(entry).results_published_at:
        raise ContestError(_("Los resultados ya se publicaron: las evaluaciones están cerradas."),
                           code="published")
    with transaction.atomic():
        conflict, created = Conflict.objects.get_or_create(entry=entry, juror=juror,
                                                           defaults={"reason": reason})
        if not created:  # a simultaneous request recorded it first
            return conflict
        Assignment.objects.filter(entry=entry, juror=juror).delete()
        Review.objects.filter(entry=entry, juror=juror).delete()
        log(entry.call, AuditAction.CONFLICT, actor=juror, entry=entry, detail=reason)
    call = _fresh_call(entry)
    if not call.results_published_at:
        try:
            assign_balanced(call, entries=Entry.objects.filter(pk=entry.pk))
        except ContestError:
            # The conflict is recorded; if no juror can take the work now (e.g. the call was
            # reopened), staff assign it later from the jury screen.
            logger.info("No replacement juror for entry %s after a conflict", entry.pk)
    return conflict


def save_review(entry, juror, *, scores: dict, comment: str, abstained: bool) -> Review:
    """Save the juror's scores (or abstention). Only an assigned juror, only while scoring is
    open (``scoring_problem``). Side effect: an audit event."""
    if not Assignment.objects.filter(entry=entry, juror=juror).exists():
        raise ContestError(_("Esta obra no le fue asignada."), code="not_assigned")
    problem = scoring_problem(entry)
    if problem:
        raise ContestError(problem, code="closed")
    review, _created = Review.objects.update_or_create(
        entry=entry, juror=juror,
        defaults={"scores": scores, "comment": comment, "abstained": abstained})
    log(entry.call, AuditAction.REVIEWED, actor=juror, entry=entry,
        detail=_("Abstención") if abstained else "")
    return review


def juror_entries(juror):
    """The works in competition assigned to a juror, in the order the jury area lists them
    (call, category, anonymous code): stable from one visit to the next."""
    return (Entry.objects.filter(assignments__juror=juror, status=EntryStatus.SUBMITTED)
            .select_related("call", "category").order_by("call_id", "category_id", "public_id"))


@dataclass
class Progress:
    """A juror's works of one call and category: how many, how many they scored, the first
    still unscored (in the list's order)."""

    call: object
    category: object
    total: int
    scored: int
    next: Entry | None


def scored_by(juror):
    """The pks of the works ``juror`` has scored (a subquery)."""
    return Review.objects.filter(juror=juror).values("entry_id")


def juror_progress(juror) -> list[Progress]:
    """The juror's progress per call and category, in the list's order, counted in the
    database: a query per category, whatever the number of works."""
    from contests.models import Category, ContestCallPage

    entries = juror_entries(juror)
    done = scored_by(juror)
    rows = list(entries.order_by("call_id", "category_id").values("call_id", "category_id")
                .annotate(total=Count("pk", distinct=True),
                          scored=Count("pk", distinct=True, filter=Q(pk__in=done))))
    calls = ContestCallPage.objects.in_bulk({r["call_id"] for r in rows})
    categories = Category.objects.in_bulk({r["category_id"] for r in rows})
    return [Progress(call=calls[r["call_id"]], category=categories[r["category_id"]],
                     total=r["total"], scored=r["scored"],
                     next=None if r["scored"] == r["total"] else entries.filter(
                         call_id=r["call_id"], category_id=r["category_id"])
                     .exclude(pk__in=done).first())
            for r in rows]


@dataclass(frozen=True)
class Place:
    """Where a work sits among a juror's works of the same call and category."""

    position: int
    total: int
    scored: int
    previous: Entry | None
    next: Entry | None
    next_unscored: Entry | None


def place_of(entry, juror) -> Place:
    """The juror's position on ``entry`` («Obra 3 de 12»), its neighbours and the next work
    still without the juror's scores (after this one, wrapping round to the first)."""
    siblings = list(juror_entries(juror).filter(call_id=entry.call_id, category_id=entry.category_id))
    done = set(Review.objects.filter(juror=juror, entry__in=siblings).values_list("entry_id", flat=True))
    index = next(i for i, e in enumerate(siblings) if e.pk == entry.pk)
    after = siblings[index + 1:] + siblings[:index]
    return Place(position=index + 1, total=len(siblings), scored=len(done),
                 previous=siblings[index - 1] if index else None,
                 next=siblings[index + 1] if index + 1 < len(siblings) else None,
                 next_unscored=next((e for e in after if e.pk not in done), None))


def scoring_deadline(entry) -> dt.datetime | None:
    """When the jury stops scoring this entry's call (the end of its last day, Mexico City
    time), or None when the call sets no end to the jury phase."""
    return _fresh_call(entry).jury_ends_at
