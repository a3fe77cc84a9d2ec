"""Calls for articles, on top of the contests engine (contests never imports publications).

A call for articles is a contest call with a category of kind ``escrito`` (summary plus the
full text as PDF or DOCX, checked by content in ``contests.files``). The committee reviews
the entries with the call's rubric as its jury (``committee_as_jury``), and the entries the
jury *accepted* (a place or an honourable mention, the contests' ``Award``) become draft
articles in an issue chosen by staff (``entry_to_article``), once each.
"""

from __future__ import annotations

import html
import re
import zipfile
from xml.etree import ElementTree

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from contests.domain import jury
from contests.enums import CategoryKind, EntryStatus
from contests.models import Award, Entry
from hub.roles import COORDINATION, EDITORIAL

from ..models import ArticleAuthor, ArticleFromEntry, ArticlePage, Author, IssuePage
from ..rules import is_committee_member, may_convert_entries

PRIVATE_COLLECTION = "Convocatorias de artículos (privado)"
MAX_BODY_PARAGRAPHS = 400
CREATED_ACTION = "publications.call.article_created"


class CallError(Exception):
    """A refusal with a message in Spanish for the person who asked."""


def accepted_entries():
    """Submitted written entries with a place or mention, not yet converted."""
    converted = ArticleFromEntry.objects.values("entry_id")
    return (Entry.objects.filter(status=EntryStatus.SUBMITTED,
                                 category__kind=CategoryKind.WRITTEN,
                                 award__isnull=False)
            .exclude(pk__in=converted)
            .select_related("call", "category", "award").order_by("call_id", "folio"))


def is_accepted(entry) -> bool:
    return (entry.status == EntryStatus.SUBMITTED and entry.category.kind == CategoryKind.WRITTEN
            and Award.objects.filter(entry=entry).exists())


def committee_as_jury(category, *, actor) -> int:
    """Put every active member of the Comité Editorial (with an e-mail) in the category's
    pool of jurors, so the committee scores the entries with the call's rubric, blind.
    Side effects: ``contests.domain.jury.add_juror`` for each (pool row, Jurado group, audit
    event). Returns how many members are in the pool."""
    from django.contrib.auth import get_user_model

    if not is_committee_member(actor) and not actor.groups.filter(name=COORDINATION).exists() \
            and not actor.is_superuser:
        raise PermissionDenied
    members = (get_user_model().objects.filter(groups__name=EDITORIAL, is_active=True)
               .exclude(email="").distinct())
    for member in members:
        jury.add_juror(category.call, category.pk, member.email, actor=actor)
    return members.count()


def _author_for(*, user, full_name: str, email: str, affiliation: str) -> Author:
    """Reuse the author linked to this account, else one with this e-mail, else create."""
    found = None
    if user is not None:
        found = Author.objects.filter(user=user).first()
    if found is None and email:
        found = Author.objects.filter(email__iexact=email).first()
    if found is not None:
        if user is not None and found.user_id is None:
            found.user = user
            found.save(update_fields=["user"])
        return found
    parts = full_name.split()
    given, family = (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (full_name, "")
    if len(parts) > 2:  # Spanish names: two family names are common
        given, family = " ".join(parts[:-2]), " ".join(parts[-2:])
    return Author.objects.create(given_names=given[:120] or full_name[:120],
                                 family_names=family[:120], email=email,
                                 affiliation=affiliation[:250], user=user)


def _entry_authors(entry) -> list[Author]:
    profile = getattr(entry.owner, "entrant_profile", None)
    authors = [_author_for(user=entry.owner,
                           full_name=profile.full_name if profile else entry.owner.get_full_name()
                           or entry.owner.get_username(),
                           email=entry.owner.email, affiliation=profile.school if profile else "")]
    for coauthor in entry.coauthors.filter(accepted_at__isnull=False).order_by("pk"):
        co_profile = getattr(coauthor.user, "entrant_profile", None) if coauthor.user else None
        author = _author_for(user=coauthor.user, full_name=coauthor.name, email=coauthor.email,
                             affiliation=co_profile.school if co_profile else "")
        if author not in authors:
            authors.append(author)
    return authors


def _paragraphs(entry_file) -> list[str]:
    """The text of the entrant's file, paragraph by paragraph (DOCX: ``w:p``; PDF: pypdf's
    extracted text split on blank lines). Empty when it cannot be read."""
    if entry_file is None:
        return []
    try:
        with entry_file.file.open("rb") as handle:
            if entry_file.format == "docx":
                with zipfile.ZipFile(handle) as archive:
                    root = ElementTree.fromstring(archive.read("word/document.xml"))
                ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
                found = ["".join(t.text or "" for t in p.iter(f"{ns}t"))
                         for p in root.iter(f"{ns}p")]
            elif entry_file.format == "pdf":
                from pypdf import PdfReader

                text = "\n".join(page.extract_text() or "" for page in PdfReader(handle).pages)
                found = re.split(r"\n\s*\n", text)
            else:
                found = []
    except Exception:
        return []
    return [" ".join(p.split()) for p in found if p.strip()][:MAX_BODY_PARAGRAPHS]


def _keep_document(entry_file, title: str):
    """The entrant's original file as a Wagtail document in a collection only the committee
    and Coordinación may open."""
    from django.contrib.auth.models import Group
    from django.core.files import File
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    if entry_file is None:
        return None
    collection = Collection.objects.filter(name=PRIVATE_COLLECTION).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=PRIVATE_COLLECTION)
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS)
        restriction.groups.set(Group.objects.filter(name__in=[EDITORIAL, COORDINATION]))
    Document = get_document_model()
    document = Document(title=title[:255], collection=collection)
    with entry_file.file.open("rb") as handle:
        document.file.save(f"{slugify(title)[:60] or 'texto'}-{entry_file.pk}"
                           f"{'.docx' if entry_file.format == 'docx' else '.pdf'}",
                           File(handle), save=False)
    document.save()
    return document


def _free_slug(issue, title: str) -> str:
    base = slugify(title)[:70] or "articulo"
    slug, n = base, 2
    while issue.get_children().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def entry_to_article(entry, issue, *, actor) -> ArticlePage:
    """Turn an accepted written entry into a draft article of ``issue``.

    Side effects, all in one transaction: authors reused or created from the entrants'
    profiles (name, private e-mail, school or institution as affiliation); a draft
    ``ArticlePage`` (not live) with the entry's title, its summary as abstract, its theme as
    keywords and the file's paragraphs as body; the original file as a private document;
    an ``ArticleFromEntry`` row; a history entry on the article. Raises ``PermissionDenied``
    for who may not convert and ``CallError`` (Spanish) for an entry that is not accepted, an
    entry already converted, or an issue that is not an issue."""
    if not may_convert_entries(actor):
        raise PermissionDenied
    if not isinstance(issue, IssuePage):
        raise CallError(_("Elija un número de la revista."))
    try:
        with transaction.atomic():
            entry = Entry.objects.select_for_update().select_related(
                "category", "owner").get(pk=entry.pk)
            existing = ArticleFromEntry.objects.filter(entry=entry).select_related(
                "article").first()
            if existing is not None:
                raise CallError(_("Esta participación ya se convirtió en el artículo «%(title)s».")
                                % {"title": existing.article.title})
            if not is_accepted(entry):
                raise CallError(_("Solo una participación aceptada (con lugar o mención del "
                                  "jurado) en una categoría de trabajo escrito puede "
                                  "convertirse en artículo."))
            entry_file = entry.files.filter(slot="document").first()
            paragraphs = _paragraphs(entry_file)
            article = ArticlePage(
                title=entry.title, slug=_free_slug(issue, entry.title),
                abstract=entry.summary or entry.title, keywords=entry.theme, live=False,
                body=[("paragraph", f"<p>{html.escape(p)}</p>") for p in paragraphs])
            for position, author in enumerate(_entry_authors(entry)):
                article.article_authors.add(ArticleAuthor(author=author, sort_order=position,
                                                          corresponding=position == 0))
            issue.add_child(instance=article)
            article.save_revision(user=actor, log_action=True)
            document = _keep_document(entry_file, entry.title)
            ArticleFromEntry.objects.create(entry=entry, article=article, document=document,
                                            created_by=actor)
            log(instance=article, action=CREATED_ACTION, user=actor,
                data={"folio": entry.folio or "", "entry_id": entry.pk})
    except IntegrityError:
        raise CallError(_("Esta participación ya se convirtió en un artículo.")) from None
    return article
