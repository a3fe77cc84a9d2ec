"""OAI-PMH 2.0: the six verbs, errors, sets, dates and tokens, read with lxml."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from publications import oai
from publications.models import ArticlePage, IssuePage
from tests.publications import factories as f

pytestmark = pytest.mark.django_db

NS = {"o": oai.OAI_NS, "dc": oai.DC_NS, "oai_dc": oai.OAI_DC_NS, "id": oai.ID_NS}


def ask(client, method="get", **params):
    response = getattr(client, method)("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert "Set-Cookie" not in response
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{oai.OAI_NS}}}OAI-PMH"
    assert root.find("o:responseDate", NS) is not None
    assert root.find("o:responseDate", NS).text.endswith("Z")
    assert root.find("o:request", NS).text.endswith("/oai/")
    return root


def errors(root) -> list[str]:
    return [e.get("code") for e in root.findall("o:error", NS)]


def stamp_of(page) -> str:
    return page.last_published_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def journal(site):
    issue = f.issue(f.magazine(site), volume=1, number=2)
    first = f.AuthorFactory(given_names="Ana", family_names="Núñez Ruiz",
                            orcid="0000-0002-1825-0097", email="ana@example.org")
    second = f.AuthorFactory(given_names="Luis", family_names="Gómez")
    article = f.article(issue, title="Datos abiertos municipales", authors=[first, second],
                        keywords="datos abiertos; municipios", doi="10.1234/mt.2026.02",
                        abstract="Cómo abren sus datos los municipios.")
    edition = f.edition(f.booklet(f.booklet_index(site), title="El ABC de la transparencia"))
    return {"issue": issue, "article": article, "edition": edition}


def test_identify_describes_the_repository(client, journal):
    root = ask(client, verb="Identify")
    identify = root.find("o:Identify", NS)
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "no"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://testserver/oai/"
    earliest = min(journal["article"].last_published_at, journal["edition"].last_published_at)
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == (
        earliest.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert identify.find("o:description/id:oai-identifier/id:repositoryIdentifier",
                         NS).text == "testserver"
    request = root.find("o:request", NS)
    assert request.get("verb") == "Identify"


def test_get_record_carries_the_dublin_core_of_an_article(client, journal):
    article = journal["article"]
    identifier = f"oai:testserver:article/{article.pk}"
    root = ask(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    record = root.find("o:GetRecord/o:record", NS)
    header = record.find("o:header", NS)
    assert header.findtext("o:identifier", namespaces=NS) == identifier
    assert header.findtext("o:datestamp", namespaces=NS) == stamp_of(article)
    assert [s.text for s in header.findall("o:setSpec", NS)] == ["revista", "revista:vol1-num2"]
    dc = record.find("o:metadata/oai_dc:dc", NS)

    def values(name):
        return [e.text for e in dc.findall(f"dc:{name}", NS)]

    assert values("title") == ["Datos abiertos municipales"]
    assert values("creator") == ["Núñez Ruiz, Ana", "Gómez, Luis"]  # in the article's order
    assert values("subject")[:2] == ["datos abiertos", "municipios"]
    assert values("description") == ["Cómo abren sus datos los municipios."]
    assert values("publisher") == ["Sistema Nacional de Transparencia"]
    assert values("identifier") == [article.get_full_url(), "https://doi.org/10.1234/mt.2026.02"]
    assert values("source")[0].startswith("México Transparente; vol. 1, núm. 2")
    assert values("language") == ["spa"]
    assert values("rights") == ["https://creativecommons.org/licenses/by/4.0/deed.es"]
    assert journal["issue"].get_full_url() in values("relation")
    assert values("date") and values("type")[0] == "info:eu-repo/semantics/article"
    assert b"ana@example.org" not in etree.tostring(root)


def test_get_record_of_an_edition_is_in_its_series_set(client, journal):
    edition = journal["edition"]
    root = ask(client, verb="GetRecord", identifier=f"oai:testserver:edition/{edition.pk}",
               metadataPrefix="oai_dc")
    header = root.find("o:GetRecord/o:record/o:header", NS)
    assert [s.text for s in header.findall("o:setSpec", NS)] == ["abc", "abc:los-abc"]
    dc = root.find("o:GetRecord/o:record/o:metadata/oai_dc:dc", NS)
    assert dc.findtext("dc:date", namespaces=NS) == edition.current_to.isoformat()
    assert dc.findtext("dc:identifier", namespaces=NS) == edition.get_full_url()


def test_an_unpublished_article_is_gone_from_the_repository(client, journal):
    article = journal["article"]
    article.unpublish()
    root = ask(client, verb="GetRecord", identifier=f"oai:testserver:article/{article.pk}",
               metadataPrefix="oai_dc")
    assert errors(root) == ["idDoesNotExist"]
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="revista")
    assert errors(root) == ["noRecordsMatch"]


def test_a_draft_article_is_never_listed(client, journal):
    draft = f.article(journal["issue"], publish=False, live=False)
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    listed = [e.text for e in root.iterfind(".//o:header/o:identifier", NS)]
    assert f"oai:testserver:article/{draft.pk}" not in listed
    assert f"oai:testserver:article/{journal['article'].pk}" in listed


def test_list_metadata_formats_offers_oai_dc(client, journal):
    root = ask(client, verb="ListMetadataFormats")
    assert [e.text for e in root.iterfind(".//o:metadataPrefix", NS)] == ["oai_dc"]
    root = ask(client, verb="ListMetadataFormats",
               identifier=f"oai:testserver:article/{journal['article'].pk}")
    assert root.find(".//o:metadataNamespace", NS).text == oai.OAI_DC_NS
    root = ask(client, verb="ListMetadataFormats", identifier="oai:testserver:article/999999")
    assert errors(root) == ["idDoesNotExist"]


def test_list_sets_names_issues_and_series(client, journal):
    root = ask(client, verb="ListSets")
    specs = [e.text for e in root.iterfind(".//o:setSpec", NS)]
    assert specs == ["revista", "revista:vol1-num2", "abc", "abc:los-abc"]


def test_selective_harvest_by_set(client, journal):
    other = f.issue(journal["issue"].get_parent().specific, volume=1, number=3)
    elsewhere = f.article(other)
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="revista:vol1-num3")
    assert [e.text for e in root.iterfind(".//o:identifier", NS)] == [
        f"oai:testserver:article/{elsewhere.pk}"]
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="abc:los-abc")
    assert [e.text for e in root.iterfind(".//o:identifier", NS)] == [
        f"oai:testserver:edition/{journal['edition'].pk}"]
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="revista:vol9-num9")
    assert errors(root) == ["noRecordsMatch"]


def test_from_and_until_in_both_granularities(client, journal):
    article = journal["article"]
    old = dt.datetime(2025, 1, 15, 12, 0, 0, tzinfo=dt.UTC)
    ArticlePage.objects.filter(pk=article.pk).update(last_published_at=old)
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="revista",
               until="2025-01-15")
    assert len(root.findall(".//o:header", NS)) == 1
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="revista",
               **{"from": "2025-01-15T12:00:00Z", "until": "2025-01-15T12:00:00Z"})
    assert len(root.findall(".//o:header", NS)) == 1
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="revista",
               **{"from": "2025-01-15T12:00:01Z"})
    assert errors(root) == ["noRecordsMatch"]
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="revista",
               until="2025-01-14")
    assert errors(root) == ["noRecordsMatch"]


@pytest.mark.parametrize("params, code", [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "Identify", "extra": "1"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-13-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01",
      "until": "2026-02-01T00:00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-02-01",
      "until": "2026-01-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "nada"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:otro:article/1"},
     "idDoesNotExist"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc",
      "identifier": "oai:testserver:article/999999999999"}, "idDoesNotExist"),
    ({"verb": "ListRecords", "resumptionToken": "no-es-un-token"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1999-01-01"},
     "noRecordsMatch"),
])
def test_each_error_has_its_code_and_a_bare_request_after_bad_arguments(client, journal, params,
                                                                         code):
    root = ask(client, **params)
    assert code in errors(root)
    assert root.find("o:ListRecords", NS) is None
    if code in ("badVerb", "badArgument"):
        assert dict(root.find("o:request", NS).attrib) == {}


def test_a_repeated_argument_is_a_bad_argument(client, journal):
    response = client.get("/oai/?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc")
    root = etree.fromstring(response.content)
    assert errors(root) == ["badArgument"]


def test_resumption_tokens_walk_the_list_without_gaps(client, journal, settings):
    settings.PUBLICATIONS_OAI_PAGE_SIZE = 2
    for _ in range(3):
        f.article(journal["issue"])
    expected = {f"oai:testserver:article/{pk}" for pk in ArticlePage.objects.values_list(
        "pk", flat=True)}
    seen, cursor, params = [], 0, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc",
                                   "set": "revista"}
    while True:
        root = ask(client, **params)
        seen += [e.text for e in root.iterfind(".//o:header/o:identifier", NS)]
        token = root.find(".//o:resumptionToken", NS)
        assert token.get("completeListSize") == "4"
        assert token.get("cursor") == str(cursor)
        cursor += 2
        if not token.text:
            break
        params = {"verb": "ListIdentifiers", "resumptionToken": token.text}
    assert len(seen) == 4 and set(seen) == expected


def test_a_token_of_another_verb_or_tampered_is_refused(client, journal, settings):
    settings.PUBLICATIONS_OAI_PAGE_SIZE = 1
    root = ask(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = root.find(".//o:resumptionToken", NS).text
    assert errors(ask(client, verb="ListIdentifiers", resumptionToken=token)) == [
        "badResumptionToken"]
    tampered = token[:-1] + ("B" if token.endswith("A") else "A")
    assert errors(ask(client, verb="ListRecords", resumptionToken=tampered)) == [
        "badResumptionToken"]
    assert errors(ask(client, verb="ListRecords", resumptionToken=token,
                      metadataPrefix="oai_dc")) == ["badArgument"]


def test_post_works_like_get(client, journal):
    root = ask(client, method="post", verb="ListRecords", metadataPrefix="oai_dc", set="revista")
    assert len(root.findall(".//o:record", NS)) == 1


def test_list_records_costs_the_same_queries_for_more_records(client, journal, settings):
    settings.PUBLICATIONS_OAI_PAGE_SIZE = 100

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            ask(client, verb="ListRecords", metadataPrefix="oai_dc")
        return len(ctx.captured_queries)

    queries()  # the first answer creates the site's publication settings and warms caches
    few = queries()
    issue = IssuePage.objects.get(pk=journal["issue"].pk)
    for _ in range(6):
        f.article(issue, authors=[f.AuthorFactory(), f.AuthorFactory()])
    f.edition(f.booklet(f.booklet_index(None)))
    assert queries() == few <= 12




@pytest.mark.parametrize("until", ["9999-12-31", "9999-12-31T23:59:59Z"])
def test_an_until_on_the_last_representable_day_is_an_oai_answer_not_an_error_page(
        client, journal, until):
    """A harvester asking for everything up to the end of time gets every record, in XML
    (it got a non-OAI 400 page: the end of that day overflowed)."""
    for verb in ("ListIdentifiers", "ListRecords"):
        root = ask(client, verb=verb, metadataPrefix="oai_dc", until=until)
        assert errors(root) == []
        assert len(root.findall(".//o:header", NS)) == 2
    root = ask(client, verb="ListRecords", metadataPrefix="oai_dc", until=until,
               **{"from": "9999-12-31" if "T" not in until else "9999-12-31T00:00:00Z"})
    assert errors(root) == ["noRecordsMatch"]


def test_an_article_ahead_of_print_names_no_set_or_page_of_its_unpublished_issue(client, site):
    """Its issue is not published: ListSets does not announce the issue's set and its page
    is a 404, so the record neither claims the set nor links to the page."""
    issue = f.issue(f.magazine(site), volume=3, number=9, publish=False)
    article = f.article(issue, title="Avance en línea")
    identifier = oai.identifier_for(article)
    root = ask(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier)
    assert errors(root) == []
    assert [s.text for s in root.findall(".//o:header/o:setSpec", NS)] == ["revista"]
    relations = [r.text for r in root.findall(".//dc:relation", NS)]
    assert not any(issue.url_path.rstrip("/").rsplit("/", 1)[-1] in r for r in relations)
    sets = [s.text for s in ask(client, verb="ListSets").findall(".//o:setSpec", NS)]
    assert "revista:vol3-num9" not in sets
    listed = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="revista")
    assert identifier in [i.text for i in listed.findall(".//o:header/o:identifier", NS)]


@pytest.mark.parametrize(("params", "code"), [
    ({"verb": "ListRecords", "resumptionToken": "abc\x00def"}, "badResumptionToken"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "abc:x\x00"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01\x00"},
     "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc",
      "identifier": "oai:testserver:article/1\x1b"}, "idDoesNotExist"),
    ({"verb": "Identify\x00"}, "badVerb"),
])
def test_a_control_character_in_an_argument_is_an_oai_error_not_an_html_page(
        client, journal, params, code):
    """A harvester parses every answer as OAI-PMH XML: a NUL or an escape in a GET argument is
    that protocol's error (the site's HTML «solicitud no válida» page broke the harvest), and
    nothing of it reaches the database or the XML."""
    root = ask(client, **params)
    assert errors(root) == [code]
    assert b"\x00" not in etree.tostring(root)
