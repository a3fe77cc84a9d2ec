"""Officers see only their institution's private rows anywhere in the admin; the Comité
Editorial sees no contacts at all."""

import pytest

from network import rules
from tests.factories import (
    PersonFactory,
    UserFactory,
    VideoCapsuleFactory,
)

pytestmark = pytest.mark.django_db
CHOOSER = "/admin/snippets/choose/network/person/"


@pytest.fixture
def contacts(infoem, itei):
    return (PersonFactory(name="Contacto Propio", institution=infoem),
            PersonFactory(name="Contacto Ajeno", institution=itei))


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="editora", groups=[rules.EDITORIAL]))
    return client


def test_contacts_chooser_lists_only_the_officers_institution(officer_client, contacts):
    html = officer_client.get(CHOOSER).content.decode()
    assert "Contacto Propio" in html and "Contacto Ajeno" not in html
    results = officer_client.get(CHOOSER + "results/?q=Contacto").content.decode()
    assert "Contacto Ajeno" not in results


def test_contacts_chooser_will_not_return_another_institutions_contact(officer_client,
                                                                       contacts):
    own, other = contacts
    assert officer_client.get(f"{CHOOSER}chosen/{other.pk}/").status_code == 404
    assert officer_client.get(f"{CHOOSER}chosen/{own.pk}/").status_code == 200
    multiple = officer_client.get(f"{CHOOSER}chosen-multiple/?id={own.pk}&id={other.pk}")
    assert "Contacto Ajeno" not in multiple.content.decode()


def test_editorial_committee_sees_no_contacts(editor_client, contacts):
    html = editor_client.get(CHOOSER).content.decode()
    assert "Contacto Propio" not in html and "Contacto Ajeno" not in html
    assert editor_client.get(f"{CHOOSER}chosen/{contacts[0].pk}/").status_code == 404
    assert editor_client.get("/admin/snippets/network/person/").status_code in (302, 403)


def test_coordination_chooses_any_contact(coordinator_client, contacts):
    html = coordinator_client.get(CHOOSER).content.decode()
    assert "Contacto Propio" in html and "Contacto Ajeno" in html


def test_capsule_form_offers_only_the_officers_contacts(officer_client, infoem, contacts):
    """The form names its chosen contacts; the chooser it opens lists the officer's own."""
    capsule = VideoCapsuleFactory(institution=infoem)
    capsule.people.set([contacts[0]])
    html = officer_client.get(
        f"/admin/snippets/network/videocapsule/edit/{capsule.pk}/").content.decode()
    assert "Contacto Propio" in html and "Contacto Ajeno" not in html


def test_capsule_form_refuses_a_posted_foreign_contact(officer_client, infoem, contacts):
    capsule = VideoCapsuleFactory(institution=infoem)
    _own, other = contacts
    data = {"title": capsule.title, "slug": capsule.slug, "summary": "",
            "institution": infoem.pk, "commission": "", "state": "", "recorded_on": "",
            "video_url": capsule.video_url, "video_file": "", "thumbnail": "",
            "transcript": "", "people": [other.pk], "go_live_at": "", "expire_at": ""}
    officer_client.post(f"/admin/snippets/network/videocapsule/edit/{capsule.pk}/", data)
    assert not capsule.people.filter(pk=other.pk).exists()


@pytest.mark.parametrize("url", ["/admin/reports/site-history/",
                                 "/admin/reports/site-history/results/",
                                 "/admin/reports/workflow/", "/admin/reports/workflow_tasks/"])
def test_site_history_and_workflow_reports_are_for_coordination(officer_client, coordinator,
                                                                url, contacts):
    from django.test import Client

    assert officer_client.get(url).status_code in (302, 403)
    coordination = Client()
    coordination.force_login(coordinator)
    assert coordination.get(url).status_code == 200


def test_officer_menu_hides_coordination_reports(officer_client):
    html = officer_client.get("/admin/").content.decode()
    assert "/admin/reports/site-history/" not in html
