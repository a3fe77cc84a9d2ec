"""How to cite an article: APA 7, BibTeX and RIS downloads, and the discovery tags in <head>."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile

from publications.citation import CitationMeta, Creator, apa_text, bibtex, highwire_tags, ris
from publications.models import PublicationFile, PublicationSettings
from publications.templatetags.publications_meta import publication_meta_html
from tests.publications import factories as f

TRICKY_TITLE = 'Datos & "rendición" de cuentas: 100% {abiertos} #1_a ~ ^ \\ $ </script><b>x'


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """A strict reader: one entry, fields whose braces balance, escapes undone."""
    match = re.fullmatch(r"@(\w+)\{([^,\s]+),\n(.*)\n\}\n", text, re.S)
    assert match, text
    kind, key, body = match.groups()
    fields: dict[str, str] = {}
    i = 0
    while i < len(body):
        m = re.compile(r"\s*(\w+) = \{").match(body, i)
        assert m, body[i:]
        depth, j = 1, m.end()
        while depth:
            char = body[j]
            if char == "\\":
                j += 2
                continue
            depth += {"{": 1, "}": -1}.get(char, 0)
            j += 1
        fields[m.group(1)] = body[m.end():j - 1]
        i = j + 1 if body[j:j + 1] == "," else j
        i += 1 if body[i:i + 1] == "\n" else 0
    return kind, key, fields


def untex(value: str) -> str:
    value = value.replace(r"\textbackslash{}", "\\").replace(r"\textasciitilde{}", "~")
    value = value.replace(r"\textasciicircum{}", "^")
    return re.sub(r"\\([{}&%$#_])", r"\1", value)


def parse_ris(text: str) -> list[tuple[str, str]]:
    assert text.endswith("ER  -\r\n")
    lines = text.split("\r\n")[:-1]
    out = []
    for line in lines:
        m = re.fullmatch(r"([A-Z][A-Z0-9])  - ?(.*)", line)
        assert m, repr(line)
        out.append((m.group(1), m.group(2)))
    return out


def _meta(**overrides) -> CitationMeta:
    values = dict(
        title=TRICKY_TITLE, subtitle="", url="https://enlace.example/revista/art/",
        date=dt.date(2026, 11, 1),
        authors=[Creator("Gómez Ruiz", "Ana María", "El Colegio de México", "0000-0002-1825-0097"),
                 Creator("Zamora", "Luis")],
        journal_title="México Transparente", issn="2954-4572", volume="1", issue="2",
        first_page=5, last_page=17, doi="10.1234/mt_2026.2", keywords=["datos", "archivos"],
        abstract="Una línea.\nTY  - JOUR\nOtra.", publisher="SNT", licence="CC-BY-4.0")
    values.update(overrides)
    return CitationMeta(**values)


def test_bibtex_escapes_special_characters_and_parses_back():
    kind, key, fields = parse_bibtex(bibtex(_meta()))
    assert kind == "article" and key == "gomezruiz2026datos"
    assert untex(fields["title"]) == " ".join(TRICKY_TITLE.split())
    assert fields["author"] == "Gómez Ruiz, Ana María and Zamora, Luis"
    assert fields["journal"] == "México Transparente"
    assert (fields["year"], fields["volume"], fields["number"]) == ("2026", "1", "2")
    assert fields["pages"] == "5--17" and fields["doi"] == "10.1234/mt_2026.2"
    assert "\n" not in fields["abstract"]


def test_ris_has_one_tag_per_line_and_a_newline_cannot_forge_a_tag():
    tags = parse_ris(ris(_meta()))
    assert tags[0] == ("TY", "JOUR") and tags[-1] == ("ER", "")
    assert [v for t, v in tags if t == "AU"] == ["Gómez Ruiz, Ana María", "Zamora, Luis"]
    assert [t for t, _ in tags].count("TY") == 1  # the abstract's "TY  - JOUR" stayed inside AB
    values = dict(tags)
    assert values["TI"] == TRICKY_TITLE and values["DA"] == "2026/11/01"
    assert (values["SP"], values["EP"], values["VL"], values["IS"]) == ("5", "17", "1", "2")
    assert [v for t, v in tags if t == "KW"] == ["datos", "archivos"]


def test_apa_7_in_spanish():
    meta = _meta(title="El acceso a la información", subtitle="Diez años después")
    assert apa_text(meta) == (
        "Gómez Ruiz, A. M. y Zamora, L. (2026). El acceso a la información: Diez años después. "
        "México Transparente, 1(2), 5–17. https://doi.org/10.1234/mt_2026.2")
    many = [Creator(f"Apellido{i}", "Nombre") for i in range(22)]
    text = apa_text(_meta(authors=many, doi=""))
    assert "Apellido18, N., … Apellido21, N. (2026)" in text and "Apellido19" not in text
    assert text.endswith("https://enlace.example/revista/art/")


def test_json_ld_cannot_break_out_of_its_script_and_tags_are_escaped():
    html = str(publication_meta_html(_meta()))
    assert html.count("</script>") == 1
    soup = BeautifulSoup(html, "lxml")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "ScholarlyArticle" and data["name"] == TRICKY_TITLE
    assert data["isPartOf"]["issueNumber"] == "2"
    assert data["isPartOf"]["isPartOf"]["isPartOf"]["issn"] == "2954-4572"
    assert soup.find("meta", attrs={"name": "citation_title"})["content"] == TRICKY_TITLE
    assert soup.find("b") is None


def test_highwire_tags_are_generic_for_other_publications():
    book = _meta(kind="book", schema_type="Book", title="El ABC de la transparencia",
                 journal_title="", volume="", issue="", first_page=None, last_page=None,
                 edition="2.ª edición")
    names = [name for name, _ in highwire_tags(book)]
    assert "citation_journal_title" not in names and "citation_publisher" in names


@pytest.mark.django_db
def test_article_head_carries_highwire_dublin_core_and_json_ld(client, site):
    PublicationSettings.objects.create(site=site.get_site(), issn="2954-4572")
    issue = f.issue(f.magazine(site), volume=3, number=7, issue_date=dt.date(2026, 9, 15))
    first = f.AuthorFactory(given_names="Ana", family_names="Gómez", orcid="0000-0002-1825-0097",
                            affiliation="UNAM")
    second = f.AuthorFactory(given_names="Luis", family_names="Zamora", affiliation="CIDE")
    article = f.article(issue, authors=[first, second], title=TRICKY_TITLE, first_page=4,
                        last_page=12, doi="10.1234/mt.7", keywords="datos; archivos")
    pdf = PublicationFile(page=article, format="pdf", status="listo", sha256="c" * 64)
    pdf.file.save("art.pdf", ContentFile(b"%PDF-1.4"), save=True)
    response = client.get(article.url)
    soup = BeautifulSoup(response.content, "lxml")
    head = soup.head

    def values(name):
        return [m["content"] for m in head.find_all("meta", attrs={"name": name})]

    assert values("citation_title") == [TRICKY_TITLE]
    assert values("citation_author") == ["Ana Gómez", "Luis Zamora"]
    author_tags = [m["name"] for m in head.find_all("meta")
                   if m.get("name", "").startswith("citation_author")]
    assert author_tags == ["citation_author", "citation_author_institution",
                           "citation_author_orcid", "citation_author",
                           "citation_author_institution"]
    assert values("citation_author_orcid") == ["https://orcid.org/0000-0002-1825-0097"]
    assert values("citation_publication_date") == ["2026/09/15"]
    assert values("citation_journal_title") == ["México Transparente"]
    assert values("citation_issn") == ["2954-4572"]
    assert (values("citation_volume"), values("citation_issue")) == (["3"], ["7"])
    assert (values("citation_firstpage"), values("citation_lastpage")) == (["4"], ["12"])
    assert values("citation_doi") == ["10.1234/mt.7"]
    assert values("citation_pdf_url") == [f"http://testserver{pdf.download_path()}"]
    assert values("citation_abstract_html_url") == [article.full_url]
    assert values("citation_language") == ["es"]
    assert values("citation_keywords") == ["datos; archivos"]
    assert values("DC.title") == [TRICKY_TITLE]
    assert values("DC.creator") == ["Gómez, Ana", "Zamora, Luis"]
    scripts = head.find_all("script", type="application/ld+json")
    assert json.loads(scripts[0].string)["headline"] == TRICKY_TITLE[:110]
    issue_soup = BeautifulSoup(client.get(issue.url).content, "lxml")
    issue_ld = json.loads(issue_soup.head.find("script", type="application/ld+json").string)
    assert issue_ld["@type"] == "PublicationIssue" and issue_ld["issueNumber"] == "7"


@pytest.mark.django_db
def test_citation_downloads_are_attachments_and_drafts_are_not_citable(client, site):
    issue = f.issue(f.magazine(site))
    article = f.article(issue, title="Archivos & memoria", slug="archivos-y-memoria")
    bib = client.get(f"/publicaciones/articulos/{article.pk}/cita.bib")
    assert bib.status_code == 200
    assert bib["Content-Disposition"] == 'attachment; filename="archivos-y-memoria.bib"'
    assert bib["Content-Type"].startswith("application/x-bibtex")
    assert untex(parse_bibtex(bib.content.decode())[2]["title"]) == "Archivos & memoria"
    ris_response = client.get(f"/publicaciones/articulos/{article.pk}/cita.ris")
    assert ris_response["Content-Disposition"] == 'attachment; filename="archivos-y-memoria.ris"'
    assert dict(parse_ris(ris_response.content.decode()))["UR"] == article.full_url
    draft = f.article(issue, publish=False, live=False)
    assert client.get(f"/publicaciones/articulos/{draft.pk}/cita.bib").status_code == 404
    assert client.get(f"/publicaciones/articulos/{draft.pk}/cita.ris").status_code == 404
    assert client.post(f"/publicaciones/articulos/{article.pk}/cita.ris").status_code == 405
