"""Reading statistics: counted without cookies or personal data; the committee's report."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from hub.roles import COMMUNICATIONS, EDITORIAL
from publications.domain import stats
from publications.models import ReadingCount
from publications.models.stats import ReadingKind
from tests.factories import UserFactory
from tests.publications import factories as f

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture
def pages(site):
    issue = f.issue(f.magazine(site), title="=HYPERLINK(\"http://x\")", volume=1, number=7)
    article = f.article(issue)
    edition = f.edition(f.booklet(f.booklet_index(site)))
    return {"issue": issue, "article": article, "edition": edition}


def views_of(page, kind=ReadingKind.VIEW) -> int:
    return sum(ReadingCount.objects.filter(page=page, kind=kind).values_list("count", flat=True))


def test_count_adds_one_per_call_in_one_row_per_day(pages):
    article = pages["article"]
    stats.count(article, ReadingKind.VIEW)
    stats.count(article, ReadingKind.VIEW)
    stats.count(article.pk, ReadingKind.DOWNLOAD)
    stats.count(article, ReadingKind.VIEW, day=dt.date(2026, 1, 1))
    today = timezone.localdate()
    assert ReadingCount.objects.get(page=article, kind=ReadingKind.VIEW, day=today).count == 2
    assert ReadingCount.objects.get(page=article, kind=ReadingKind.DOWNLOAD, day=today).count == 1
    assert ReadingCount.objects.filter(page=article).count() == 3


def test_count_refuses_an_unknown_kind(pages):
    with pytest.raises(ValueError):
        stats.count(pages["article"], "clic")


def test_the_pixel_counts_a_reader_without_cookies_or_caching(client, pages):
    article = pages["article"]
    response = client.get(f"/publicaciones/visto/{article.pk}.gif", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif" and response.content.startswith(b"GIF89a")
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert views_of(article) == 1
    assert set(ReadingCount._meta.get_fields()) and not any(
        f.name in ("ip", "user_agent", "session") for f in ReadingCount._meta.get_fields())


@pytest.mark.parametrize("agent", ["Googlebot/2.1 (+http://www.google.com/bot.html)",
                                   "Mozilla/5.0 (compatible; bingbot/2.0)", "curl/8.5.0", ""])
def test_robots_and_anonymous_agents_are_not_counted(client, pages, agent):
    client.get(f"/publicaciones/visto/{pages['article'].pk}.gif", HTTP_USER_AGENT=agent)
    assert views_of(pages["article"]) == 0


def test_head_requests_drafts_and_other_pages_are_not_counted(client, pages, site):
    article = pages["article"]
    client.head(f"/publicaciones/visto/{article.pk}.gif", HTTP_USER_AGENT=BROWSER)
    draft = f.article(pages["issue"], publish=False, live=False)
    response = client.get(f"/publicaciones/visto/{draft.pk}.gif", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200  # the image is served; nothing is counted
    client.get(f"/publicaciones/visto/{site.pk}.gif", HTTP_USER_AGENT=BROWSER)
    client.get("/publicaciones/visto/99999999.gif", HTTP_USER_AGENT=BROWSER)
    huge = client.get("/publicaciones/visto/99999999999999999999.gif", HTTP_USER_AGENT=BROWSER)
    assert huge.status_code == 200
    assert ReadingCount.objects.count() == 0


def test_issue_and_edition_pages_are_counted_too(client, pages):
    for key in ("issue", "edition"):
        client.get(f"/publicaciones/visto/{pages[key].pk}.gif", HTTP_USER_AGENT=BROWSER)
        assert views_of(pages[key]) == 1


def test_the_beacon_is_in_live_pages_but_not_in_previews(pages):
    template = Template("{% load publications_discovery %}{% reading_beacon page %}")
    request = RequestFactory().get("/")
    html = template.render(Context({"page": pages["article"], "request": request}))
    assert f'src="/publicaciones/visto/{pages["article"].pk}.gif"' in html and 'alt=""' in html
    request.is_preview = True
    assert template.render(Context({"page": pages["article"], "request": request})) == ""
    draft = f.article(pages["issue"], publish=False, live=False)
    assert template.render(Context({"page": draft, "request": RequestFactory().get("/")})) == ""


@pytest.fixture
def committee_client(client, db):
    client.force_login(UserFactory(username="comite", groups=[EDITORIAL]))
    return client


def _fill(pages):
    today = timezone.localdate()
    for _ in range(3):
        stats.count(pages["article"], ReadingKind.VIEW)
    stats.count(pages["article"], ReadingKind.DOWNLOAD)
    stats.count(pages["issue"], ReadingKind.VIEW)
    stats.count(pages["issue"], ReadingKind.DOWNLOAD)
    stats.count(pages["edition"], ReadingKind.VIEW, day=today - dt.timedelta(days=1))
    return today


def test_the_report_per_day_and_per_issue(pages):
    today = _fill(pages)
    days = stats.per_day(today - dt.timedelta(days=2), today)
    assert [(d.views, d.downloads) for d in days] == [(0, 0), (1, 0), (4, 2)]
    (row,) = stats.per_issue(today, today)
    assert (row.views, row.downloads, row.issue_views, row.issue_downloads) == (4, 2, 1, 1)


def test_the_committee_sees_the_report_with_chart_and_table(committee_client, pages):
    _fill(pages)
    response = committee_client.get("/admin/publicaciones/estadisticas/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<table" in html
    assert "vol. 1, núm. 7" in html


def test_others_cannot_see_the_report(client, pages):
    client.force_login(UserFactory(username="oficial", groups=[COMMUNICATIONS]))
    assert client.get("/admin/publicaciones/estadisticas/").status_code in (302, 403)
    assert client.get("/admin/publicaciones/estadisticas/dias.csv").status_code in (302, 403)
    client.logout()
    assert client.get("/admin/publicaciones/estadisticas/").status_code == 302


def test_a_bad_period_is_refused_with_a_message(committee_client, pages):
    response = committee_client.get("/admin/publicaciones/estadisticas/?desde=31/02/2026")
    assert response.status_code == 400
    assert "dd/mm/aaaa" in response.content.decode()
    response = committee_client.get(
        "/admin/publicaciones/estadisticas/?desde=10/01/2026&hasta=01/01/2026")
    assert response.status_code == 400


def test_a_period_at_the_end_of_the_calendar_is_a_date_message_not_an_error_page(
        committee_client, pages):
    """December of the year 9999 is a date Python reads, but counting up to the day after its
    last day overflowed: the committee got the generic «datos que no se pueden leer» page
    instead of the report with a message about the date."""
    for query in ("?desde=01/12/9999&hasta=31/12/9999", "?hasta=31/12/9999"):
        response = committee_client.get("/admin/publicaciones/estadisticas/" + query)
        assert response.status_code == 400, query
        assert "dd/mm/aaaa" in response.content.decode(), query
        assert "número demasiado grande" not in response.content.decode(), query
        csv_response = committee_client.get("/admin/publicaciones/estadisticas/dias.csv" + query)
        assert csv_response.status_code == 200, query


def test_the_csv_per_issue_is_formula_safe(committee_client, pages):
    _fill(pages)
    response = committee_client.get("/admin/publicaciones/estadisticas/numeros.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0].startswith("'=")
    assert rows[1][3:5] == ["4", "2"]
    assert committee_client.get("/admin/publicaciones/estadisticas/otra.csv").status_code == 404
