"""The network's permission predicates: one rule, asked alike by admin, views and domain code."""

import pytest

from network import rules
from network.models import Event, Person, StaffProfile
from tests.factories import EventFactory, PersonFactory, UserFactory, VideoCapsuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return UserFactory(username="editora", groups=[rules.EDITORIAL])


def test_coordinator_acts_on_every_institution(coordinator, itei):
    assert rules.is_coordinator(coordinator)
    assert rules.can_act_for_institution(coordinator, itei.pk)
    assert coordinator.has_perm("network.act_on_row", PersonFactory(institution=itei))


def test_officer_acts_only_for_their_institution(officer, infoem, itei):
    assert rules.is_officer(officer) and not rules.is_coordinator(officer)
    assert rules.officer_institution_id(officer) == infoem.pk
    assert rules.can_act_for_institution(officer, infoem.pk)
    assert rules.can_act_for_institution(officer, infoem)
    assert not rules.can_act_for_institution(officer, itei.pk)
    assert not rules.can_act_for_institution(officer, None)
    own, other = PersonFactory(institution=infoem), PersonFactory(institution=itei)
    assert rules.is_officer_of(officer, own) and not rules.is_officer_of(officer, other)
    assert officer.has_perm("network.act_on_row", own)
    assert not officer.has_perm("network.act_on_row", other)


def test_officer_of_an_event_is_any_organizer(officer, infoem, itei):
    shared = EventFactory(organizers=[infoem, itei])
    foreign = EventFactory(organizers=[itei])
    assert rules.can_act_on(officer, shared)
    assert not rules.can_act_on(officer, foreign)
    scoped = rules.scope_queryset(officer, Event.objects.all())
    assert list(scoped) == [shared]


def test_capsule_scope_follows_its_institution(officer, infoem, itei):
    assert rules.can_act_on(officer, VideoCapsuleFactory(institution=infoem))
    assert not rules.can_act_on(officer, VideoCapsuleFactory(institution=itei))


def test_officer_without_institution_sees_nothing(db, infoem):
    user = UserFactory(username="sin-adscripcion", groups=[rules.COMMUNICATIONS])
    PersonFactory(institution=infoem)
    assert not rules.scope_queryset(user, Person.objects.all()).exists()
    assert not rules.can_act_on(user, PersonFactory(institution=infoem))


def test_editorial_committee_never_sees_contacts(editor, infoem):
    StaffProfile.objects.create(user=editor, institution=infoem)
    PersonFactory(institution=infoem)
    assert not rules.can_view_contacts(editor)
    assert not editor.has_perm("network.view_contacts")
    assert not rules.scope_queryset(editor, Person.objects.all()).exists()


def test_anonymous_visitors_have_no_role(rf, itei):
    from django.contrib.auth.models import AnonymousUser

    nobody = AnonymousUser()
    assert not rules.is_coordinator(nobody) and not rules.is_officer(nobody)
    assert not rules.is_staff_member(nobody)
    assert not rules.can_act_for_institution(nobody, itei.pk)


def test_staff_member_is_a_staff_group_not_a_juror(db, coordinator, officer, editor):
    juror = UserFactory(username="jurado", is_staff=False, groups=[rules.JURY])
    entrant = UserFactory(username="participante", is_staff=False)
    assert all(rules.is_staff_member(u) for u in (coordinator, officer, editor))
    assert not rules.is_staff_member(juror) and not rules.is_staff_member(entrant)
