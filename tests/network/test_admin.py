"""The network in the Wagtail admin: per-institution scope, validation in Spanish."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from network.models import Event, Institution, Person
from tests.factories import AgreementFactory, EventFactory, PersonFactory

pytestmark = pytest.mark.django_db

EMPTY_RICH_TEXT = '{"blocks": [], "entityMap": {}}'
PERSON_LIST = "/admin/snippets/network/person/"


def person_form(institution, **overrides):
    data = {"name": "Nueva Persona", "institution": institution.pk, "role": "comunicacion",
            "position": "Enlace", "email": "nueva@example.org", "phone": "",
            "telegram_handle": "", "telegram_chat_id": "", "in_network": "on", "active": "on"}
    data.update(overrides)
    return data


def test_officer_lists_only_contacts_of_their_institution(officer_client, infoem, itei):
    PersonFactory(name="Contacto Infoem", institution=infoem)
    PersonFactory(name="Contacto Itei", institution=itei)
    html = officer_client.get(PERSON_LIST).content.decode()
    assert "Contacto Infoem" in html and "Contacto Itei" not in html


def test_officer_cannot_open_or_delete_another_institutions_contact(officer_client, itei):
    other = PersonFactory(institution=itei)
    edit = officer_client.get(f"{PERSON_LIST}edit/{other.pk}/")
    assert edit.status_code in (302, 403, 404) and "Location" not in edit or \
        edit["Location"] == "/admin/"
    officer_client.post(f"{PERSON_LIST}delete/{other.pk}/")
    assert Person.objects.filter(pk=other.pk).exists()
    officer_client.post(f"{PERSON_LIST}edit/{other.pk}/", person_form(itei, name="Cambiado"))
    other.refresh_from_db()
    assert other.name != "Cambiado"


def test_officer_creates_contacts_only_for_their_institution(officer_client, infoem, itei):
    response = officer_client.post(f"{PERSON_LIST}add/", person_form(itei, email="a@b.org"))
    assert response.status_code == 200
    assert not Person.objects.filter(email="a@b.org").exists()
    response = officer_client.post(f"{PERSON_LIST}add/", person_form(infoem, email="c@d.org"))
    assert response.status_code == 302
    assert Person.objects.get(email="c@d.org").institution == infoem


def test_coordination_sees_and_edits_every_institution(coordinator_client, itei):
    person = PersonFactory(name="Contacto Itei", institution=itei)
    assert "Contacto Itei" in coordinator_client.get(PERSON_LIST).content.decode()
    response = coordinator_client.post(f"{PERSON_LIST}edit/{person.pk}/",
                                       person_form(itei, name="Nombre nuevo",
                                                   email=person.email))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Nombre nuevo"


def test_invalid_contact_gets_spanish_errors_and_changes_nothing(coordinator_client, infoem):
    response = coordinator_client.post(f"{PERSON_LIST}add/",
                                       person_form(infoem, email="no-es-correo"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "correo electrónico válida" in html
    assert not Person.objects.filter(name="Nueva Persona").exists()


def institution_form(**overrides):
    data = {"name": "Instituto Nuevo", "acronym": "INUEVO", "slug": "", "kind": "estatal",
            "state": "JAL", "region": "", "website": "", "email": "", "phone": "",
            "address": "", "x_handle": "", "facebook_url": "", "instagram_url": "",
            "youtube_url": "", "telegram_url": "", "valid_from": "", "valid_until": "",
            "notes": ""}
    data.update(overrides)
    return data


INSTITUTIONS = "/admin/snippets/network/institution/"


def test_duplicate_acronym_in_admin_is_refused_in_spanish(coordinator_client):
    before = Institution.objects.count()
    response = coordinator_client.post(f"{INSTITUTIONS}add/", institution_form(acronym="Infoem"))
    assert response.status_code == 200
    assert "Ya existe una institución con las siglas" in response.content.decode()
    assert Institution.objects.count() == before


def test_inverted_validity_in_admin_is_refused(coordinator_client):
    response = coordinator_client.post(f"{INSTITUTIONS}add/", institution_form(
        valid_from="2025-05-01", valid_until="2024-05-01", website="notaurl"))
    html = response.content.decode()
    assert "no puede ser anterior" in html and "URL válida" in html
    assert not Institution.objects.filter(acronym="INUEVO").exists()


def test_officer_edits_own_institution_but_not_others(officer_client, infoem, itei):
    response = officer_client.post(f"{INSTITUTIONS}edit/{infoem.pk}/", institution_form(
        name=infoem.name, acronym="INFOEM", state="MEX", x_handle="@infoem_nuevo"))
    assert response.status_code == 302
    infoem.refresh_from_db()
    assert infoem.x_handle == "infoem_nuevo"
    officer_client.post(f"{INSTITUTIONS}edit/{itei.pk}/", institution_form(
        name="Hackeado", acronym="ITEI", state="JAL"))
    itei.refresh_from_db()
    assert itei.name != "Hackeado"


def _png(size=(64, 64), pad_bytes=0):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue() + b"\0" * pad_bytes


def test_logo_upload_refuses_non_images_and_oversized_files(coordinator_client):
    from wagtail.images.models import Image as WagtailImage

    fake = SimpleUploadedFile("logo.png", b"esto no es una imagen", content_type="image/png")
    response = coordinator_client.post("/admin/images/add/", {"title": "Logo", "file": fake})
    assert response.status_code == 200
    assert "no es una imagen válida" in response.content.decode().lower() or \
        "formato" in response.content.decode().lower()
    big = SimpleUploadedFile("logo.png", _png(pad_bytes=6 * 1024 * 1024), content_type="image/png")
    response = coordinator_client.post("/admin/images/add/", {"title": "Logo", "file": big})
    assert response.status_code == 200
    assert not WagtailImage.objects.exists()


def test_logo_over_the_logo_limit_is_refused_on_the_institution(coordinator_client, infoem):
    from django.core.files.base import ContentFile
    from wagtail.images.models import Image as WagtailImage

    heavy = WagtailImage.objects.create(title="Pesado", file=ContentFile(
        _png(pad_bytes=2 * 1024 * 1024), name="pesado.png"))
    response = coordinator_client.post(f"{INSTITUTIONS}edit/{infoem.pk}/", institution_form(
        name=infoem.name, acronym="INFOEM", state="MEX", logo=heavy.pk))
    assert response.status_code == 200
    assert "El logotipo pesa" in response.content.decode()
    infoem.refresh_from_db()
    assert infoem.logo_id is None


def test_event_with_end_before_start_is_refused_in_admin(officer_client, infoem):
    start = timezone.localtime() + dt.timedelta(days=5)
    data = {"title": "Foro", "slug": "", "kind": "foro", "mode": "presencial", "summary": "",
            "description": EMPTY_RICH_TEXT, "starts_at": start.strftime("%Y-%m-%d %H:%M"),
            "ends_at": (start - dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
            "venue": "Auditorio", "state": "", "online_url": "", "registration_url": "",
            "audience": "", "organizers": [infoem.pk], "commission": ""}
    response = officer_client.post("/admin/snippets/network/event/add/", data)
    assert response.status_code == 200
    assert "El evento no puede terminar antes de empezar." in response.content.decode()
    assert not Event.objects.filter(title="Foro").exists()


def test_officer_event_must_include_their_institution(officer_client, itei):
    start = timezone.localtime() + dt.timedelta(days=5)
    data = {"title": "Foro ajeno", "slug": "", "kind": "foro", "mode": "presencial",
            "summary": "", "description": EMPTY_RICH_TEXT, "starts_at": start.strftime("%Y-%m-%d %H:%M"),
            "ends_at": "", "venue": "Auditorio", "state": "", "online_url": "",
            "registration_url": "", "audience": "", "organizers": [itei.pk], "commission": ""}
    response = officer_client.post("/admin/snippets/network/event/add/", data)
    assert "Solo puede registrar información de su propia institución" in \
        response.content.decode()
    assert not Event.objects.filter(title="Foro ajeno").exists()


def test_expired_agreements_are_flagged_in_the_listing(coordinator_client):
    AgreementFactory(title="Convenio vencido",
                     valid_until=timezone.localdate() - dt.timedelta(days=3))
    AgreementFactory(title="Convenio al día")
    html = coordinator_client.get("/admin/snippets/network/agreement/").content.decode()
    assert "Vencido" in html
    expired_only = coordinator_client.get("/admin/snippets/network/agreement/?expired=true")
    assert "Convenio vencido" in expired_only.content.decode()
    assert "Convenio al día" not in expired_only.content.decode()


def test_dashboard_shows_expiring_agreements_to_coordination(coordinator_client):
    AgreementFactory(title="Convenio por vencer",
                     valid_until=timezone.localdate() + dt.timedelta(days=5))
    assert "Convenio por vencer" in coordinator_client.get("/admin/").content.decode()


def test_admin_is_in_spanish(coordinator_client):
    html = coordinator_client.get("/admin/").content.decode()
    assert "Red SNT" in html and ("Panel" in html or "Páginas" in html)


def test_admin_search_finds_contacts(coordinator_client, infoem):
    PersonFactory(name="Guadalupe Encontrable", institution=infoem)
    PersonFactory(name="Otro Nombre", institution=infoem)
    html = coordinator_client.get(f"{PERSON_LIST}?q=Encontrable").content.decode()
    assert "Guadalupe Encontrable" in html and "Otro Nombre" not in html


def test_jury_members_have_no_admin_access(client):
    from tests.factories import UserFactory

    juror = UserFactory(username="jurado1", groups=["Jurado"], is_staff=False)
    client.force_login(juror)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model", ["institution", "person", "event", "videocapsule",
                                   "agreement", "ally", "commission", "region",
                                   "staffprofile"])
def test_every_network_listing_searches_and_filters_without_errors(coordinator_client, model):
    base = f"/admin/snippets/network/{model}/"
    assert coordinator_client.get(base).status_code == 200
    assert coordinator_client.get(f"{base}?q=transparencia").status_code == 200
    assert coordinator_client.get(f"{base}add/").status_code == 200


def test_event_listing_shows_future_starts_as_mexico_city_dates(coordinator_client, infoem):
    start = dt.datetime(2031, 3, 14, 2, 30, tzinfo=dt.UTC)  # 13/03/2031 20:30 in Mexico City
    EventFactory(title="Foro del futuro", organizers=[infoem], starts_at=start)
    html = coordinator_client.get("/admin/snippets/network/event/").content.decode()
    row = html[html.index("Foro del futuro"):]
    row = row[:row.index("</tr>")]
    assert "13/03/2031 20:30" in row
    assert "Justo ahora" not in row and "Just now" not in row


@pytest.mark.parametrize("model,query,own", [("institution", "INFOEM", "INFOEM"),
                                              ("event", "Foro", "Foro propio"),
                                              ("videocapsule", "Cápsula", "Cápsula propia")])
def test_officer_can_search_their_scoped_listings(officer_client, infoem, itei, model, query,
                                                  own):
    from tests.factories import VideoCapsuleFactory

    EventFactory(title="Foro propio", organizers=[infoem])
    EventFactory(title="Foro ajeno", organizers=[itei])
    VideoCapsuleFactory(title="Cápsula propia", institution=infoem)
    VideoCapsuleFactory(title="Cápsula ajena", institution=itei)
    response = officer_client.get(f"/admin/snippets/network/{model}/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert own in html
    assert "Foro ajeno" not in html and "Cápsula ajena" not in html
    assert "ITEI</a>" not in html  # another institution's row is not listed


def test_who_is_assigned_where_is_not_in_anyone_elses_chooser(client, officer, coordinator, itei):
    from network import rules
    from network.models import StaffProfile
    from tests.factories import UserFactory

    editor = UserFactory(username="comite", groups=[rules.EDITORIAL])
    other = UserFactory(username="oficial-itei", groups=[rules.COMMUNICATIONS])
    StaffProfile.objects.create(user=other, institution=itei)
    pk = officer.staff_profile.pk
    for user in (editor, other):
        client.force_login(user)
        response = client.get("/admin/snippets/choose/network/staffprofile/chosen-multiple/",
                              {"id": [pk]})
        assert officer.username not in response.content.decode(), user.username
    client.force_login(coordinator)
    response = client.get("/admin/snippets/choose/network/staffprofile/chosen-multiple/",
                          {"id": [pk]})
    assert officer.username in response.content.decode()


def test_the_adscription_form_offers_staff_users_only(coordinator_client, infoem):
    """Anyone may open an entrant's account: the «Adscripción de usuarios» form listed every
    entrant and juror (10,000 options, 1.3 MB, with a busy contest) and tied one to an
    institution if chosen. It offers the staff; another id is refused and nothing is saved."""
    from network.models import StaffProfile
    from tests.factories import UserFactory

    officer = UserFactory(username="oficial-nuevo", groups=["Comunicación"], is_staff=False)
    entrant = UserFactory(username="participante-x", is_staff=False)
    juror = UserFactory(username="jurado-x", groups=["Jurado"], is_staff=False)
    form = coordinator_client.get("/admin/snippets/network/staffprofile/add/").context["form"]
    offered = set(form.fields["user"].queryset)
    assert officer in offered and entrant not in offered and juror not in offered
    from network import rules
    assert all((user in offered) == rules.is_staff_member(user) for user in (officer, entrant, juror))
    response = coordinator_client.post("/admin/snippets/network/staffprofile/add/",
                                       {"user": entrant.pk, "institution": infoem.pk})
    assert response.status_code == 200 and "user" in response.context["form"].errors
    assert not StaffProfile.objects.filter(user=entrant).exists()
    response = coordinator_client.post("/admin/snippets/network/staffprofile/add/",
                                       {"user": officer.pk, "institution": infoem.pk})
    assert response.status_code == 302
    assert StaffProfile.objects.get(user=officer).institution == infoem
