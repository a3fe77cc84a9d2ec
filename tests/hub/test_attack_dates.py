"""A date typed in any admin form (events, contest calls, pages' publishing schedule...) with a
year no one means (9999, 0001) is refused on its field with a Spanish message, and the form
comes back with everything else typed: before, 31/12/9999 23:59 as an event's start could not
be stored in UTC and answered a bare 400 page that lost the form, and a call closing on
31/12/9999 with minutes of grace was saved, after which the contests index, the home page
and the dashboard answered 500 for everyone (its deadline overflowed in SQL). A good date is
kept exactly as typed, in Mexico City time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django import forms

from network.models import Event
from tests.network.test_admin import EMPTY_RICH_TEXT

pytestmark = pytest.mark.django_db
MEXICO_CITY = ZoneInfo("America/Mexico_City")
MESSAGE = "Escriba un año entre 1900 y 2999."


def _event(infoem, **dates):
    return {"title": "Foro de datos", "slug": "", "kind": "foro", "mode": "presencial",
            "summary": "", "description": EMPTY_RICH_TEXT, "ends_at": "", "venue": "Auditorio",
            "state": "", "online_url": "", "registration_url": "", "audience": "",
            "organizers": [infoem.pk], "commission": "", "capacity": "",
            "registration_deadline": "", **dates}


@pytest.mark.parametrize("field, value", [
    ("starts_at", "31/12/9999 23:59"), ("starts_at", "9999-12-31 12:00"),
    ("starts_at", "01/01/0001 00:00"), ("starts_at", "31/12/1899 23:59"),
    ("ends_at", "31/12/9999 23:59"), ("registration_deadline", "01/01/0001 00:00"),
])
def test_an_event_date_in_an_absurd_year_is_refused_on_its_field(officer_client, infoem,
                                                                  field, value):
    data = _event(infoem, starts_at="10/03/2027 10:00")
    data[field] = value
    response = officer_client.post("/admin/snippets/network/event/add/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert MESSAGE in html
    assert "Foro de datos" in html  # the rest of the form is still there
    assert not Event.objects.filter(title="Foro de datos").exists()


def test_a_good_event_date_is_kept_exactly(officer_client, infoem):
    response = officer_client.post("/admin/snippets/network/event/add/", _event(
        infoem, starts_at="31/12/2999 18:30", ends_at="31/12/2999 20:00"))
    assert response.status_code == 302
    event = Event.objects.get(title="Foro de datos")
    assert event.starts_at == dt.datetime(2999, 12, 31, 18, 30, tzinfo=MEXICO_CITY)
    assert event.ends_at == dt.datetime(2999, 12, 31, 20, 0, tzinfo=MEXICO_CITY)


def test_contest_call_and_publishing_dates_are_bounded_too():
    from contests.models import ContestCallPage

    form_class = ContestCallPage.get_edit_handler().get_form_class()
    for name in ("opens_at", "closes_at", "results_at", "go_live_at", "expire_at"):
        field = form_class.base_fields[name]
        with pytest.raises(forms.ValidationError) as refused:
            field.clean("31/12/9999 12:00")
        assert refused.value.messages == [MESSAGE], name
        assert field.clean("26/11/2027 15:30") == dt.datetime(2027, 11, 26, 15, 30,
                                                              tzinfo=MEXICO_CITY)
    for name in ("jury_starts_on", "jury_ends_on"):
        field = form_class.base_fields[name]
        with pytest.raises(forms.ValidationError):
            field.clean("31/12/9999")
        assert field.clean("26/11/2027") == dt.date(2027, 11, 26)


def test_bounded_date_fields_are_still_styled_and_placed_as_wagtail_dates():
    """Wagtail sizes a field, and places its date picker, by the name of its form field's class
    (``w-field--date_field``): bounded dates under another name were drawn full width and the
    picker ended up over *Guardar*."""
    from wagtail.admin.panels import get_edit_handler
    from wagtail.admin.templatetags.wagtailadmin_tags import fieldtype

    from contests.models import ContestCallPage
    from publications.models import Reform

    assert fieldtype(get_edit_handler(Reform).get_form_class()()["dof_date"]) == "date_field"
    call_form = ContestCallPage.get_edit_handler().get_form_class()(for_user=None)
    assert fieldtype(call_form["closes_at"]) == "date_time_field"
