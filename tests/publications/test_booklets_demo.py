"""The demo booklet compares before and after 2025; editions are shared once when published."""

import pytest

from publications.demo import build_booklet_demo
from publications.domain.editions import compare, pending_reforms
from tests.publications import factories as f

pytestmark = pytest.mark.django_db


def test_the_demo_booklet_shows_what_the_2025_law_changed(client, site):
    booklet = build_booklet_demo(site)
    assert build_booklet_demo(site).pk == booklet.pk  # idempotent
    first, second = booklet.get_children().specific().order_by("path")
    statuses = {c.key: c.status for c in compare(first, second)}
    assert statuses == {"que-es": "changed", "como-pedir": "unchanged", "inai": "removed",
                        "autoridades-garantes": "added", "si-no-responden": "changed",
                        "que-cambio-2025": "added"}
    page = client.get(booklet.url).content.decode()
    assert "Transparencia para el Pueblo" in page and "LGTAIP 2025" in page
    banner = client.get(first.url).content.decode()
    assert "Esta edición fue sustituida por la edición 2, actualizada al 20 de marzo de 2025." in banner
    assert client.get(booklet.url + "comparar/?de=1&a=2").status_code == 200
    # The current edition rests on the 2025 law: nothing is pending for it.
    assert [i for i in pending_reforms() if i.booklet.pk == booklet.pk] == []


def test_publishing_an_edition_with_channels_posts_it_once(site, coordinator, infoem):
    from campaigns.models import Post
    from tests.campaigns.factories import make_channel

    booklet = f.booklet(f.booklet_index(site))
    edition = f.edition(booklet, publish=False, live=False,
                        change_summary="Actualizada a la ley general de 2025.")
    edition.share_channels.set([make_channel("telegram", infoem)])
    edition.save_revision(user=coordinator).publish(user=coordinator)
    edition.save_revision(user=coordinator).publish(user=coordinator)  # published again
    post = Post.objects.get()
    assert post.source_page_id == edition.pk and post.link == edition.full_url
    assert "Actualizada a la ley general de 2025." in post.text
