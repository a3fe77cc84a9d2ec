"""Images on public pages: renditions are made when the image is saved, never by a page
request; every <img> has width, height, srcset, sizes and alt; the home page stays light."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from wagtail.images.models import Rendition

from hub.models import StandardPage
from network.domain.images import make_renditions, registered_renditions
from tests.campaigns.factories import make_image
from tests.factories import VideoCapsuleFactory
from tests.publications import factories as publications


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.assets = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs)
            self.assets.append(attrs.get("src"))
        elif tag == "link" and "stylesheet" in (attrs.get("rel") or "") or tag == "link" and (
                attrs.get("rel") or "") in ("icon", "preload"):
            self.assets.append(attrs.get("href"))
        elif tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])


def _parse(html):
    parser = _Images()
    parser.feed(html)
    return parser


@pytest.fixture
def pages_with_images(site, infoem, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as enqueued:
        logo, thumb, photo = make_image("Logo"), make_image("Miniatura"), make_image("Foto")
    jobs = [c for c in enqueued if "enqueue_renditions" in getattr(c, "__qualname__", "")]
    assert len(jobs) == 3  # one renditions job asked for per saved image (and a cache purge)
    infoem.logo = logo
    infoem.save()
    capsule = VideoCapsuleFactory(title="Cápsula con miniatura", institution=infoem,
                                  thumbnail=thumb)
    standard = site.add_child(instance=StandardPage(
        title="Aviso con imagen", slug="aviso-con-imagen",
        body=[("image", {"image": photo, "alt_text": "Personas en un taller",
                         "decorative": False})]))
    standard.save_revision().publish()
    with django_capture_on_commit_callbacks():
        chart = make_image("Gráfica")
    article = publications.article(publications.issue(publications.magazine(site)), body=[
        ("figure", {"image": chart, "alt_text": "Solicitudes por año", "caption": "Figura 1",
                    "source": "INAI"})])
    for image in (logo, thumb, photo, chart):  # what the job does
        make_renditions(image.pk)
    return ["/", "/instituciones/", f"/instituciones/{infoem.slug}/", "/capsulas/",
            f"/capsulas/{capsule.slug}/", standard.url, "/calendario/", "/calendario/?vista=lista",
            article.url]


def _crawl(client, urls):
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def test_public_pages_make_no_rendition_once_the_job_ran(client, pages_with_images):
    before = Rendition.objects.count()
    assert before == 4 * len(registered_renditions())  # the job made every registered size
    _crawl(client, pages_with_images)
    assert Rendition.objects.count() == before
    _crawl(client, pages_with_images)
    assert Rendition.objects.count() == before


def test_every_public_image_has_size_srcset_sizes_and_alt(client, pages_with_images):
    seen = 0
    for url, html in _crawl(client, pages_with_images).items():
        for img in _parse(html).images:
            if "reading-beacon" in img.get("class", ""):  # a hidden 1×1 reading counter
                continue
            seen += 1
            assert img.get("width") and img.get("height"), (url, img)
            assert img.get("srcset") and img.get("sizes"), (url, img)
            assert "alt" in img, (url, img)
    assert seen >= 4
    body = _crawl(client, [pages_with_images[5]])[pages_with_images[5]]
    assert 'alt="Personas en un taller"' in body
    article = _crawl(client, [pages_with_images[8]])[pages_with_images[8]]
    (figure,) = [i for i in _parse(article).images if i.get("alt") == "Solicitudes por año"]
    assert len(figure["srcset"].split(",")) == 3


def test_the_renditions_job_is_idempotent_and_skips_a_deleted_image(db):
    image = make_image("Una")
    make_renditions(image.pk)
    count = Rendition.objects.count()
    make_renditions(image.pk)
    assert Rendition.objects.count() == count
    image_id = image.pk
    image.delete()
    assert make_renditions(image_id) == 0


def test_home_page_with_its_assets_weighs_under_300_kb(client, pages_with_images):
    response = client.get("/")
    html = response.content.decode()
    total = len(response.content)
    for src in _parse(html).assets:
        if not src or src.startswith("data:"):
            continue
        path = re.sub(r"^https?://[^/]+", "", src)
        if path.startswith("/static/"):
            found = finders.find(path.removeprefix("/static/").split("?")[0])
            assert found, path
            with open(found, "rb") as f:
                total += len(f.read())
        else:
            asset = client.get(path)
            assert asset.status_code == 200, path
            total += len(b"".join(asset)) if asset.streaming else len(asset.content)
    assert total < 300 * 1024, total


def _open_temporary_files() -> int:
    import os

    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        count += target.startswith("/tmp/#") and target.endswith("(deleted)")
    return count


def test_two_jobs_making_the_same_rendition_at_once_leave_one_file_and_nothing_open(
        reference_data, monkeypatch):
    """A post's renditions job and its Telegram delivery asked at the same moment for the same
    missing size: both made it, the second's INSERT failed, its file stayed on disk with no
    row, and the failed INSERT's traceback kept its temporary file open until a full garbage
    collection, so worker processes piled up open deleted files. One is made; the other waits
    and finds it."""
    import gc
    import os
    import threading

    from django.conf import settings
    from django.db import connection
    from wagtail.images.models import Image

    from network.domain.images import rendition

    image = make_image("Foto para dos trabajos")
    made, generate = [], Image.generate_rendition_file
    both_generating = threading.Barrier(2)

    def generate_slowly(self, filter, *, source=None):
        made.append(filter.spec)
        try:  # without a lock, both threads get here and go on together
            both_generating.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        return generate(self, filter, source=source)

    monkeypatch.setattr(Image, "generate_rendition_file", generate_slowly)
    errors, found = [], []

    def job():
        try:
            found.append(rendition(Image.objects.get(pk=image.pk), "max-320x320").file.name)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    gc.disable()  # what a worker's rarely-run full collection leaves open stays visible here
    try:
        before = _open_temporary_files()
        threads = [threading.Thread(target=job) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not errors, errors
        assert _open_temporary_files() == before
    finally:
        gc.enable()
    assert made == ["max-320x320"] and len(set(found)) == 1
    assert Rendition.objects.filter(image=image, filter_spec="max-320x320").count() == 1
    folder = os.path.join(settings.MEDIA_ROOT, "images")
    own = os.path.splitext(os.path.basename(image.file.name))[0] + "."
    assert [n for n in os.listdir(folder) if n.startswith(own) and "max-320x320" in n] == [
        os.path.basename(found[0])]


def test_rendition_files_that_no_rendition_names_are_removed_once_old(db):
    """What the races of earlier versions left on disk: files with no row. A file just written
    (its row may be on its way) and every named file stay."""
    import io
    import os
    import time

    from django.core.management import call_command
    from wagtail.images.models import get_rendition_storage

    image = make_image("Foto con huérfanas")
    kept = image.get_rendition("max-160x160").file.name
    storage = get_rendition_storage()
    old = storage.save("images/huerfana.max-320x320.png", io.BytesIO(b"x"))
    recent = storage.save("images/reciente.max-320x320.png", io.BytesIO(b"y"))
    two_hours_ago = time.time() - 7200
    os.utime(storage.path(old), (two_hours_ago, two_hours_ago))
    os.utime(storage.path(kept), (two_hours_ago, two_hours_ago))

    out = io.StringIO()
    call_command("remove_orphan_renditions", "--dry-run", stdout=out)
    assert old in out.getvalue() and recent not in out.getvalue() and kept not in out.getvalue()
    assert storage.exists(old)
    call_command("remove_orphan_renditions", stdout=io.StringIO())
    assert not storage.exists(old) and storage.exists(recent) and storage.exists(kept)
