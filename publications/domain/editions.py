"""Booklet editions: which one is current, how two compare, and which booklets a law left behind.

Everything here takes pages and plain values, never a request, so the pages, the admin, the
Celery job and the shell share it. Side effects are listed in each function's docstring.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import logging
import re
from dataclasses import dataclass, field

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.models import Page

from hub.roles import EDITORIAL

from ..models import (
    BookletPage,
    EditionPage,
    Law,
    PendingReformNotice,
    PublicationSettings,
    Reform,
)
from ..models.booklets import Audience, EditionKind, NoticeStatus

log = logging.getLogger(__name__)

#: How far ahead of today an edition may say it is current to.
MAX_CURRENT_TO_AHEAD = dt.timedelta(days=366)
#: A claim older than this without a result was left by a crashed run: it may be retaken.
STALE_CLAIM = dt.timedelta(hours=1)
#: The job the domain asks for by name (``publications.tasks.booklets``).
PENDING_REFORMS_JOB = "publications.notify_pending_reforms"


# --- Current edition and the pages' context -------------------------------------------------

def editions_of(booklet: Page, *, live_only: bool = True):
    """The editions of a booklet, newest first, with what the pages show (constant queries)."""
    qs = EditionPage.objects.child_of(booklet)
    if live_only:  # what readers see: a private edition is not listed nor current
        qs = qs.live().public()
    return (qs.select_related("trigger_reform__law", "trigger_law")
            .prefetch_related("laws").order_by("-edition_number", "-pk"))


def current_edition(booklet: Page) -> EditionPage | None:
    """The live edition with the highest number: what the booklet's stable URL shows."""
    return (EditionPage.objects.child_of(booklet).live().public()
            .order_by("-edition_number", "-pk").first())


def new_edition_initial(booklet: Page) -> dict:
    """What the form of a new edition of ``booklet`` starts with: its current edition's
    sections (their keys too, so that the comparison matches them), laws and licence, as the
    next number, replacing it, prompted by the booklet's pending reform or replacing law (the
    new law is added to its laws). The summary of changes and the date are left to write.
    Empty for a booklet without a live edition."""
    current = current_edition(booklet)
    if current is None:
        return {}
    number = (EditionPage.objects.child_of(booklet).order_by("-edition_number")
              .values_list("edition_number", flat=True).first() or 0) + 1
    laws = list(current.laws.values_list("pk", flat=True))
    initial = {"title": _("%(booklet)s (edición %(number)s)") % {"booklet": booklet.title,
                                                                 "number": number},
               "slug": f"edicion-{number}", "edition_number": number,
               "kind": EditionKind.NEW, "replaces": current.pk, "licence": current.licence,
               "body": current.body}
    pending = next((item for item in pending_reforms() if item.booklet.pk == booklet.pk), None)
    if pending is not None and pending.reform is not None:
        initial["trigger_reform"] = pending.reform.pk
    elif pending is not None:
        initial["trigger_law"] = pending.new_law.pk
        laws = [pk for pk in laws if pk != pending.law.pk] + [pending.new_law.pk]
    initial["laws"] = laws
    return initial


def edition_meta(booklet, edition: EditionPage, files, request=None):
    """Citation metadata of an edition (Highwire, Dublin Core, schema.org ``Book``): the
    publisher as its corporate author, the edition number, its PDF, the laws as keywords."""
    from wagtail.models import Site

    from ..citation import CitationMeta, Creator
    from ..models import PublicationSettings
    from ..models.files import FileFormat

    site = Site.find_for_request(request) if request is not None else None
    publisher = publisher_of(site) if site else PublicationSettings().publisher
    pdf = next((f for f in files if f.format == FileFormat.PDF and f.file), None)
    pdf_url = pdf.download_path(edition.slug) if pdf else ""
    if pdf_url and request is not None:
        pdf_url = request.build_absolute_uri(pdf_url)
    published = (timezone.localdate(edition.first_published_at) if edition.first_published_at
                 else edition.current_to)
    return CitationMeta(
        title=booklet.title, kind="book", schema_type="Book", url=edition.get_full_url(request) or "",
        date=published, authors=[Creator(family=publisher, organization=True)], publisher=publisher,
        licence=edition.licence, pdf_url=pdf_url, abstract=edition.change_summary,
        keywords=[law.short_name for law in edition.laws.all()],
        edition=str(edition.edition_number), language="es")


PUBLISHER_KEY = "publications:publisher:{}"


def publisher_of(site) -> str:
    """The publisher named in the site's publication settings, kept in the cache (no SQL on an
    edition page; forgotten when the settings are saved, ``signals/booklets.py``)."""
    from django.core.cache import cache

    from ..models import PublicationSettings

    key = PUBLISHER_KEY.format(site.pk)
    publisher = cache.get(key)
    if publisher is None:
        publisher = PublicationSettings.for_site(site).publisher
        cache.set(key, publisher, 3600)
    return publisher


def reading_context(booklet, edition: EditionPage | None, request=None) -> dict:
    """The files a reader may download and the edition's citation tags (two queries)."""
    if edition is None or not edition.pk:
        return {"files": [], "citation": None}
    from .files import ready_files

    files = ready_files(edition.pk)
    return {"files": files, "citation": edition_meta(booklet, edition, files, request)}


def booklet_context(booklet: BookletPage, request=None) -> dict:
    editions = list(editions_of(booklet))
    current = editions[0] if editions else None
    return {"edition": current, "current": current, "earlier_editions": editions[1:],
            "editions": editions, "is_current": True,
            **reading_context(booklet, current, request)}


def edition_context(edition: EditionPage, *, preview: bool = False, request=None) -> dict:
    booklet = edition.get_parent()
    # Routing already read them to find this edition (``BookletPage.route``), unless previewing.
    editions = getattr(edition, "listed_editions", None)
    if preview or editions is None:
        editions = list(editions_of(booklet))
    current = editions[0] if editions else None
    superseded = bool(current and current.pk != edition.pk
                      and current.edition_number > edition.edition_number)
    # The same edition as listed (laws and triggers already fetched), unless previewing edits.
    shown = None if preview else next((e for e in editions if e.pk == edition.pk), None)
    if shown is None:
        shown = edition
    laws = list(shown.laws.all())
    booklet = booklet.specific_deferred
    return {"booklet": booklet, "edition": shown, "current": current,
            "editions": editions, "superseded": superseded, "is_current": not superseded,
            "edition_laws": laws, **reading_context(booklet, shown, request)}


def booklet_index_context(index: Page, audience: str) -> dict:
    """Live booklets by series, optionally for one audience, each with its current date."""
    booklets = (BookletPage.objects.child_of(index).live().public().select_related("series")
                .order_by("series__name", "number", "title"))
    audience_error = ""
    if audience and audience not in Audience.values:
        audience_error = _("El público «%(value)s» no existe; se muestran todos los cuadernillos."
                           ) % {"value": audience[:40]}
        audience = ""
    if audience:
        booklets = booklets.filter(audience=audience)
    booklets = list(booklets)
    latest: dict[str, dict] = {}
    rows = (EditionPage.objects.descendant_of(index).live().public()
            .values("path", "edition_number", "current_to").order_by("edition_number"))
    for row in rows:
        latest[row["path"][:-Page.steplen]] = row
    by_series: dict[int, dict] = {}
    for booklet in booklets:
        booklet.latest_edition = latest.get(booklet.path)
        group = by_series.setdefault(booklet.series_id, {"series": booklet.series, "booklets": []})
        group["booklets"].append(booklet)
    return {"series_groups": list(by_series.values()), "audiences": Audience.choices,
            "audience": audience, "audience_error": audience_error}


# --- Validation of an edition (the admin form calls this) -----------------------------------

def edition_problems(booklet: Page | None, edition: EditionPage, data: dict) -> list[tuple[str, str]]:
    """What is wrong with an edition about to be saved, as (field, Spanish message) pairs."""
    problems: list[tuple[str, str]] = []
    number = data.get("edition_number")
    current_to = data.get("current_to")
    laws = list(data.get("laws") or [])
    replaces = data.get("replaces")
    if booklet is not None and number is not None:
        taken = EditionPage.objects.child_of(booklet).filter(edition_number=number)
        if edition.pk:
            taken = taken.exclude(pk=edition.pk)
        if taken.exists():
            problems.append(("edition_number", _(
                "Este cuadernillo ya tiene una edición número %(number)s. Use otro número."
            ) % {"number": number}))
    if current_to:
        limit = timezone.localdate() + MAX_CURRENT_TO_AHEAD
        if current_to > limit:
            problems.append(("current_to", _(
                "La fecha «actualizado a» no puede ser posterior al %(limit)s: indique hasta qué "
                "fecha está al día el contenido.") % {"limit": limit.strftime("%d/%m/%Y")}))
        for law in laws:
            if current_to < law.dof_date:
                problems.append(("current_to", _(
                    "La edición no puede estar actualizada al %(date)s si se basa en %(law)s, "
                    "publicada en el DOF el %(dof)s.") % {
                        "date": current_to.strftime("%d/%m/%Y"), "law": law.short_name,
                        "dof": law.dof_date.strftime("%d/%m/%Y")}))
    if replaces is not None:
        replaced = replaces.specific if isinstance(replaces, Page) else replaces
        if edition.pk and replaced.pk == edition.pk:
            problems.append(("replaces", _("Una edición no puede sustituirse a sí misma.")))
        elif not isinstance(replaced, EditionPage) or booklet is None or \
                not replaced.path.startswith(booklet.path) or replaced.depth != booklet.depth + 1:
            problems.append(("replaces", _(
                "La edición que sustituye debe ser de este mismo cuadernillo.")))
        elif number is not None and replaced.edition_number >= number:
            problems.append(("replaces", _(
                "Solo puede sustituir a una edición anterior (con número menor que %(number)s)."
            ) % {"number": number}))
    trigger_law = data.get("trigger_law")
    if trigger_law is not None and laws and trigger_law not in laws:
        problems.append(("trigger_law", _(
            "La ley nueva que motivó la edición debe estar entre las leyes en que se basa.")))
    trigger_reform = data.get("trigger_reform")
    if trigger_reform is not None and laws and trigger_reform.law not in laws:
        problems.append(("trigger_reform", _(
            "La reforma que motivó la edición debe ser de una de las leyes en que se basa.")))
    return problems


# --- Comparison -----------------------------------------------------------------------------

_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|div)>|<br\s*/?>", re.IGNORECASE)


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(strip_tags(fragment)).split())


def _paragraphs_of_richtext(source: str) -> list[str]:
    return [text for part in _BLOCK_END.split(source or "") if (text := _plain(part))]


def section_paragraphs(content) -> list[str]:
    """The readable text of a section's content, one string per paragraph, item or row."""
    paragraphs: list[str] = []
    for child in content:
        kind, value = child.block_type, child.value
        if kind == "paragraph":
            paragraphs += _paragraphs_of_richtext(getattr(value, "source", str(value)))
        elif kind == "figure":
            text = " ".join(t for t in (value.get("caption"), value.get("alt_text"),
                                        value.get("source")) if t)
            if text.strip():
                paragraphs.append(_plain(text))
        elif kind == "table":
            for row in (value or {}).get("data") or []:
                text = " | ".join(_plain(str(cell)) for cell in row if cell)
                if text:
                    paragraphs.append(text)
        elif kind == "quote":
            text = value.get("text", "")
            if value.get("attribution"):
                text += f" — {value['attribution']}"
            if text.strip():
                paragraphs.append(_plain(text))
    return paragraphs


@dataclass
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass
class SectionChange:
    key: str
    status: str  # "added", "removed", "changed", "unchanged"
    old_heading: str = ""
    new_heading: str = ""
    heading: list[Segment] = field(default_factory=list)
    paragraphs: list[list[Segment]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.new_heading or self.old_heading


def word_diff(old: str, new: str) -> list[Segment]:
    """Word-level differences between two texts, as equal/insert/delete segments."""
    a, b = old.split(), new.split()
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", " ".join(a[i1:i2])))
            continue
        if op in ("replace", "delete"):
            segments.append(Segment("delete", " ".join(a[i1:i2])))
        if op in ("replace", "insert"):
            segments.append(Segment("insert", " ".join(b[j1:j2])))
    return segments


def paragraph_diff(old: list[str], new: list[str]) -> list[list[Segment]]:
    """Paragraphs matched first, then words inside the paragraphs that changed."""
    result: list[list[Segment]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result += [[Segment("equal", text)] for text in old[i1:i2]]
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for index in range(max(len(olds), len(news))):
            before = olds[index] if index < len(olds) else None
            after = news[index] if index < len(news) else None
            if before is None:
                result.append([Segment("insert", after)])
            elif after is None:
                result.append([Segment("delete", before)])
            else:
                result.append(word_diff(before, after))
    return result


def _sections(edition: EditionPage) -> list[tuple[str, str, list[str]]]:
    return [(child.value["key"], child.value["heading"], section_paragraphs(child.value["content"]))
            for child in edition.body if child.block_type == "section"]


def compare(old: EditionPage, new: EditionPage) -> list[SectionChange]:
    """Section-by-section changes from ``old`` to ``new``, matched on the stable keys.

    Sections come in the new edition's order; a removed section stands after the section that
    preceded it in the old edition.
    """
    old_sections, new_sections = _sections(old), _sections(new)
    old_by_key = {key: (heading, paras) for key, heading, paras in old_sections}
    new_keys = {key: position for position, (key, _h, _p) in enumerate(new_sections)}
    placed: list[tuple[float, SectionChange]] = []
    for position, (key, heading, paragraphs) in enumerate(new_sections):
        if key not in old_by_key:
            change = SectionChange(key, "added", new_heading=heading,
                                   paragraphs=[[Segment("insert", p)] for p in paragraphs])
        else:
            old_heading, old_paragraphs = old_by_key[key]
            same = old_heading == heading and old_paragraphs == paragraphs
            change = SectionChange(
                key, "unchanged" if same else "changed", old_heading=old_heading,
                new_heading=heading,
                heading=[] if old_heading == heading else word_diff(old_heading, heading),
                paragraphs=paragraph_diff(old_paragraphs, paragraphs))
        placed.append((float(position), change))
    previous = -1.0
    offset = 0.0
    for key, heading, paragraphs in old_sections:
        if key in new_keys:
            previous, offset = float(new_keys[key]), 0.0
            continue
        offset += 0.001
        placed.append((previous + offset, SectionChange(
            key, "removed", old_heading=heading,
            paragraphs=[[Segment("delete", p)] for p in paragraphs])))
    placed.sort(key=lambda item: item[0])
    return [change for _position, change in placed]


def live_editions_by_number(booklet: Page, numbers: list[int]) -> dict[int, EditionPage]:
    found = (EditionPage.objects.child_of(booklet).live().public()
             .filter(edition_number__in=numbers)
             .order_by("edition_number", "-pk"))
    result: dict[int, EditionPage] = {}
    for edition in found:
        result.setdefault(edition.edition_number, edition)
    return result


# --- "Reforma pendiente" ---------------------------------------------------------------------

@dataclass
class PendingItem:
    booklet: BookletPage
    edition: EditionPage
    law: Law
    new_law: Law | None = None
    reform: Reform | None = None

    @property
    def since(self) -> dt.date:
        return (self.reform or self.new_law).dof_date

    @property
    def trigger(self):
        return self.reform or self.new_law

    @property
    def add_url(self) -> str:
        return add_edition_url(self.booklet)


def pending_reforms() -> list[PendingItem]:
    """Booklets whose current live edition rests on a law replaced or reformed since.

    A booklet is pending while its current edition rests on a law that a newer law (DOF date
    after the edition's ``current_to``) replaced, or that a reform dated after ``current_to``
    changed, unless the edition already rests on the replacing law. It leaves the queue as
    soon as a newer edition, current to a later date, is published. Constant queries.
    """
    editions = (EditionPage.objects.live().only("pk", "path", "depth", "title", "edition_number",
                                                 "current_to")
                .prefetch_related("laws__replaced_by", "laws__reforms"))
    current: dict[str, EditionPage] = {}
    for edition in editions:
        parent = edition.path[:-Page.steplen]
        best = current.get(parent)
        if best is None or (edition.edition_number, edition.pk) > (best.edition_number, best.pk):
            current[parent] = edition
    if not current:
        return []
    booklets = {b.path: b for b in BookletPage.objects.filter(path__in=list(current))
                .only("pk", "path", "depth", "title", "url_path")}
    items: list[PendingItem] = []
    for parent, edition in current.items():
        booklet = booklets.get(parent)
        if booklet is None:
            continue
        own_laws = {law.pk for law in edition.laws.all()}
        for law in edition.laws.all():
            for new_law in law.replaced_by.all():
                if new_law.dof_date > edition.current_to and new_law.pk not in own_laws:
                    items.append(PendingItem(booklet, edition, law, new_law=new_law))
            for reform in law.reforms.all():
                if reform.dof_date > edition.current_to:
                    reform.law = law
                    items.append(PendingItem(booklet, edition, law, reform=reform))
    items.sort(key=lambda item: (item.since, item.booklet.title), reverse=True)
    return items


def committee_recipients() -> list[str]:
    users = get_user_model().objects.filter(groups__name=EDITORIAL, is_active=True)
    recipients = {email for email in users.values_list("email", flat=True) if email}
    committee = PublicationSettings.objects.exclude(committee_email="").values_list(
        "committee_email", flat=True)
    recipients.update(committee)
    return sorted(recipients)


def _claim(item: PendingItem) -> PendingReformNotice | None:
    """Create the notice row (the claim); None when another run already holds it."""
    try:
        with transaction.atomic():
            return PendingReformNotice.objects.create(
                booklet=item.booklet, edition=item.edition, law=item.law, new_law=item.new_law,
                reform=item.reform)
    except IntegrityError:
        # A send that failed, or a claim a crashed run left behind: take it back for this
        # run with a conditional update, so only one run wins it.
        lookup = ({"reform": item.reform} if item.reform else {"new_law": item.new_law})
        row = PendingReformNotice.objects.filter(booklet=item.booklet, **lookup).first()
        now = timezone.now()
        retake = Q(status=NoticeStatus.FAILED) | Q(status=NoticeStatus.CLAIMED,
                                                   claimed_at__lt=now - STALE_CLAIM)
        if row and PendingReformNotice.objects.filter(retake, pk=row.pk).update(
                status=NoticeStatus.CLAIMED, claimed_at=now):
            return row
        return None


def notify_pending_reforms() -> int:
    """E-mail the committee about booklets that became pending. Returns the booklets notified.

    Side effects: one ``PendingReformNotice`` per booklet and trigger, created before sending
    (the claim: a second run, or a concurrent one, finds it and sends nothing); one e-mail
    (text + HTML, Spanish) to the committee listing what this run claimed; the rows marked
    sent, or failed (and retried by the next run) when the mail server refuses.
    """
    claimed = [(item, row) for item in pending_reforms() if (row := _claim(item))]
    if not claimed:
        return 0
    ids = [row.pk for _item, row in claimed]
    recipients = committee_recipients()
    if not recipients:
        log.warning("Pending booklet editions with nobody in the committee to tell")
        PendingReformNotice.objects.filter(pk__in=ids).update(status=NoticeStatus.SENT,
                                                              sent_at=timezone.now())
        return len(claimed)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    items = [item for item, _row in claimed]
    with translation.override(settings.LANGUAGE_CODE):
        context = {"items": items, "admin_base": base,
                   "dashboard_url": f"{base}/admin/"}
        subject = (_("Reforma pendiente: %(title)s") % {"title": items[0].booklet.title}
                   if len(items) == 1 else
                   _("Reforma pendiente: %(count)s cuadernillos por actualizar")
                   % {"count": len(items)})
        text = render_to_string("publications/email/pending_reform.txt", context)
        body_html = render_to_string("publications/email/pending_reform.html", context)
    message = EmailMultiAlternatives(subject, text, None, recipients)
    message.attach_alternative(body_html, "text/html")
    try:
        message.send()
    except OSError:
        log.exception("Pending-reform e-mail not sent; the next run retries")
        PendingReformNotice.objects.filter(pk__in=ids).update(status=NoticeStatus.FAILED)
        return 0
    PendingReformNotice.objects.filter(pk__in=ids).update(status=NoticeStatus.SENT,
                                                          sent_at=timezone.now())
    return len(claimed)


def request_pending_check() -> None:
    """Ask for the pending-reform job once the current transaction commits."""
    transaction.on_commit(lambda: current_app.tasks[PENDING_REFORMS_JOB].delay())


def add_edition_url(booklet: Page) -> str:
    """The admin page that adds an edition under ``booklet`` (a path, without host)."""
    return reverse("wagtailadmin_pages:add", args=("publications", "editionpage", booklet.pk))


__all__ = [
    "MAX_CURRENT_TO_AHEAD", "PENDING_REFORMS_JOB", "PendingItem", "SectionChange", "Segment",
    "add_edition_url", "booklet_context", "booklet_index_context", "committee_recipients",
    "compare", "current_edition", "edition_context", "edition_problems", "editions_of",
    "live_editions_by_number", "new_edition_initial", "notify_pending_reforms",
    "paragraph_diff", "pending_reforms", "request_pending_check", "section_paragraphs",
    "word_diff",
]
