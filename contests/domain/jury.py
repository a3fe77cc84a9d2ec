"""The jury: pools per category, balanced assignment, conflicts of interest and reviews."""

from __future__ import annotations

from collections import Counter

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from contests.enums import AuditAction, EntryStatus
from contests.models import Assignment, CategoryJuror, Conflict, Entry, Review, log


def _loads(call) -> Counter:
    return Counter(Assignment.objects.filter(entry__call=call).values_list("juror_id", flat=True))


def assign_balanced(call, *, actor=None, entries=None) -> int:
    """Give every submitted entry ``call.reviews_per_entry`` jurors from its category's pool,
    least-loaded first, skipping conflicted jurors and the entrants themselves. Idempotent:
    running it again only fills gaps. Returns how many assignments were made."""
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
            detail=_("%(n)s asignaciones automáticas (balanceadas)") % {"n": made})
    return made


def assign_whole_pool(category, *, actor=None) -> int:
    """Bulk: every juror of the category reviews every submitted entry of it (except conflicts
    and their own work)."""
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
            detail=_("%(n)s asignaciones en bloque en %(cat)s") % {"n": made, "cat": category.name})
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


def assign(entry, juror, *, actor=None) -> Assignment:
    """A manual assignment by staff; refused when the juror declared a conflict."""
    if Conflict.objects.filter(entry=entry, juror=juror).exists():
        raise ValueError(_("Esa persona declaró un conflicto de interés con esta obra."))
    if entry.status != EntryStatus.SUBMITTED:
        raise ValueError(_("Solo se asignan participaciones en concurso."))
    authors = {entry.owner_id} | set(entry.coauthors.values_list("user_id", flat=True))
    if juror.pk in authors or entry.coauthors.filter(email__iexact=juror.email).exists():
        raise ValueError(_("Una persona participante no puede evaluar su propia obra."))
    assignment, created = Assignment.objects.get_or_create(entry=entry, juror=juror)
    if created:
        log(entry.call, AuditAction.ASSIGNED, actor=actor, entry=entry,
            detail=_("Asignación manual a %(j)s") % {"j": juror.get_full_name() or juror.username})
    return assignment


def declare_conflict(entry, juror, reason: str) -> Conflict:
    """Record the conflict, drop the juror's assignment and scores, and find a replacement."""
    with transaction.atomic():
        conflict, _created = Conflict.objects.get_or_create(entry=entry, juror=juror,
                                                            defaults={"reason": reason})
        Assignment.objects.filter(entry=entry, juror=juror).delete()
        Review.objects.filter(entry=entry, juror=juror).delete()
        log(entry.call, AuditAction.CONFLICT, actor=juror, entry=entry, detail=reason)
    assign_balanced(entry.call, entries=Entry.objects.filter(pk=entry.pk))
    return conflict


def save_review(entry, juror, *, scores: dict, comment: str, abstained: bool) -> Review:
    if not Assignment.objects.filter(entry=entry, juror=juror).exists():
        raise PermissionError
    if entry.call.results_published_at:
        raise ValueError(_("Los resultados ya se publicaron: las evaluaciones están cerradas."))
    review, _created = Review.objects.update_or_create(
        entry=entry, juror=juror,
        defaults={"scores": scores, "comment": comment, "abstained": abstained})
    log(entry.call, AuditAction.REVIEWED, actor=juror, entry=entry,
        detail=_("Abstención") if abstained else "")
    return review


def is_president(user, call) -> bool:
    return bool(user.is_authenticated and call.jury_president_id == user.pk)
