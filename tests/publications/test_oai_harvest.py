"""A real harvester (Sickle) over HTTP harvests the repository across resumption tokens."""

from __future__ import annotations

import pytest
from sickle import Sickle
from sickle.oaiexceptions import IdDoesNotExist, NoRecordsMatch

from tests.publications import factories as f


@pytest.fixture
def repository(reference_data, site, settings):
    settings.PUBLICATIONS_OAI_PAGE_SIZE = 3
    issue = f.issue(f.magazine(site), volume=2, number=1)
    authors = [f.AuthorFactory(given_names="Marta", family_names="Ibáñez"),
               f.AuthorFactory(given_names="Jorge", family_names="Ríos")]
    articles = [f.article(issue, authors=authors if n == 0 else None) for n in range(6)]
    booklet = f.booklet(f.booklet_index(site))
    editions = [f.edition(booklet, edition_number=n) for n in (1, 2)]
    return {"issue": issue, "articles": articles, "editions": editions}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sickle_harvests_every_record_over_several_pages(live_server, repository, method):
    harvester = Sickle(live_server.url + "/oai/", http_method=method, max_retries=0)
    identify = harvester.Identify()
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "no"

    records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    expected = ({f"oai:testserver:article/{a.pk}" for a in repository["articles"]}
                | {f"oai:testserver:edition/{e.pk}" for e in repository["editions"]})
    identifiers = [r.header.identifier for r in records]
    assert len(identifiers) == 8 > 3  # three pages of three
    assert set(identifiers) == expected

    first = next(r for r in records
                 if r.header.identifier.endswith(f"/{repository['articles'][0].pk}"))
    assert first.metadata["creator"] == ["Ibáñez, Marta", "Ríos, Jorge"]
    assert repository["articles"][0].get_full_url() in first.metadata["identifier"]
    assert first.header.setSpecs == ["revista", "revista:vol2-num1"]


def test_sickle_selective_harvest_sets_and_errors(live_server, repository):
    harvester = Sickle(live_server.url + "/oai/", max_retries=0)
    specs = [s.setSpec for s in harvester.ListSets()]
    assert specs == ["revista", "revista:vol2-num1", "abc", "abc:los-abc"]
    headers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="abc:los-abc"))
    assert sorted(h.identifier for h in headers) == sorted(
        f"oai:testserver:edition/{e.pk}" for e in repository["editions"])
    article = repository["articles"][1]
    record = harvester.GetRecord(identifier=f"oai:testserver:article/{article.pk}",
                                 metadataPrefix="oai_dc")
    assert record.metadata["title"] == [article.title]
    with pytest.raises(IdDoesNotExist):
        harvester.GetRecord(identifier="oai:testserver:article/0", metadataPrefix="oai_dc")
    with pytest.raises(NoRecordsMatch):
        list(harvester.ListRecords(metadataPrefix="oai_dc", set="revista:vol7-num7"))
