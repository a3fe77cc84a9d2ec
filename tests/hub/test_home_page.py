"""The home page shows what is happening: open calls with their deadline, the current magazine
issue and the latest news; never a draft nor a page behind a view restriction."""

import pytest
from wagtail.models import PageViewRestriction

from hub.models import StandardPage

pytestmark = pytest.mark.django_db


def test_news_leave_out_drafts_and_restricted_pages(client, site):
    public = site.add_child(instance=StandardPage(title="Nota pública de la red", slug="nota"))
    hidden = site.add_child(instance=StandardPage(title="Nota con contraseña", slug="privada"))
    hidden.add_child(instance=StandardPage(title="Nota debajo de la privada", slug="debajo"))
    site.add_child(instance=StandardPage(title="Nota en borrador", slug="borrador", live=False))
    for page in StandardPage.objects.filter(live=True, slug__in=["nota", "privada", "debajo"]):
        page.save_revision().publish()
    PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="x")
    news = [p.title for p in client.get("/").context["news"]]
    assert public.title in news
    assert not {"Nota con contraseña", "Nota debajo de la privada", "Nota en borrador"} & set(news)


def test_the_title_says_enlace_snt_once(client, site):
    html = client.get("/").content.decode()
    title = html[html.index("<title>") + 7:html.index("</title>")]
    assert title.count("Enlace SNT") == 1
