"""Issues of the magazine: their table of contents, continuous publication and publishing an
issue with its approved articles.

Decisions (documented in docs/architecture.md):

* **Continuous publication.** An approved article may go live while its issue is still a
  draft. It is reachable at its own URL; the magazine page lists it under "Avances en línea"
  and the article says "Avance en línea (publicación continua)" and names its future issue
  without linking to it. The issue page, once live, lists only live articles, in TOC order.
* **Approved** (what an issue may carry when it publishes): an article is approved when it
  is live (its live version went through the workflow), or when a revision of it is approved
  and scheduled (``approved_go_live_at`` is set: the workflow passed and it waits for its
  time), or when its latest workflow state is approved for its latest revision (a workflow
  whose last task approves without publishing), or when the committee's review approved it
  and its workflow waits, with the text the committee approved, in a later step (the
  editorial workflow's «Publicación»): publishing the issue is that step, done by the person
  who publishes it.
  Anything else (a draft, an article in moderation, one whose changes were requested or
  rejected, one edited after the committee approved it) is not approved.
* Publishing an issue (now, or at its scheduled time) publishes at the same moment every
  approved article of it that is not live yet. Publishing or scheduling an issue that holds
  articles that are not approved is refused, naming them — in the admin (hooks), and in
  ``IssuePage.publish`` itself so ``publish_scheduled`` cannot bypass it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Revision, TaskState, WorkflowState
from wagtail.signals import workflow_approved

from ..citation import CitationMeta, Creator
from ..models import ArticleAuthor, ArticlePage, IssuePage, IssueTocEntry, PublicationFile
from ..models.files import FileFormat, FileStatus
from ..models.workflow import CommitteeReviewTaskState

logger = logging.getLogger(__name__)

JOURNAL_TITLE = "México Transparente"


class IssueNotReady(Exception):
    """An issue cannot be published (or scheduled): some of its articles are not approved."""

    def __init__(self, issue: IssuePage, articles: list[ArticlePage]):
        self.issue = issue
        self.articles = articles
        super().__init__(refusal_message(articles))


def refusal_message(articles: list[ArticlePage]) -> str:
    names = ", ".join(f"«{a.title}»" for a in articles)
    return _("No se puede publicar ni programar el número: estos artículos aún no están "
             "aprobados por el Comité Editorial: %(names)s. Apruébelos o muévalos a otro "
             "número.") % {"names": names}


# --- Approval ----------------------------------------------------------------------------------

def approval_of(articles: list[ArticlePage]) -> dict[int, bool]:
    """Whether each article is approved (see the module's docstring), in three queries."""
    ids = [a.pk for a in articles]
    if not ids:
        return {}
    scheduled = set(Revision.objects.filter(
        object_id__in=[str(i) for i in ids], base_content_type__in=_page_base_ct(),
        approved_go_live_at__isnull=False).values_list("object_id", flat=True))
    latest_states: dict[str, WorkflowState] = {}
    for state in (WorkflowState.objects.filter(
            base_content_type__in=_page_base_ct(), object_id__in=[str(i) for i in ids])
            .order_by("created_at")):
        latest_states[state.object_id] = state
    reviewed = _reviewed_and_awaiting_publication(latest_states.values())
    revisions = Revision.objects.in_bulk([*reviewed.values(), *(
        a.latest_revision_id for a in articles if a.latest_revision_id)])
    result = {}
    for article in articles:
        state = latest_states.get(str(article.pk))
        workflow_approved = (state is not None and state.current_task_state_id is not None
                             and _state_revision_is_latest(state, article)
                             and (state.status == WorkflowState.STATUS_APPROVED
                                  or (state.pk in reviewed and _same_text(
                                      revisions.get(reviewed[state.pk]),
                                      revisions.get(article.latest_revision_id)))))
        result[article.pk] = bool(article.live or str(article.pk) in scheduled
                                  or workflow_approved)
    return result


def _reviewed_and_awaiting_publication(states) -> dict[int, int]:
    """The in-progress workflow states whose committee review approved the submission and
    which now wait in a later step, each with the revision the committee approved (one
    query)."""
    in_progress = [s.pk for s in states if s.status == WorkflowState.STATUS_IN_PROGRESS]
    if not in_progress:
        return {}
    return dict(CommitteeReviewTaskState.objects.filter(
        workflow_state_id__in=in_progress, status=TaskState.STATUS_APPROVED)
        .exclude(workflow_state__current_task_state__in=CommitteeReviewTaskState.objects.all())
        .order_by("finished_at", "pk").values_list("workflow_state_id", "revision_id"))


def _same_text(reviewed, latest) -> bool:
    """Whether the article's latest revision is the text the committee approved (an edit
    after the approval is not approved)."""
    from .review import is_reviewed_text

    return reviewed is not None and latest is not None and is_reviewed_text(reviewed, latest)


def _page_base_ct():
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    return [ContentType.objects.get_for_model(Page)]


def _state_revision_is_latest(state: WorkflowState, article: ArticlePage) -> bool:
    task_state = state.current_task_state
    return task_state is not None and task_state.revision_id == article.latest_revision_id


def unapproved_articles(issue: IssuePage) -> list[ArticlePage]:
    articles = list(ArticlePage.objects.child_of(issue).order_by("path"))
    approved = approval_of(articles)
    return [a for a in articles if not approved[a.pk]]


def check_can_publish(issue: IssuePage) -> None:
    """Raise :class:`IssueNotReady` naming the issue's articles that are not approved."""
    blocked = unapproved_articles(issue)
    if blocked:
        raise IssueNotReady(issue, blocked)


# --- Publishing --------------------------------------------------------------------------------

def publish_approved_articles(issue: IssuePage, *, user=None) -> list[ArticlePage]:
    """Publish now every approved, not yet live article of the issue (its scheduled revision,
    or its latest revision when the workflow approved it). Called when the issue goes live.

    Side effects: new live revisions of those articles, their ``page_published`` signals
    (sharing, PDF jobs of the files engineer) and the issue's TOC completed.
    """
    articles = list(ArticlePage.objects.child_of(issue).filter(live=False).order_by("path"))
    approved = approval_of(articles)
    published = []
    with transaction.atomic():
        for article in articles:
            if not approved[article.pk]:
                continue
            revision = (article.revisions.filter(approved_go_live_at__isnull=False)
                        .order_by("-created_at").first() or article.latest_revision)
            if revision is None:
                continue
            _close_publication_step(article, user or revision.user)
            version = revision.as_object()
            version.go_live_at = None  # it goes live with the issue, now
            new = version.save_revision(user=user or revision.user, log_action=False,
                                        clean=False)
            new.publish(user=user or revision.user, log_action="wagtail.publish",
                        skip_permission_checks=True)
            published.append(article)
        sync_toc(issue)
    return published


def _close_publication_step(article: ArticlePage, actor) -> None:
    """An article that waits in the workflow's «Publicación» step is published by the issue:
    that step is approved by ``actor`` and the workflow ends approved (its e-mail to the
    author follows from Wagtail's signal), so that publishing does not cancel it."""
    state = (WorkflowState.objects.filter(
        base_content_type__in=_page_base_ct(), object_id=str(article.pk),
        status=WorkflowState.STATUS_IN_PROGRESS).select_related("current_task_state").first())
    if state is None or state.current_task_state is None or state.pk not in (
            _reviewed_and_awaiting_publication([state])):
        return
    state.current_task_state.approve(user=actor, update=False)
    state.status = WorkflowState.STATUS_APPROVED
    state.save(update_fields=["status"])
    workflow_approved.send(sender=WorkflowState, instance=state, user=actor)


def sync_toc(issue: IssuePage) -> None:
    """Append the issue's articles missing from its TOC (e.g. moved in), in tree order."""
    present = set(IssueTocEntry.objects.filter(issue=issue).values_list("article_id", flat=True))
    missing = [pk for pk in ArticlePage.objects.child_of(issue).order_by("path")
               .values_list("pk", flat=True) if pk not in present]
    if not missing:
        return
    start = (IssueTocEntry.objects.filter(issue=issue).aggregate(m=Max("sort_order"))["m"]
             or -1) + 1
    IssueTocEntry.objects.bulk_create([IssueTocEntry(issue=issue, article_id=pk,
                                                     sort_order=start + i)
                                       for i, pk in enumerate(missing)])


def repair_copied_toc(issue: IssuePage) -> None:
    """After a copy: entries pointing at articles outside the issue are moved to the copied
    article of the same slug (a copy with its subpages) or dropped; the copy's latest
    revision is rewritten to match."""
    issue = IssuePage.objects.get(pk=issue.pk)
    own = {a.slug: a.pk for a in ArticlePage.objects.child_of(issue).only("slug")}
    own_ids = set(own.values())
    for entry in IssueTocEntry.objects.filter(issue=issue).select_related("article"):
        if entry.article_id in own_ids:
            continue
        replacement = own.get(entry.article.slug)
        if replacement is None or IssueTocEntry.objects.filter(
                issue=issue, article_id=replacement).exists():
            entry.delete()
        else:
            entry.article_id = replacement
            entry.save(update_fields=["article"])
    revision = issue.latest_revision
    if revision is not None:
        revision.content["toc_entries"] = [
            {"pk": e.pk, "issue": issue.pk, "article": e.article_id, "sort_order": e.sort_order}
            for e in IssueTocEntry.objects.filter(issue=issue).order_by("sort_order", "pk")]
        revision.save(update_fields=["content"])


def append_to_toc(article: ArticlePage) -> IssueTocEntry | None:
    """A new article is appended to its issue's TOC, in the table and in the issue's latest
    revision (so that publishing that revision keeps it). Idempotent."""
    issue = IssuePage.objects.filter(pk=article.get_parent().pk).first()
    if issue is None:
        return None
    entry = IssueTocEntry.objects.filter(issue=issue, article=article).first()
    if entry is None:
        last = issue.toc_entries.aggregate(m=Max("sort_order"))["m"]
        entry = IssueTocEntry.objects.create(issue=issue, article=article,
                                             sort_order=0 if last is None else last + 1)
    revision = issue.latest_revision
    if revision is not None:
        entries = revision.content.setdefault("toc_entries", [])
        if not any(e.get("article") == article.pk for e in entries):
            entries.append({"pk": entry.pk, "issue": issue.pk, "article": article.pk,
                            "sort_order": entry.sort_order})
            revision.save(update_fields=["content"])
    return entry


# --- Reading -----------------------------------------------------------------------------------

@dataclass
class TocRow:
    entry: IssueTocEntry
    article: ArticlePage
    authors: list
    ahead: bool  # live before its issue (shown in a preview of the issue)


def _authors_prefetch(prefix: str = "") -> Prefetch:
    return Prefetch(f"{prefix}article_authors", queryset=ArticleAuthor.objects
                    .select_related("author__institution").order_by("sort_order"))


def toc(issue: IssuePage, *, include_drafts: bool = False) -> list[TocRow]:
    """The issue's TOC in its own order, live articles only (drafts too in an editor's
    preview), with section and authors: a fixed number of queries whatever its length."""
    if include_drafts:  # an editor's preview: the TOC as edited, still unsaved
        rows = sorted((e for e in issue.toc_entries.all() if e.article_id),
                      key=lambda e: e.sort_order or 0)
        return [TocRow(entry=e, article=e.article, authors=list(e.article.article_authors.all()),
                       ahead=e.article.live and not issue.live) for e in rows]
    entries = (IssueTocEntry.objects.filter(issue_id=issue.pk)
               .select_related("article", "article__section")
               .prefetch_related(_authors_prefetch("article__"))
               .order_by("sort_order", "pk"))
    # Live and public: a private article (Wagtail's *Privacidad*) is not listed to readers.
    entries = entries.filter(article__in=ArticlePage.objects.live().public().values("pk"))
    return [TocRow(entry=e, article=e.article, authors=list(e.article.article_authors.all()),
                   ahead=e.article.live and not issue.live) for e in entries]


def ahead_of_print(magazine) -> list[tuple[IssuePage, list[ArticlePage]]]:
    """Live articles whose issue is not live yet, grouped by issue (newest issue first)."""
    issues = list(IssuePage.objects.child_of(magazine).filter(live=False)
                  .order_by("-issue_date", "-volume", "-number"))
    if not issues:
        return []
    articles = ArticlePage.objects.live().public().filter(
        path__regex="^(" + "|".join(i.path for i in issues) + ")....$").order_by(
        "-first_published_at")
    by_path: dict[str, list[ArticlePage]] = {}
    for article in articles:
        by_path.setdefault(article.path[:-4], []).append(article)
    return [(i, by_path[i.path]) for i in issues if i.path in by_path]


def ready_files(page_id: int) -> list[PublicationFile]:
    """The READY files of a page, newest version first per format."""
    return list(PublicationFile.objects.filter(page_id=page_id, status=FileStatus.READY)
                .order_by("format", "-version"))


def _creators(links) -> list[Creator]:
    return [Creator(family=link.author.family_names, given=link.author.given_names,
                    institution=link.author.affiliation_name, orcid=link.author.orcid)
            for link in links]


def _settings(site, request=None):
    """The site's publication settings; cached on the request when there is one."""
    from ..models import PublicationSettings

    if request is not None:
        return PublicationSettings.for_request(request)
    return PublicationSettings.for_site(site) if site else None


def article_meta(article: ArticlePage, *, issue: IssuePage | None, authors, files, site,
                 request=None) -> CitationMeta:
    settings = _settings(site, request)
    pdf = next((f for f in files if f.format == FileFormat.PDF and f.file), None)
    date = issue.issue_date if issue else None
    if article.live and issue is not None and not issue.live and article.first_published_at:
        date = timezone.localdate(article.first_published_at)
    return CitationMeta(
        title=article.title, subtitle=article.subtitle, kind="article",
        schema_type="ScholarlyArticle", url=article.get_full_url(request) or "",
        date=date, authors=_creators(authors), language=article.language or "es",
        journal_title=JOURNAL_TITLE, issn=settings.issn if settings else "",
        volume=str(issue.volume) if issue else "", issue=str(issue.number) if issue else "",
        first_page=article.first_page, last_page=article.last_page, doi=article.doi,
        pdf_url=_absolute(pdf.download_path(article.slug), request) if pdf else "",
        keywords=article.keyword_list, abstract=article.abstract,
        publisher=settings.publisher if settings else "", licence=article.licence,
        section=article.section.name if article.section_id else "",
        part_of_url=issue.get_full_url(request) or "" if issue and issue.live else "")


def issue_meta(issue: IssuePage, *, site, request=None) -> CitationMeta:
    settings = _settings(site, request)
    return CitationMeta(
        title=issue.title, kind="issue", schema_type="PublicationIssue",
        url=issue.get_full_url(request) or "", date=issue.issue_date,
        journal_title=JOURNAL_TITLE, issn=settings.issn if settings else "",
        volume=str(issue.volume), issue=str(issue.number),
        keywords=[issue.theme] if issue.theme else [],
        publisher=settings.publisher if settings else "", licence=issue.licence)


def _absolute(url: str, request) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url) if request is not None else url


def article_context(article: ArticlePage, request) -> dict:
    """Everything the article page shows beyond its own fields, in a fixed number of queries."""
    preview = getattr(request, "is_preview", False) or not article.pk
    issue = IssuePage.objects.filter(path=article.path[:-IssuePage.steplen],
                                     depth=article.depth - 1).first() if article.path else None
    if preview:  # the editor's unsaved authors, in memory
        authors = sorted(article.article_authors.all(), key=lambda link: link.sort_order or 0)
    else:
        authors = list(article.article_authors.select_related("author__institution")
                       .order_by("sort_order"))
    files = ready_files(article.pk)
    site = getattr(request, "_wagtail_site", None) if request is not None else None
    if site is None and request is not None:
        from wagtail.models import Site

        site = Site.find_for_request(request)
    meta = article_meta(article, issue=issue, authors=authors, files=files, site=site,
                        request=request)
    return {"issue": issue, "authors": authors, "files": files, "citation": meta,
            "ahead_of_print": bool(article.live and issue is not None and not issue.live),
            "latest_pdf": next((f for f in files if f.format == FileFormat.PDF), None)}


def issue_context(issue: IssuePage, request, *, preview: bool = False) -> dict:
    from wagtail.models import Site

    site = Site.find_for_request(request) if request is not None else None
    return {"toc": toc(issue, include_drafts=preview), "citation": issue_meta(
        issue, site=site, request=request), "files": ready_files(issue.pk),
        "publication_settings": _settings(site, request),
        "magazine_url": _parent_url(issue, request)}


def _parent_url(page, request) -> str:
    """The parent's URL without a query: Wagtail URLs follow the tree (url_path)."""
    url = page.get_url(request) or ""
    return url.rstrip("/").rsplit("/", 1)[0] + "/" if url else ""


def next_toc_position(issue: IssuePage) -> int:
    last = IssueTocEntry.objects.filter(issue=issue).aggregate(m=Max("sort_order"))["m"]
    return 0 if last is None else last + 1
