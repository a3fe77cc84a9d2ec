import pytest
from django.core.exceptions import ValidationError

from publications.validators import validate_doi, validate_orcid
from tests.publications import factories as f

pytestmark = pytest.mark.django_db


def test_an_issue_with_articles_and_a_booklet_edition_can_be_built(site):
    issue = f.issue(f.magazine(site))
    first = f.article(issue)
    second = f.article(issue, authors=[f.AuthorFactory(), f.AuthorFactory()])
    assert [e.article_id for e in issue.toc_entries.order_by("sort_order")] == [first.pk, second.pk]
    assert second.article_authors.count() == 2
    edition = f.edition(f.booklet(f.booklet_index(site)))
    assert edition.live and edition.laws.count() == 1


@pytest.mark.parametrize("value", ["0000-0002-1825-0098", "0000-0002-1825-009", "abcd"])
def test_a_wrong_orcid_is_refused(value):
    with pytest.raises(ValidationError):
        validate_orcid(value)


def test_a_valid_orcid_and_doi_pass():
    validate_orcid("0000-0002-1825-0097")
    validate_doi("10.1234/mt.2026.01")
    with pytest.raises(ValidationError):
        validate_doi("https://doi.org/10.1234/x")
