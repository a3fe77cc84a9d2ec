"""The committee's list of files: status, label, hash, error; retry and label actions."""

from __future__ import annotations

import pytest

from hub.roles import EDITORIAL
from network import rules as network_rules
from publications.models import PublicationFile
from tests.factories import UserFactory
from tests.publications import factories as f

pytestmark = pytest.mark.django_db
LIST = "/admin/archivos-publicados/"


@pytest.fixture
def editor_client(client, site):
    client.force_login(UserFactory(username="editora", groups=[EDITORIAL]))
    return client


@pytest.fixture
def failed(site):
    page = f.article(f.issue(f.magazine(site)), title="Un artículo con PDF fallido")
    return PublicationFile.objects.create(
        page=page, format="pdf", version=1, status="fallido", attempts=4,
        error="No se pudo leer la imagen «Mapa» del almacenamiento.")


def test_the_committee_sees_each_file_with_its_status_and_error(editor_client, failed):
    ready = PublicationFile.objects.create(page=failed.page, format="pdf", version=2,
                                           status="listo", sha256="ab" * 32, size=2048,
                                           label="v2 — fe de erratas, 10/01/2027")
    html = editor_client.get(LIST).content.decode()
    assert "Un artículo con PDF fallido" in html
    assert "No se pudo leer la imagen «Mapa» del almacenamiento." in html
    assert "v2 — fe de erratas, 10/01/2027" in html and "KB" in html
    assert ready.sha256[:12] in html and "Reintentar" in html
    only_failed = editor_client.get(LIST + "?estado=fallido").content.decode()
    assert "v2 — fe de erratas" not in only_failed


def test_officers_cannot_see_or_retry_files(client, officer, failed):
    client.force_login(officer)
    assert client.get(LIST).status_code in (302, 403)
    response = client.post(f"{LIST}{failed.pk}/reintentar/")
    assert response.status_code in (302, 403)
    failed.refresh_from_db()
    assert failed.status == "fallido" and failed.attempts == 4


def test_retry_puts_the_file_back_in_the_queue(editor_client, failed,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(f"{LIST}{failed.pk}/reintentar/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.error) == ("pendiente", 0, "")
    # The job, after commit (other callbacks, such as open-data rebuilds, are not counted).
    assert len([c for c in callbacks if c.__module__ == "publications.jobs"]) == 1
    assert editor_client.get(f"{LIST}{failed.pk}/reintentar/").status_code == 405


def test_label_and_notice_are_edited_and_an_empty_label_is_refused(editor_client, failed):
    url = f"{LIST}{failed.pk}/etiqueta/"
    response = editor_client.post(url, {"label": "", "notice": "Aviso"})
    assert response.status_code == 200 and "Este campo es necesario" in response.content.decode()
    failed.refresh_from_db()
    assert failed.notice == ""
    response = editor_client.post(url, {"label": "v1 — primera edición",
                                        "notice": "Se corrigió una cifra."})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.label, failed.notice) == ("v1 — primera edición", "Se corrigió una cifra.")


def test_coordination_may_manage_files_but_not_an_anonymous_visitor(client, failed):
    assert client.get(LIST).status_code == 302  # to the sign-in page
    coordinator = UserFactory(username="coord", groups=[network_rules.COORDINATION])
    assert coordinator.has_perm("publications.manage_files")
    assert not UserFactory(username="nadie").has_perm("publications.manage_files")


def test_the_page_editor_links_to_the_page_s_files(editor_client, failed, site):
    from django.contrib.auth.models import User

    User.objects.filter(username="editora").update(is_superuser=True)  # page permissions
    html = editor_client.get(f"/admin/pages/{failed.page_id}/edit/").content.decode()
    assert f"/admin/archivos-publicados/?pagina={failed.page_id}" in html
    other = f.article(failed.page.get_parent().specific)
    listing = editor_client.get(f"{LIST}?pagina={other.pk}").content.decode()
    assert "Un artículo con PDF fallido" not in listing
