"""Builders for publications' pages and data, shared by every publications test."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from publications.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    BookletIndexPage,
    BookletPage,
    BookletSeries,
    EditionPage,
    IssuePage,
    IssueTocEntry,
    Law,
    MagazinePage,
    Reform,
    Section,
)

_seq = itertools.count(1)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    given_names = factory.Sequence(lambda n: f"Autora {n}")
    family_names = factory.Sequence(lambda n: f"Pérez {n}")
    affiliation = "Universidad Nacional Autónoma de México"
    email = factory.Sequence(lambda n: f"autora{n}@example.org")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Sección {n}")
    slug = factory.Sequence(lambda n: f"seccion-{n}")


class LawFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Law

    name = factory.Sequence(lambda n: f"Ley de prueba {n}")
    short_name = factory.Sequence(lambda n: f"LP{n}")
    dof_date = dt.date(2015, 5, 4)


class ReformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reform

    law = factory.SubFactory(LawFactory)
    title = factory.Sequence(lambda n: f"Decreto de reforma {n}")
    dof_date = dt.date(2026, 3, 1)


def _add(parent, page, *, publish: bool = True):
    if not publish:
        page.live = False  # a draft: Wagtail's Page() is live by default
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def magazine(home, *, publish: bool = True, **fields) -> MagazinePage:
    existing = MagazinePage.objects.first()
    if existing:
        return existing
    fields.setdefault("title", "México Transparente")
    fields.setdefault("slug", "mexico-transparente")
    return _add(home, MagazinePage(**fields), publish=publish)


def issue(parent: MagazinePage, *, publish: bool = True, **fields) -> IssuePage:
    n = next(_seq)
    fields.setdefault("volume", 1)
    fields.setdefault("number", n)
    fields.setdefault("title", f"Número {fields['number']}")
    fields.setdefault("slug", f"vol-{fields['volume']}-num-{fields['number']}")
    fields.setdefault("issue_date", dt.date(2026, 11, 1))
    fields.setdefault("theme", "Transparencia y datos abiertos")
    return _add(parent, IssuePage(**fields), publish=publish)


def article(parent: IssuePage, *, authors=None, publish: bool = True, in_toc: bool = True,
            **fields) -> ArticlePage:
    n = next(_seq)
    fields.setdefault("title", f"Artículo {n}")
    fields.setdefault("slug", f"articulo-{n}")
    fields.setdefault("abstract", "Un resumen del artículo sobre el acceso a la información.")
    fields.setdefault("keywords", "transparencia; acceso a la información")
    fields.setdefault("body", [("paragraph", "<p>El derecho de acceso a la información.</p>")])
    page = ArticlePage(**fields)
    for position, author in enumerate(authors or [AuthorFactory()]):
        page.article_authors.add(ArticleAuthor(author=author, sort_order=position))
    page = _add(parent, page, publish=publish)
    if in_toc:
        IssueTocEntry.objects.create(issue=parent, article=page,
                                     sort_order=parent.toc_entries.count())
    return page


def series(**fields) -> BookletSeries:
    fields.setdefault("name", "Los ABC")
    fields.setdefault("slug", "los-abc")
    return BookletSeries.objects.get_or_create(slug=fields["slug"], defaults=fields)[0]


def booklet_index(home, *, publish: bool = True, **fields) -> BookletIndexPage:
    existing = BookletIndexPage.objects.first()
    if existing:
        return existing
    fields.setdefault("title", "Los ABC")
    fields.setdefault("slug", "los-abc")
    return _add(home, BookletIndexPage(**fields), publish=publish)


def booklet(parent: BookletIndexPage, *, publish: bool = True, **fields) -> BookletPage:
    n = next(_seq)
    fields.setdefault("series", series())
    fields.setdefault("number", n)
    fields.setdefault("title", f"El ABC del derecho {n}")
    fields.setdefault("slug", f"abc-{n}")
    return _add(parent, BookletPage(**fields), publish=publish)


def edition(parent: BookletPage, *, laws=(), publish: bool = True, **fields) -> EditionPage:
    n = fields.get("edition_number") or parent.get_children().count() + 1
    fields.setdefault("edition_number", n)
    fields.setdefault("title", f"{parent.title}, edición {n}")
    fields.setdefault("slug", f"edicion-{n}")
    fields.setdefault("current_to", dt.date(2024, 1, 1))
    fields.setdefault("change_summary", "Primera edición.")
    fields.setdefault("body", [("section", {
        "key": "que-es", "heading": "¿Qué es?",
        "content": [("paragraph", "<p>La transparencia es un derecho.</p>")]})])
    page = EditionPage(**fields)
    page.laws.set(list(laws) or [LawFactory()])
    return _add(parent, page, publish=publish)


# --- Booklets (added by the booklets work) ------------------------------------------------

def section(key: str, heading: str, *paragraphs: str) -> tuple:
    """One booklet section as ``EditionPage.body`` takes it."""
    return ("section", {"key": key, "heading": heading,
                        "content": [("paragraph", f"<p>{text}</p>") for text in paragraphs]})
