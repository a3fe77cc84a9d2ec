"""Citable metadata of a publication and its outputs: APA 7 text, BibTeX, RIS, Highwire
``citation_*`` tags, Dublin Core ``DC.*`` tags and schema.org JSON-LD.

Everything works from one :class:`CitationMeta`, which knows nothing of pages. The magazine
builds it with :func:`article_meta` / :func:`issue_meta` (``publications.domain.issues``
loads the rows in a fixed number of queries); the booklets build theirs for an edition
(``schema_type="Book"``, ``kind="book"``) and call the same functions, or the
``{% publication_meta meta %}`` tag of ``publications_meta``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .models.common import Licence


@dataclass(frozen=True)
class Creator:
    family: str
    given: str = ""
    institution: str = ""
    orcid: str = ""
    organization: bool = False  # a body (the publisher of a booklet), named by ``family`` alone

    @property
    def full_name(self) -> str:
        return f"{self.given} {self.family}".strip()

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""


@dataclass
class CitationMeta:
    """What a citation, a harvester or a reference manager needs to know of a publication."""

    title: str
    url: str
    date: dt.date | None
    authors: list[Creator] = field(default_factory=list)
    subtitle: str = ""
    kind: str = "article"  # article | issue | book
    schema_type: str = "ScholarlyArticle"
    language: str = "es"
    journal_title: str = ""
    issn: str = ""
    volume: str = ""
    issue: str = ""
    first_page: int | None = None
    last_page: int | None = None
    doi: str = ""
    pdf_url: str = ""
    keywords: list[str] = field(default_factory=list)
    abstract: str = ""
    publisher: str = ""
    licence: str = ""
    section: str = ""
    part_of_url: str = ""
    edition: str = ""

    @property
    def full_title(self) -> str:
        if self.subtitle:
            return f"{self.title}: {self.subtitle}"
        return self.title

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def licence_url(self) -> str:
        return Licence.url(self.licence) if self.licence else ""

    @property
    def pages(self) -> str:
        if self.first_page and self.last_page and self.last_page != self.first_page:
            return f"{self.first_page}–{self.last_page}"
        return str(self.first_page or "")


# --- APA 7 -----------------------------------------------------------------------------------

def _initials(given: str) -> str:
    """"María José" → "M. J.", "Jean-Paul" → "J.-P."."""
    out = []
    for word in given.split():
        parts = [p for p in word.split("-") if p]
        out.append("-".join(f"{p[0].upper()}." for p in parts))
    return " ".join(out)


def _apa_name(creator: Creator) -> str:
    initials = _initials(creator.given)
    return f"{creator.family}, {initials}" if initials else creator.family


def _apa_authors(authors: list[Creator]) -> str:
    names = [_apa_name(a) for a in authors]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if len(names) > 20:  # APA 7: the first 19, an ellipsis, the last one
        return ", ".join(names[:19]) + ", … " + names[-1]
    # Spanish APA 7 uses "y" where English uses "&".
    return ", ".join(names[:-1]) + " y " + names[-1]


def _end(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def apa(meta: CitationMeta) -> SafeString:
    """The APA 7 reference as HTML (journal and volume in italics); every value is escaped."""
    authors = _apa_authors(meta.authors)
    year = str(meta.date.year) if meta.date else "s. f."
    locator = meta.doi_url or meta.url
    if meta.kind == "article":
        volume = format_html("<i>{}</i>", meta.volume) if meta.volume else ""
        number = f"({meta.issue})" if meta.issue else ""
        pages = f", {meta.pages}" if meta.pages else ""
        return format_html(
            "{} ({}). {} <i>{}</i>, {}{}{}. {}",
            _end(authors) if authors else "", year, _end(meta.full_title), meta.journal_title,
            volume, number, pages, locator)
    title = format_html("<i>{}</i>", meta.full_title)
    edition = f" ({meta.edition})" if meta.edition else ""
    publisher = f" {_end(meta.publisher)}" if meta.publisher else ""
    lead = _end(authors) if authors else _end(meta.publisher or "")
    return format_html("{} ({}). {}{}.{} {}", lead, year, title, edition,
                       publisher if authors else "", locator)


def apa_text(meta: CitationMeta) -> str:
    """The APA reference as plain text (for a copy button or an e-mail)."""
    return re.sub(r"<[^>]+>", "", str(apa(meta))).replace("&amp;", "&").replace(
        "&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#x27;", "'")


# --- BibTeX ----------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


def bibtex_escape(value: str) -> str:
    """Escape TeX's special characters in one pass; accents stay UTF-8 (biber reads them)."""
    value = " ".join(str(value).split())
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], value)


def _verbatim(value: str) -> str:
    """DOIs and URLs are verbatim fields: only braces (never valid there) are dropped."""
    return re.sub(r"[{}\s]", "", value)


def bibtex_key(meta: CitationMeta) -> str:
    family = meta.authors[0].family if meta.authors else (meta.publisher or "anonimo")
    ascii_family = re.sub(r"[^A-Za-z0-9]", "", _ascii(family)) or "anonimo"
    year = meta.date.year if meta.date else "sf"
    word = next((re.sub(r"[^A-Za-z0-9]", "", _ascii(w)) for w in meta.title.split()
                 if len(w) > 3), "")
    return f"{ascii_family.lower()}{year}{word.lower()}"


def _ascii(value: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()


def bibtex(meta: CitationMeta) -> str:
    entry_type = "article" if meta.kind == "article" else "book"
    fields: list[tuple[str, str]] = []
    if meta.authors:
        fields.append(("author", " and ".join(
            f"{bibtex_escape(a.family)}, {bibtex_escape(a.given)}" if a.given
            else f"{{{bibtex_escape(a.family)}}}" for a in meta.authors)))
    fields.append(("title", bibtex_escape(meta.full_title)))
    if meta.kind == "article":
        fields.append(("journal", bibtex_escape(meta.journal_title)))
    if meta.date:
        fields += [("year", str(meta.date.year)), ("month", str(meta.date.month)),
                   ("date", meta.date.isoformat())]
    for name, value in (("volume", meta.volume), ("number", meta.issue),
                        ("edition", meta.edition), ("publisher", meta.publisher),
                        ("issn", meta.issn)):
        if value:
            fields.append((name, bibtex_escape(value)))
    if meta.first_page:
        pages = f"{meta.first_page}--{meta.last_page}" if meta.last_page else str(meta.first_page)
        fields.append(("pages", pages))
    if meta.doi:
        fields.append(("doi", _verbatim(meta.doi)))
    fields.append(("url", _verbatim(meta.url)))
    fields.append(("language", "spanish" if meta.language.startswith("es") else meta.language))
    if meta.keywords:
        fields.append(("keywords", bibtex_escape(", ".join(meta.keywords))))
    if meta.abstract:
        fields.append(("abstract", bibtex_escape(meta.abstract)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{bibtex_key(meta)},\n{body}\n}}\n"


# --- RIS -------------------------------------------------------------------------------------

def _ris_value(value) -> str:
    """One line: a newline in a value would start a forged tag, so whitespace is collapsed."""
    return " ".join(str(value).split())


def ris(meta: CitationMeta) -> str:
    lines: list[tuple[str, str]] = [("TY", "JOUR" if meta.kind == "article" else "BOOK")]
    lines += [("AU", f"{a.family}, {a.given}" if a.given else a.family) for a in meta.authors]
    lines.append(("TI", meta.full_title))
    if meta.kind == "article":
        lines += [("T2", meta.journal_title), ("JO", meta.journal_title)]
    if meta.date:
        lines += [("PY", str(meta.date.year)), ("DA", meta.date.strftime("%Y/%m/%d"))]
    for tag, value in (("VL", meta.volume), ("IS", meta.issue), ("SP", meta.first_page),
                       ("EP", meta.last_page), ("ET", meta.edition), ("SN", meta.issn),
                       ("PB", meta.publisher), ("DO", meta.doi), ("UR", meta.url),
                       ("LA", meta.language), ("AB", meta.abstract)):
        if value:
            lines.append((tag, value))
    lines += [("KW", keyword) for keyword in meta.keywords]
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_ris_value(value)}".rstrip() + "\r\n" if tag == "ER"
                   else f"{tag}  - {_ris_value(value)}\r\n" for tag, value in lines)


# --- Discovery tags --------------------------------------------------------------------------

def highwire_tags(meta: CitationMeta) -> list[tuple[str, str]]:
    """Google Scholar's Highwire Press tags, authors in order each followed by their details."""
    tags: list[tuple[str, str]] = [("citation_title", meta.full_title)]
    for author in meta.authors:
        tags.append(("citation_author", author.full_name))
        if author.institution:
            tags.append(("citation_author_institution", author.institution))
        if author.orcid:
            tags.append(("citation_author_orcid", author.orcid_url))
    if meta.date:
        tags.append(("citation_publication_date", meta.date.strftime("%Y/%m/%d")))
    if meta.kind in ("article", "issue"):
        tags.append(("citation_journal_title", meta.journal_title))
    elif meta.publisher:
        tags.append(("citation_publisher", meta.publisher))
    for name, value in (("citation_issn", meta.issn), ("citation_volume", meta.volume),
                        ("citation_issue", meta.issue),
                        ("citation_firstpage", meta.first_page),
                        ("citation_lastpage", meta.last_page), ("citation_doi", meta.doi),
                        ("citation_pdf_url", meta.pdf_url)):
        if value:
            tags.append((name, str(value)))
    tags.append(("citation_abstract_html_url", meta.url))
    tags.append(("citation_language", meta.language))
    if meta.keywords:
        tags.append(("citation_keywords", "; ".join(meta.keywords)))
    return [(name, value) for name, value in tags if value]


def dublin_core_tags(meta: CitationMeta) -> list[tuple[str, str]]:
    tags: list[tuple[str, str]] = [("DC.title", meta.full_title)]
    tags += [("DC.creator", f"{a.family}, {a.given}" if a.given else a.family)
             for a in meta.authors]
    if meta.date:
        tags.append(("DC.date", meta.date.isoformat()))
    tags += [("DC.type", "Text"), ("DC.format", "text/html"),
             ("DC.identifier", meta.url), ("DC.language", meta.language)]
    if meta.doi:
        tags.append(("DC.identifier", f"doi:{meta.doi}"))
    if meta.abstract:
        tags.append(("DC.description", meta.abstract))
    tags += [("DC.subject", keyword) for keyword in meta.keywords]
    if meta.publisher:
        tags.append(("DC.publisher", meta.publisher))
    if meta.licence_url:
        tags.append(("DC.rights", meta.licence_url))
    if meta.journal_title and meta.kind == "article":
        source = meta.journal_title
        if meta.volume:
            source += f", vol. {meta.volume}"
        if meta.issue:
            source += f", núm. {meta.issue}"
        tags.append(("DC.source", source))
    return [(name, value) for name, value in tags if value]


def json_ld(meta: CitationMeta) -> dict:
    data: dict = {"@context": "https://schema.org", "@type": meta.schema_type,
                  "name": meta.title, "url": meta.url, "inLanguage": meta.language}
    if meta.kind == "article":
        data["headline"] = meta.full_title[:110]
    if meta.subtitle:
        data["alternativeHeadline"] = meta.subtitle
    if meta.date:
        data["datePublished"] = meta.date.isoformat()
    if meta.authors:
        data["author"] = []
        for author in meta.authors:
            if author.organization:
                data["author"].append({"@type": "Organization", "name": author.family})
                continue
            person: dict = {"@type": "Person", "name": author.full_name,
                            "familyName": author.family}
            if author.given:
                person["givenName"] = author.given
            if author.institution:
                person["affiliation"] = {"@type": "Organization", "name": author.institution}
            if author.orcid:
                person["identifier"] = author.orcid_url
                person["sameAs"] = author.orcid_url
            data["author"].append(person)
    if meta.abstract:
        data["abstract" if meta.kind == "article" else "description"] = meta.abstract
    if meta.keywords:
        data["keywords"] = meta.keywords
    if meta.licence_url:
        data["license"] = meta.licence_url
    if meta.publisher:
        data["publisher"] = {"@type": "Organization", "name": meta.publisher}
    if meta.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": meta.doi}
        data["sameAs"] = meta.doi_url
    if meta.first_page:
        data["pageStart"] = meta.first_page
    if meta.last_page:
        data["pageEnd"] = meta.last_page
    if meta.kind in ("article", "issue") and meta.journal_title:
        periodical: dict = {"@type": "Periodical", "name": meta.journal_title}
        if meta.issn:
            periodical["issn"] = meta.issn
        volume = {"@type": "PublicationVolume", "volumeNumber": meta.volume,
                  "isPartOf": periodical} if meta.volume else periodical
        if meta.kind == "article":
            issue = {"@type": "PublicationIssue", "issueNumber": meta.issue, "isPartOf": volume}
            if meta.part_of_url:
                issue["url"] = meta.part_of_url
            data["isPartOf"] = issue if meta.issue else volume
        else:
            data["issueNumber"] = meta.issue
            data["isPartOf"] = volume
    if meta.pdf_url:
        data["encoding"] = {"@type": "MediaObject", "encodingFormat": "application/pdf",
                            "contentUrl": meta.pdf_url}
    if meta.section:
        data["articleSection"] = meta.section
    if meta.edition:
        data["bookEdition"] = meta.edition
    return data


def meta_tags_html(tags: list[tuple[str, str]]) -> SafeString:
    return format_html_join("\n", '<meta name="{}" content="{}">', tags)
