"""Forms whose many-to-many choices grow with the network (contacts, events) open Wagtail's
chooser instead of writing every row as an option: at 10,000 contacts the agreement's form took
4 s and the capsule's 5 s to open, and the line of action's form carried 2 MB of events."""

import pytest

from network import rules
from network.models import ActionLine, Agreement, Institution, VideoCapsule
from tests.factories import (
    ActionLineFactory,
    AgendaObjectiveFactory,
    AgreementFactory,
    EventFactory,
    JointAgendaFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
AGREEMENTS = "/admin/snippets/network/agreement/"
CAPSULES = "/admin/snippets/network/videocapsule/"
LINES = "/admin/snippets/network/actionline/"
EVENTS_CHOOSER = "/admin/red/eventos-vinculables/"


@pytest.mark.parametrize("url", [AGREEMENTS + "add/", CAPSULES + "add/"])
def test_contact_forms_do_not_write_every_contact(coordinator_client, url):
    people = [PersonFactory(name=f"Contacto Número {n:02d}") for n in range(12)]
    html = coordinator_client.get(url).content.decode()
    assert not [p.name for p in people if p.name in html]
    assert "Elegir contactos" in html


def test_agreement_keeps_the_chosen_contacts_and_saves_new_ones(coordinator_client, infoem):
    kept, added, other = (PersonFactory(name=name) for name in
                          ("Contacto Elegido", "Contacto Nuevo", "Contacto Sin Elegir"))
    agreement = AgreementFactory(institutions=[infoem])
    agreement.responsible.set([kept])
    agreement.save()
    edit = f"{AGREEMENTS}edit/{agreement.pk}/"
    html = coordinator_client.get(edit).content.decode()
    assert "Contacto Elegido" in html and "Contacto Sin Elegir" not in html
    data = {"title": agreement.title, "object": agreement.object, "obligations": "",
            "institutions": [infoem.pk], "other_parties": "", "municipality": "",
            "municipality_state": "", "responsible": [kept.pk, added.pk],
            "signed_on": agreement.signed_on.isoformat(), "valid_from": "", "valid_until": "",
            "status": agreement.status, "document": "", "is_public": "on"}
    response = coordinator_client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(Agreement.objects.get(pk=agreement.pk).responsible.all()) == {kept, added}
    assert other not in agreement.responsible.all()


def test_capsule_refuses_another_institutions_contact_in_spanish(officer_client, infoem):
    own = PersonFactory(name="Contacto Propio", institution=infoem)
    foreign = PersonFactory(name="Contacto Ajeno")
    data = {"title": "Cápsula nueva", "slug": "", "summary": "", "institution": infoem.pk,
            "commission": "", "state": "", "recorded_on": "",
            "video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "video_file": "",
            "thumbnail": "", "transcript": "", "people": [own.pk, foreign.pk],
            "go_live_at": "", "expire_at": ""}
    response = officer_client.post(CAPSULES + "add/", data)
    assert response.status_code == 200
    assert "Seleccione una opción válida" in response.content.decode()
    assert not VideoCapsule.objects.filter(title="Cápsula nueva").exists()


@pytest.fixture
def own_line(infoem):
    from network.models import Region

    objective = AgendaObjectiveFactory(
        agenda=JointAgendaFactory(region=Region.objects.get(slug="centro")))
    return ActionLineFactory(objective=objective, title="Línea del Centro", responsible=[infoem])


@pytest.fixture
def ivai_events(infoem):
    ivai = Institution.objects.get(acronym="IVAI")
    return {
        "draft": EventFactory(title="Foro en borrador de IVAI", live=False, organizers=[ivai]),
        "live": EventFactory(title="Foro publicado de IVAI", live=True, organizers=[ivai]),
        "own": EventFactory(title="Foro en borrador propio", live=False, organizers=[infoem]),
    }


def test_line_form_does_not_write_every_event(officer_client, own_line, ivai_events):
    for url in (LINES + "add/", f"{LINES}edit/{own_line.pk}/"):
        html = officer_client.get(url).content.decode()
        assert "Foro publicado de IVAI" not in html and "Foro en borrador propio" not in html
        assert "Elegir eventos" in html


def test_events_chooser_lists_what_an_officer_may_link(officer_client, ivai_events):
    """The same events the form's list offered: published ones and the officer's own drafts,
    never another institution's draft (its listing, search, results and chosen answers)."""
    for url in (EVENTS_CHOOSER, EVENTS_CHOOSER + "?q=Foro", EVENTS_CHOOSER + "results/?q=Foro"):
        html = officer_client.get(url).content.decode()
        assert "Foro publicado de IVAI" in html and "Foro en borrador propio" in html, url
        assert "Foro en borrador de IVAI" not in html, url
    draft = ivai_events["draft"]
    assert officer_client.get(f"{EVENTS_CHOOSER}chosen/{draft.pk}/").status_code == 404
    multiple = officer_client.get(f"{EVENTS_CHOOSER}chosen-multiple/?id={draft.pk}"
                                  f"&id={ivai_events['live'].pk}").content.decode()
    assert "Foro publicado de IVAI" in multiple and "Foro en borrador de IVAI" not in multiple


def test_line_refuses_another_institutions_draft_event_and_keeps_a_linked_one(
        officer_client, own_line, ivai_events):
    """An id posted by hand outside the chooser is refused in Spanish and nothing is saved;
    a draft linked before (by Coordinación) stays linked when the officer saves the line."""
    edit = f"{LINES}edit/{own_line.pk}/"
    data = {"objective": own_line.objective_id, "title": "Título cambiado", "description": "",
            "responsible": [i.pk for i in own_line.responsible.all()], "starts_on": "",
            "ends_on": "", "status": own_line.status,
            "events": [ivai_events["live"].pk, ivai_events["draft"].pk],
            "follow_ups-TOTAL_FORMS": "0", "follow_ups-INITIAL_FORMS": "0",
            "follow_ups-MIN_NUM_FORMS": "0", "follow_ups-MAX_NUM_FORMS": "1000"}
    response = officer_client.post(edit, data)
    assert response.status_code == 200
    assert "Seleccione una opción válida" in response.content.decode()
    line = ActionLine.objects.get(pk=own_line.pk)
    assert line.title == "Línea del Centro" and not line.events.exists()

    own_line.events.set([ivai_events["draft"]])  # linked by Coordinación
    own_line.save()
    html = officer_client.get(edit).content.decode()
    assert "Foro en borrador de IVAI" in html  # the officer sees what is linked
    response = officer_client.post(edit, {**data, "events": [ivai_events["draft"].pk,
                                                             ivai_events["live"].pk]})
    assert response.status_code == 302
    assert set(ActionLine.objects.get(pk=own_line.pk).events.all()) == {
        ivai_events["draft"], ivai_events["live"]}


def test_editorial_committee_cannot_use_the_events_chooser(client, ivai_events):
    user = UserFactory(username="editora", groups=[rules.EDITORIAL])
    client.force_login(user)
    response = client.get(EVENTS_CHOOSER)
    assert "Foro publicado de IVAI" not in response.content.decode()


# A number no database can hold: SQLite cannot even bind it, and the site-wide guard answers
# with its 400 page (hub.security); PostgreSQL finds no such row, and the form says so.
TOO_LARGE = ("número demasiado grande", "no es una de las opciones disponibles")


@pytest.mark.parametrize(("bad", "said"), [
    (str(2**63), TOO_LARGE), ("9" * 40, TOO_LARGE),
    ("-1", ("-1 no es una de las opciones disponibles",)),
    ("1\x00", ("Caracteres nulos no están",)), ("x", ("no es un valor válido",))])
def test_a_forged_contact_id_of_any_shape_is_refused_in_spanish(officer_client, infoem, bad,
                                                                said):
    """Ids typed by hand into the chooser's hidden inputs: too large for the database, negative,
    with a NUL byte or not a number. Each is refused in Spanish and nothing is saved; the
    form comes back with the valid choice still chosen, except where SQLite cannot bind a
    number that large and the site-wide guard answers with its Spanish 400 page."""
    own = PersonFactory(name="Contacto Propio", institution=infoem)
    data = {"title": "Cápsula forjada", "slug": "", "summary": "", "institution": infoem.pk,
            "commission": "", "state": "", "recorded_on": "",
            "video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "video_file": "",
            "thumbnail": "", "transcript": "", "people": [own.pk, bad],
            "go_live_at": "", "expire_at": ""}
    response = officer_client.post(CAPSULES + "add/", data)
    page = response.content.decode()
    assert any(words in page for words in said)
    if response.status_code != 400:
        assert response.status_code == 200 and "Contacto Propio" in page
    assert not VideoCapsule.objects.filter(title="Cápsula forjada").exists()
