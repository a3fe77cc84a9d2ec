"""Print-ready PDF and EPUB editions of articles, issues and booklet editions.

A published file never changes. ``make_files(page)`` (run by the job ``publications.make_files``
after a page is published) renders the page's print document, fingerprints it (SHA-256 of the
document, ``source_sha256``) and then:

* no file yet → version 1;
* the newest version has the same fingerprint → nothing (a republish without changes);
* the newest version is READY with another fingerprint → a new version, labelled
  "v2 — corrección, 10/01/2027" (the committee can edit the label and the correction notice in
  the admin; the bytes never change), and the earlier versions stay downloadable;
* the newest version never became READY (pending or failed) → that same row is made again
  (a version nobody could download may still change).

Side effects: files written to the private storage; ``PublicationFile`` rows created or
updated; for an issue, the articles' ``first_page``/``last_page`` written back from where
their titles landed in the PDF; one e-mail to the committee when a file fails for good.
WeasyPrint is imported lazily: without Pango the product still starts, and the file is marked
FAILED with the message ``PANGO_MISSING``.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote, unquote

import rules
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from wagtail.models import Page, Revision

from hub import pagecache

from ..models.booklets import EditionPage
from ..models.files import FileFormat, FileStatus, PublicationFile
from ..models.magazine import ArticlePage, IssuePage

log = logging.getLogger(__name__)

PANGO_MISSING = gettext_lazy(
    "Falta Pango: instale libpango-1.0-0 (apt-get install libpango-1.0-0 libpangoft2-1.0-0)")
# One try plus three retries (the task's ``max_retries``); then the committee is told.
MAX_ATTEMPTS = 4
# The document's own address: relative links resolve under it and nothing is ever fetched
# from it (``StorageFetcher`` maps it to the storage and refuses any other address).
BASE_URL = "http://enlace.invalid/"
MEDIA_SCHEME = "enlace-media:"

#: Sent by the download view for each file served: ``sender=PublicationFile``,
#: ``file`` (the row) and ``page`` (the specific page). Reading statistics connect to it.
file_downloaded = Signal()


class FileJobError(Exception):
    """A file could not be made; ``message`` is safe to show (Spanish, no paths, no trace)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class PangoMissing(FileJobError):
    def __init__(self):
        super().__init__(str(PANGO_MISSING), permanent=True)


def load_weasyprint():
    """The weasyprint module; ``PangoMissing`` if its system libraries cannot be loaded."""
    try:
        import weasyprint
    except OSError as exc:  # cffi's dlopen: "cannot load library 'pango-1.0-0'"
        log.error("WeasyPrint cannot load its libraries: %s", exc)
        raise PangoMissing() from exc
    return weasyprint


def pango_problem() -> str | None:
    """The Spanish message to show when PDF making cannot work here, else None."""
    try:
        load_weasyprint()
    except PangoMissing as exc:
        return exc.message
    return None


# --- What a page gets -----------------------------------------------------------------

def kind_of(page) -> str | None:
    page = page.specific
    if isinstance(page, ArticlePage):
        return "article"
    if isinstance(page, IssuePage):
        return "issue"
    if isinstance(page, EditionPage):
        return "edition"
    return None


def formats_for(page) -> list[str]:
    kind = kind_of(page)
    if kind == "edition":
        return [FileFormat.PDF, FileFormat.EPUB]
    return [FileFormat.PDF] if kind else []


# --- Rendering ------------------------------------------------------------------------

@dataclass
class PdfResult:
    data: bytes
    page_count: int
    anchors: dict[str, int] = field(default_factory=dict)  # anchor → 1-based page number


class StorageFetcher:
    """WeasyPrint's url_fetcher: media from storage, never the network, nothing else."""

    def __init__(self):
        self.weasyprint = load_weasyprint()
        from weasyprint.urls import URLFetcher

        class _Fetcher(URLFetcher):
            def fetch(inner, url, headers=None):
                return self.fetch(url)

        self.fetcher = _Fetcher(fail_on_errors=True)

    @staticmethod
    def storage_name(url: str) -> str | None:
        if url.startswith(MEDIA_SCHEME):
            return unquote(url.removeprefix(MEDIA_SCHEME))
        media = BASE_URL.rstrip("/") + settings.MEDIA_URL
        if url.startswith(media):
            return unquote(url.removeprefix(media).split("?")[0])
        return None

    def fetch(self, url: str):
        from wagtail.images.models import get_rendition_storage
        from weasyprint.urls import URLFetcherResponse

        name = self.storage_name(url)
        if not name or ".." in name.split("/"):
            raise FileJobError(_("El documento pide un recurso externo, que no se descarga: "
                                 "«%(url)s».") % {"url": url[:120]}, permanent=True)
        try:
            with get_rendition_storage().open(name, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise FileJobError(_("No se pudo leer la imagen «%(name)s» del almacenamiento.")
                               % {"name": name}) from exc
        return URLFetcherResponse(url, data)


def media_url(rendition) -> str:
    """How print templates point at an image: a storage name, read by ``StorageFetcher``."""
    return MEDIA_SCHEME + quote(rendition.file.name)


def render_pdf(html: str) -> PdfResult:
    """Lay out ``html`` with WeasyPrint; the pages where each ``id`` landed are recorded."""
    fetcher = StorageFetcher()
    from weasyprint.urls import FatalURLFetchingError

    try:
        document = fetcher.weasyprint.HTML(string=html, base_url=BASE_URL,
                                           url_fetcher=fetcher.fetcher).render()
        anchors: dict[str, int] = {}
        for number, page in enumerate(document.pages, start=1):
            for name in page.anchors:
                anchors.setdefault(name, number)
        data = document.write_pdf()
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        if isinstance(cause, FileJobError):
            raise cause from None
        raise FileJobError(_("No se pudo leer un recurso del documento.")) from exc
    return PdfResult(data=data, page_count=len(document.pages), anchors=anchors)


def _issue_articles(issue: IssuePage) -> list[ArticlePage]:
    # Live and public: an article made private stays out of the issue's PDF and EPUB.
    entries = (issue.toc_entries.filter(article__in=ArticlePage.objects.live().public()
                                        .values("pk"))
               .select_related("article__section")
               .prefetch_related("article__article_authors__author").order_by("sort_order"))
    return [entry.article for entry in entries]


def _journal(issue: IssuePage) -> str:
    parent = issue.get_parent()
    return parent.title if parent else "México Transparente"


def running_head(issue: IssuePage) -> str:
    return _("%(journal)s · Vol. %(volume)s, núm. %(number)s") % {
        "journal": _journal(issue), "volume": issue.volume, "number": issue.number}


def print_html(page) -> str:
    """The print document (HTML + print CSS) of an article, an issue or an edition."""
    page = page.specific
    kind = kind_of(page)
    context = {"page": page, "kind": kind}
    if kind == "article":
        issue = page.get_parent().specific
        context.update(issue=issue, head=running_head(issue),
                       authors=[link.author for link in page.article_authors.all()])
    elif kind == "issue":
        context.update(issue=page, head=running_head(page), articles=_issue_articles(page),
                       journal=_journal(page))
    elif kind == "edition":
        context.update(booklet=page.get_parent().specific, laws=list(page.laws.all()))
    else:
        raise FileJobError(_("Esta página no tiene archivos para descargar."), permanent=True)
    with override("es"):
        return render_to_string(f"publications/pdf/{kind}.html", context)


def epub_chapters(edition: EditionPage) -> list[tuple[str, str, str]]:
    """(file name, title, XHTML body) of each chapter of an edition's EPUB."""
    with override("es"):
        chapters = [("presentacion.xhtml", _("Presentación"), render_to_string(
            "publications/epub/intro.html",
            {"page": edition, "booklet": edition.get_parent().specific,
             "laws": list(edition.laws.all())}))]
        for position, block in enumerate(edition.body, start=1):
            key = slugify(block.value.get("key") or "") or f"seccion-{position}"
            chapters.append((f"{position:02d}-{key}.xhtml", block.value.get("heading") or key,
                             render_to_string("publications/epub/section.html",
                                              {"section": block.value})))
    return chapters


def render_epub(edition: EditionPage, chapters) -> bytes:
    from ebooklib import epub

    booklet = edition.get_parent().specific
    book = epub.EpubBook()
    book.set_identifier(f"urn:uuid:{edition.translation_key}")
    book.set_title(f"{booklet.title} — {edition.title}")
    book.set_language("es")
    book.add_author(_publisher(edition))
    items = []
    for file_name, title, body in chapters:
        item = epub.EpubHtml(title=title, file_name=file_name, lang="es")
        item.content = body
        book.add_item(item)
        items.append(item)
    book.toc = items
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *items]
    buffer = io.BytesIO()
    epub.write_epub(buffer, book, {})
    return buffer.getvalue()


def _publisher(page) -> str:
    from ..models.settings import PublicationSettings

    site = page.get_site()
    if site is None:
        return "Sistema Nacional de Transparencia"
    return PublicationSettings.for_site(site).publisher


# --- Versions -------------------------------------------------------------------------

def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def default_label(page, version: int) -> str:
    date = timezone.localdate().strftime("%d/%m/%Y")
    if version == 1:
        return _("v1 — %(date)s") % {"date": date}
    page = page.specific
    what = page.get_kind_display().lower() if isinstance(page, EditionPage) else _("corrección")
    return _("v%(version)s — %(what)s, %(date)s") % {"version": version, "what": what,
                                                      "date": date}


def _claim_version(page, fmt: str, fingerprint: str) -> PublicationFile | None:
    """The row to make for this fingerprint, or None when the newest version already has it."""
    with transaction.atomic():
        latest = (PublicationFile.objects.select_for_update()
                  .filter(page=page, format=fmt).order_by("-version").first())
        if latest is not None and latest.source_sha256 == fingerprint:
            if latest.status != FileStatus.READY:
                return latest
            _covers_live_revision(latest, page)
            return None
        newest_ready = (PublicationFile.objects.filter(page=page, format=fmt,
                                                       status=FileStatus.READY)
                        .order_by("-version").first())
        if newest_ready is not None and newest_ready.source_sha256 == fingerprint:
            # A failed attempt after it turned out to change nothing: drop it.
            (PublicationFile.objects.filter(page=page, format=fmt,
                                            version__gt=newest_ready.version)
             .exclude(status=FileStatus.READY).delete())
            _covers_live_revision(newest_ready, page)
            return None
        if latest is not None and latest.status != FileStatus.READY:
            # Never downloadable: it may still change (content edited after a failure).
            latest.source_sha256 = fingerprint
            latest.revision = page.live_revision
            latest.save(update_fields=["source_sha256", "revision"])
            return latest
        version = latest.version + 1 if latest else 1
        try:
            with transaction.atomic():
                return PublicationFile.objects.create(
                    page=page, format=fmt, version=version, source_sha256=fingerprint,
                    label=default_label(page, version), revision=page.live_revision)
        except IntegrityError:  # another worker claimed this version first
            return None


def _covers_live_revision(row: PublicationFile, page) -> None:
    """A republish that changed nothing: the newest version is also the live revision's file
    (its bytes stay as they are). ``repair_lost_jobs`` then knows the job for it has run."""
    if row.revision_id != page.live_revision_id:
        PublicationFile.objects.filter(pk=row.pk).update(revision=page.live_revision_id)
        row.revision_id = page.live_revision_id


def make_files(page) -> list[PublicationFile]:
    """Make every missing file of a live page; see the module docstring for the rules.

    Raises ``FileJobError`` (after recording it on the row) when a file could not be made;
    ``.permanent`` tells the job not to retry. Returns the rows made READY by this call.
    """
    page = page.specific
    if not page.live or kind_of(page) is None:
        return []
    made, failure = [], None
    for fmt in formats_for(page):
        row = None
        try:
            if fmt == FileFormat.PDF:
                html = print_html(page)
                row = _claim_version(page, fmt, _sha256(html.encode()))
                if row is None:
                    continue
                _mark_attempt(row)
                result = render_pdf(html)
                data, page_count, anchors = result.data, result.page_count, result.anchors
            else:
                chapters = epub_chapters(page)
                fingerprint = _sha256("\x00".join(
                    part for chapter in chapters for part in chapter).encode())
                row = _claim_version(page, fmt, fingerprint)
                if row is None:
                    continue
                _mark_attempt(row)
                data, page_count, anchors = render_epub(page, chapters), None, {}
            if _store(row, page, data, page_count):
                made.append(row)
                if kind_of(page) == "issue" and fmt == FileFormat.PDF:
                    flow_back_page_ranges(page, anchors)
        except FileJobError as exc:
            failure = failure or exc
            _record_failure(row, page, fmt, exc.message, permanent=exc.permanent)
        except Exception as exc:  # a template or layout error: logged in full, shown short
            log.exception("Could not make the %s of page %s", fmt, page.pk)
            message = _("No se pudo componer el archivo (%(error)s). El equipo técnico tiene "
                        "el detalle en el registro.") % {"error": type(exc).__name__}
            failure = failure or FileJobError(message)
            _record_failure(row, page, fmt, message, permanent=False)
    if failure is not None:
        raise failure
    return made


def _mark_attempt(row: PublicationFile) -> None:
    PublicationFile.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1,
                                                     attempted_at=timezone.now())
    row.refresh_from_db(fields=["attempts", "attempted_at"])


def _store(row: PublicationFile, page, data: bytes, page_count: int | None) -> bool:
    """Write the bytes and flip the row to READY, once; False if it was READY already."""
    name = f"{slugify(page.slug)[:60] or 'archivo'}-v{row.version}.{row.format}"
    stored = row.file.storage.save(row.file.field.generate_filename(row, name),
                                   ContentFile(data))
    with transaction.atomic():
        current = PublicationFile.objects.select_for_update().get(pk=row.pk)
        if current.status == FileStatus.READY:  # a concurrent run finished it: keep that one
            row.file.storage.delete(stored)
            return False
        current.file.name = stored
        current.sha256 = _sha256(data)
        current.size = len(data)
        current.page_count = page_count
        current.status = FileStatus.READY
        current.error = ""
        current.ready_at = timezone.now()
        current.save()
    row.refresh_from_db()
    return True


def _record_failure(row, page, fmt: str, message: str, *, permanent: bool) -> None:
    if row is None:  # failed before a version was claimed (e.g. the template itself)
        latest = PublicationFile.objects.filter(page=page, format=fmt).order_by("-version").first()
        if latest is not None and latest.status != FileStatus.READY:
            row = latest
            _mark_attempt(row)
        else:
            version = latest.version + 1 if latest else 1
            row, created = PublicationFile.objects.get_or_create(
                page=page, format=fmt, version=version,
                defaults={"label": default_label(page, version), "attempts": 1,
                          "revision": page.live_revision})
            if not created:
                _mark_attempt(row)
    with transaction.atomic():
        current = PublicationFile.objects.select_for_update().get(pk=row.pk)
        if current.status == FileStatus.READY:
            return
        current.status = FileStatus.FAILED
        current.error = message
        tell = (permanent or current.attempts >= MAX_ATTEMPTS) \
            and current.committee_notified_at is None
        if tell:
            current.committee_notified_at = timezone.now()
        current.save(update_fields=["status", "error", "committee_notified_at"])
    if tell:
        transaction.on_commit(lambda: notify_committee(current), robust=True)


def committee_recipients(page) -> list[str]:
    from hub.roles import EDITORIAL

    from ..models.settings import PublicationSettings

    emails = set(get_user_model().objects.filter(groups__name=EDITORIAL, is_active=True)
                 .exclude(email="").values_list("email", flat=True))
    site = page.get_site()
    if site is not None:
        address = PublicationSettings.for_site(site).committee_email
        if address:
            emails.add(address)
    return sorted(emails)


def notify_committee(file: PublicationFile) -> int:
    """E-mail the committee that a file failed (text + HTML, Spanish). Returns mails sent."""
    page = file.page.specific
    recipients = committee_recipients(page)
    if not recipients:
        log.warning("File %s failed and no committee address is known", file.pk)
        return 0
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/archivos-publicados/"
    context = {"file": file, "page": page, "admin_url": admin_url}
    with override("es"):
        subject = _("[Publicaciones] No se pudo generar el %(format)s de «%(title)s»") % {
            "format": file.get_format_display(), "title": page.title}
        text = render_to_string("publications/email/file_failed.txt", context)
        html = render_to_string("publications/email/file_failed.html", context)
    message = EmailMultiAlternatives(subject, text, None, recipients)
    message.attach_alternative(html, "text/html")
    return message.send()


def flow_back_page_ranges(issue: IssuePage, anchors: dict[str, int]) -> list[ArticlePage]:
    """Write each article's first/last page in the issue PDF into its metadata.

    The pages come from WeasyPrint's layout (``page.anchors`` of the title and of the end
    marker), not from a guess. Written with ``UPDATE`` on the page row and into the JSON of
    its live and latest revisions, so Wagtail's editor shows them and the next publish keeps
    them — and no new revision is published, so no ``page_published`` (and no job) follows.
    """
    changed = []
    for article in _issue_articles(issue):
        first = anchors.get(f"articulo-{article.pk}")
        last = anchors.get(f"articulo-{article.pk}-fin", first)
        if first is None:
            continue
        if (article.first_page, article.last_page) == (first, last):
            continue
        with transaction.atomic():
            ArticlePage.objects.filter(pk=article.pk).update(first_page=first, last_page=last)
            revision_ids = {article.live_revision_id, article.latest_revision_id} - {None}
            for revision in Revision.objects.select_for_update().filter(pk__in=revision_ids):
                revision.content["first_page"] = first
                revision.content["last_page"] = last
                Revision.objects.filter(pk=revision.pk).update(content=revision.content)
        article.first_page, article.last_page = first, last
        changed.append(article)
    if changed:
        pagecache.purge()  # the TOC and the articles show the pages; UPDATE sends no signal
    return changed


# --- Reading and the committee's actions ----------------------------------------------

def ready_files(page) -> list[PublicationFile]:
    """The READY files of a page, newest version first (what readers may download)."""
    return list(PublicationFile.objects.filter(page=page, status=FileStatus.READY)
                .order_by("format", "-version"))


def downloadable(file_id: int, version: int) -> PublicationFile | None:
    """The READY file ``file_id`` at ``version`` of a live page; None for anything else.
    A private page's file (Wagtail's *Privacidad*) goes only to who may read the page: the
    view asks :func:`readable_by`."""
    return (PublicationFile.objects.select_related("page")
            .filter(pk=file_id, version=version, status=FileStatus.READY, page__live=True)
            .exclude(file="").first())


def readable_by(file: PublicationFile, request) -> tuple[bool, bool]:
    """(may this request read the file, is its page private). A page made private, or under
    a private one, keeps its files to whoever passes its restrictions (signed in, in the
    group, or with the password), as Wagtail does for the page itself."""
    restrictions = file.page.get_view_restrictions()
    return all(r.accept_request(request) for r in restrictions), bool(restrictions)


def retry(file: PublicationFile, actor) -> bool:
    """Ask again for a file that failed or never finished. False if it is READY.

    Side effects: the row goes back to PENDING with its attempts and notice reset; the job
    is enqueued after commit.
    """
    from .. import jobs

    with transaction.atomic():
        current = PublicationFile.objects.select_for_update().get(pk=file.pk)
        if current.status == FileStatus.READY:
            return False
        current.status = FileStatus.PENDING
        current.attempts = 0
        current.error = ""
        current.committee_notified_at = None
        current.attempted_at = timezone.now()
        current.save(update_fields=["status", "attempts", "error", "committee_notified_at",
                                    "attempted_at"])
        log.info("File %s retried by user %s", current.pk, getattr(actor, "pk", None))
        jobs.enqueue(jobs.MAKE_FILES, page_id=current.page_id)
    return True


def describe(file: PublicationFile, *, label: str, notice: str, actor) -> PublicationFile:
    """Set a version's label and correction notice (metadata; the file's bytes never change)."""
    PublicationFile.objects.filter(pk=file.pk).update(label=label.strip(), notice=notice.strip())
    log.info("File %s described by user %s", file.pk, getattr(actor, "pk", None))
    file.refresh_from_db()
    return file


def request_files(page) -> None:
    """Called when a page is published: its files are made by a job after commit."""
    from .. import jobs

    if kind_of(page) is not None:
        jobs.enqueue(jobs.MAKE_FILES, page_id=page.pk)


# A published page whose files were never begun this long after, a file left pending this
# long after its last attempt (its worker was killed), or one that failed and whose retry never
# came (the broker lost it; the job's own retries are over within about half an hour).
NEVER_BEGUN_AFTER = timedelta(minutes=10)
STUCK_AFTER = timedelta(minutes=30)
RETRY_LOST_AFTER = timedelta(hours=2)
# Pages asked again per sweep: a backlog (say, pages published before files existed) is made a
# batch at a time, never queued again while the previous batch still waits for a worker.
REPAIR_BATCH = 20
INTERRUPTED = gettext_lazy(
    "El trabajo que componía el archivo se interrumpió %(n)s veces sin terminar (¿el servidor se "
    "quedó sin memoria?). El equipo técnico tiene el detalle en el registro; puede reintentarlo.")


def repair_lost_jobs(now=None) -> list[int]:
    """Ask again for the files whose job was lost: a worker killed while making them, a broker
    emptied or down when the page was published or republished, a retry that never came. Run by the job
    ``publications.repair_files`` every few minutes; returns the pages asked again.

    Side effects: ``publications.make_files`` enqueued once per such page (at most
    ``REPAIR_BATCH`` a run); a file whose job was interrupted ``MAX_ATTEMPTS`` times is marked
    FAILED instead, and the committee told once.
    """
    from .. import jobs

    now = now or timezone.now()
    pages = [p for p in (Page.objects.live().type(ArticlePage, IssuePage, EditionPage)
                         .filter(last_published_at__lte=now - NEVER_BEGUN_AFTER).specific())]
    latest: dict[tuple[int, str], PublicationFile] = {}
    for row in PublicationFile.objects.filter(page__in=pages).order_by("version"):
        latest[(row.page_id, row.format)] = row
    asked = []
    for page in pages:
        lost = False
        for fmt in formats_for(page):
            row = latest.get((page.pk, fmt))
            if row is None:
                lost = True  # published, and no job ever began its files
                continue
            if row.status == FileStatus.READY and row.revision_id != page.live_revision_id:
                lost = True  # republished, and no job ever looked at the new revision
                continue
            since = row.attempted_at or row.created_at
            if row.status == FileStatus.PENDING and since <= now - STUCK_AFTER:
                if row.attempts >= MAX_ATTEMPTS:
                    log.warning("File %s: its job was interrupted %s times", row.pk, row.attempts)
                    _record_failure(row, page, fmt, str(INTERRUPTED % {"n": row.attempts}),
                                    permanent=True)
                else:
                    lost = True
            elif (row.status == FileStatus.FAILED and row.committee_notified_at is None
                  and row.attempts < MAX_ATTEMPTS and since <= now - RETRY_LOST_AFTER):
                lost = True
        if lost and len(asked) < REPAIR_BATCH:
            log.info("Files of page %s asked again: their job was lost", page.pk)
            jobs.send(jobs.MAKE_FILES, page_id=page.pk)
            asked.append(page.pk)
    return asked


def live_page(page_id: int) -> Page | None:
    return Page.objects.filter(pk=page_id, live=True).first()


# --- Who may manage files ---------------------------------------------------------------

@rules.predicate
def is_files_manager(user) -> bool:
    """The Comité Editorial and Coordinación (and superusers) see and retry files."""
    from hub.roles import COORDINATION, EDITORIAL

    if not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=(EDITORIAL, COORDINATION)).exists()


rules.add_perm("publications.manage_files", is_files_manager)
