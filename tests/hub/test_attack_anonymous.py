"""An anonymous visitor in development (DEBUG, as ``dev.py start`` runs) reaches media files
only through what the site links to: the file of a document in a restricted collection, or an
entrant's file, is never served by the plain /media/ route (documents go through
/documentos/<id>/<name>, which applies the collection's view restriction)."""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import clear_url_caches
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from hub import views

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_urls():
    """hub.urls as development builds it (the media route exists only with DEBUG)."""
    import hub.urls

    with override_settings(DEBUG=True):
        importlib.reload(hub.urls)
        clear_url_caches()
        yield
    importlib.reload(hub.urls)
    clear_url_caches()


@pytest.fixture
def restricted_document(db):
    collection = Collection.get_first_root_node().add_child(name="Solo personal")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    document = get_document_model()(title="Minuta reservada", collection=collection)
    document.file.save("minuta-reservada.txt", ContentFile(b"contenido reservado"), save=False)
    document.save()
    return document


def test_a_restricted_document_is_not_served_from_media(debug_urls, restricted_document):
    client = Client()
    name = restricted_document.file.name
    for url in (f"/media/{name}", f"/media/./{name}", f"/media/images/../{name}",
                f"/media//{name}"):
        response = client.get(url)
        assert response.status_code == 404, url
        body = b"".join(getattr(response, "streaming_content", [response.content]))
        assert b"contenido reservado" not in body
    # Its own address still asks the visitor to sign in.
    response = client.get(f"/documentos/{restricted_document.pk}/{name.rsplit('/', 1)[-1]}")
    assert response.status_code == 302 and "login" in response["Location"]


def test_entrants_files_inside_media_root_are_not_served(debug_urls, settings):
    from pathlib import Path

    private = Path(settings.STORAGES["contests"]["OPTIONS"]["location"])
    (private / "entries").mkdir(parents=True, exist_ok=True)
    (private / "entries" / "obra.txt").write_bytes(b"obra de un participante")
    relative = private.relative_to(settings.MEDIA_ROOT)
    assert Client().get(f"/media/{relative}/entries/obra.txt").status_code == 404


def test_other_media_is_still_served_in_development(debug_urls, settings):
    from pathlib import Path

    folder = Path(settings.MEDIA_ROOT) / "original_images"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cartel.txt").write_bytes(b"cartel publico")
    response = Client().get("/media/original_images/cartel.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"cartel publico"


def test_no_media_route_for_object_storage(settings):
    settings.MEDIA_URL = "https://cdn.example.org/media/"
    assert views.development_media_urls() == []
