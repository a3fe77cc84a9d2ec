import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from network.enums import AgreementStatus, EventMode
from network.models import Agreement, Event, Institution, Person
from tests.factories import (
    AgreementFactory,
    EventFactory,
    InstitutionFactory,
    PersonFactory,
    VideoCapsuleFactory,
)

pytestmark = pytest.mark.django_db


def test_reference_data_has_the_national_guarantor_and_32_state_bodies():
    current = Institution.objects.current()
    assert current.count() == 33
    assert current.filter(kind="estatal").count() == 32
    assert set(current.filter(kind="estatal").values_list("state", flat=True)).__len__() == 32
    sureste = {"VER", "TAB", "CAMP", "CHIS", "YUC", "QROO"}
    assert set(current.filter(region__slug="sureste").values_list("state", flat=True)) == sureste


def test_dissolved_institution_keeps_history_and_links_to_its_successor():
    inai = Institution.objects.get(acronym="INAI")
    assert not inai.is_current
    assert [s.acronym for s in inai.successors.all()] == ["TPP"]


def test_duplicate_acronym_is_refused_ignoring_case():
    institution = Institution(name="Otro instituto", acronym="infoem", state="MEX")
    with pytest.raises(ValidationError) as error:
        institution.full_clean()
    assert "Ya existe una institución con las siglas" in str(error.value.message_dict["acronym"])


def test_validity_end_before_start_is_refused():
    institution = InstitutionFactory.build(valid_from=dt.date(2024, 5, 1),
                                           valid_until=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        institution.full_clean()
    assert "valid_until" in error.value.message_dict


def test_state_body_needs_its_state():
    institution = InstitutionFactory.build(state="")
    with pytest.raises(ValidationError) as error:
        institution.full_clean()
    assert "state" in error.value.message_dict


def test_institution_slug_is_generated_from_acronym_and_unique():
    first = InstitutionFactory(acronym="IT A")
    second = Institution(name="Otro", acronym="IT-A", state="JAL")
    second.save()
    assert first.slug == "it-a"
    assert second.slug == "it-a-2"


def test_event_ending_before_it_starts_is_refused():
    start = timezone.now() + dt.timedelta(days=1)
    event = EventFactory.build(starts_at=start, ends_at=start - dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["ends_at"] == ["El evento no puede terminar antes de empezar."]


def test_online_event_needs_a_link():
    event = EventFactory.build(mode=EventMode.ONLINE, online_url="", venue="")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "online_url" in error.value.message_dict


def test_invalid_email_and_url_get_spanish_messages():
    person = PersonFactory.build(email="no-es-correo", institution=None)
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "correo electrónico válida" in str(error.value.message_dict["email"])
    institution = InstitutionFactory.build(website="sitio sin esquema")
    with pytest.raises(ValidationError) as error:
        institution.full_clean()
    assert "URL válida" in str(error.value.message_dict["website"])


def test_publishing_a_contact_field_that_is_empty_is_refused():
    person = PersonFactory.build(email="", email_public=True, institution=None)
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "email_public" in error.value.message_dict


def test_public_contact_shows_only_fields_marked_public():
    person = PersonFactory(is_public=True, email_public=True, phone_public=False)
    assert person.public_contact() == {"email": person.email}


def test_event_windows_upcoming_past_and_overlapping():
    now = timezone.now()
    past = EventFactory(starts_at=now - dt.timedelta(days=2))
    running = EventFactory(starts_at=now - dt.timedelta(hours=1),
                           ends_at=now + dt.timedelta(hours=1))
    future = EventFactory(starts_at=now + dt.timedelta(days=2))
    assert list(Event.objects.upcoming(now)) == [running, future]
    assert list(Event.objects.past(now)) == [past]
    window = Event.objects.between(now - dt.timedelta(hours=2), now)
    assert list(window) == [running]


def test_agreement_expired_and_expiring_querysets():
    today = timezone.localdate()
    expired = AgreementFactory(valid_until=today - dt.timedelta(days=1))
    soon = AgreementFactory(valid_until=today + dt.timedelta(days=10))
    AgreementFactory(valid_until=today + dt.timedelta(days=300))
    AgreementFactory(valid_until=today - dt.timedelta(days=5), status=AgreementStatus.CONCLUDED)
    assert list(Agreement.objects.expired()) == [expired]
    assert expired.is_expired and not soon.is_expired
    assert list(Agreement.objects.expiring_within(30)) == [soon]


def test_agreement_expiry_before_signature_is_refused():
    agreement = AgreementFactory.build(signed_on=dt.date(2025, 6, 1), valid_from=None,
                                       valid_until=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "valid_until" in error.value.message_dict


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=abc123XYZ_-", "https://www.youtube-nocookie.com/embed/abc123XYZ_-"),
        ("https://youtu.be/abc123", "https://www.youtube-nocookie.com/embed/abc123"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://example.org/video.mp4", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_capsule_embed_src_accepts_only_youtube_and_vimeo(url, expected):
    capsule = VideoCapsuleFactory.build(video_url=url)
    assert capsule.embed_src == expected


def test_capsule_needs_a_video():
    capsule = VideoCapsuleFactory.build(video_url="", institution=None)
    with pytest.raises(ValidationError):
        capsule.full_clean()


def test_person_str_names_the_institution(infoem):
    assert str(Person(name="Ana", institution=infoem)) == "Ana (INFOEM)"


def test_every_network_model_has_a_factory_that_builds_a_valid_row():
    from django.apps import apps

    from tests import factories

    made = {f._meta.model for f in vars(factories).values()
            if isinstance(f, type) and issubclass(f, factories.factory.django.DjangoModelFactory)
            and f is not factories.factory.django.DjangoModelFactory}
    missing = [m.__name__ for m in apps.get_app_config("network").get_models() if m not in made]
    assert missing == []
    for name in ("CommissionMembershipFactory", "AllyContactFactory", "StaffProfileFactory",
                 "ImportBatchFactory", "RegionFactory", "MilestoneFactory",
                 "MilestoneReminderFactory", "SurveyResponseFactory"):
        row = getattr(factories, name)()
        row.full_clean(exclude=["errors"])  # an import without errors has an empty list
