"""Events and capsules are edited like posts: publishing panel, scheduling and preview."""

import datetime as dt

import pytest
from django.utils import timezone

from network.models import Event
from tests.factories import EventFactory, VideoCapsuleFactory

pytestmark = pytest.mark.django_db

EMPTY_RICH_TEXT = '{"blocks": [], "entityMap": {}}'


def event_form(institution, **overrides):
    start = timezone.localtime() + dt.timedelta(days=5)
    data = {"title": "Foro de vista previa", "slug": "", "kind": "foro", "mode": "presencial",
            "summary": "Un resumen", "description": EMPTY_RICH_TEXT,
            "starts_at": start.strftime("%Y-%m-%d %H:%M"), "ends_at": "",
            "venue": "Auditorio", "state": "", "online_url": "", "registration_url": "",
            "audience": "", "organizers": [institution.pk], "commission": "",
            "go_live_at": "", "expire_at": ""}
    data.update(overrides)
    return data


def test_event_and_capsule_editors_have_the_publishing_panel(coordinator_client, infoem):
    event = EventFactory(organizers=[infoem])
    capsule = VideoCapsuleFactory(institution=infoem)
    for url in (f"/admin/snippets/network/event/edit/{event.pk}/",
                f"/admin/snippets/network/videocapsule/edit/{capsule.pk}/"):
        html = coordinator_client.get(url).content.decode()
        assert 'name="go_live_at"' in html and 'name="expire_at"' in html, url
        assert "preview" in html  # Wagtail's preview panel is offered


def test_event_preview_renders_the_public_page_without_saving(officer_client, infoem):
    url = "/admin/snippets/network/event/preview/"
    response = officer_client.post(url, event_form(infoem))
    assert response.json() == {"is_valid": True, "is_available": True}
    page = officer_client.get(url)
    assert page.status_code == 200
    assert "Foro de vista previa" in page.content.decode()
    assert not Event.objects.filter(title="Foro de vista previa").exists()


def test_capsule_preview_renders_the_public_page(coordinator_client, infoem):
    capsule = VideoCapsuleFactory(institution=infoem, title="Cápsula a revisar")
    url = f"/admin/snippets/network/videocapsule/preview/{capsule.pk}/"
    data = {"title": "Cápsula revisada", "slug": capsule.slug, "summary": "",
            "institution": infoem.pk, "commission": "", "state": "", "recorded_on": "",
            "video_url": capsule.video_url, "video_file": "", "thumbnail": "", "transcript": "",
            "go_live_at": "", "expire_at": ""}
    assert coordinator_client.post(url, data).json()["is_valid"] is True
    html = coordinator_client.get(url).content.decode()
    assert "Cápsula revisada" in html and "youtube-nocookie.com/embed/" in html


def test_scheduled_event_goes_live_at_its_time(coordinator_client, infoem):
    later = timezone.localtime() + dt.timedelta(days=1)
    response = coordinator_client.post(
        "/admin/snippets/network/event/add/",
        event_form(infoem, title="Foro programado", go_live_at=later.strftime("%Y-%m-%d %H:%M"),
                   **{"action-publish": "publish"}),
    )
    assert response.status_code == 302
    event = Event.objects.get(title="Foro programado")
    assert not event.live and event.go_live_at is not None
    assert event.scheduled_revision is not None
