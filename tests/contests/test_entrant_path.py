"""The entrant's path: *Participar* → sign up → confirm the e-mail → the wizard of that call,
with the step indicator, the guardian's section only for minors, no education level chosen
for them, and a player for their own files that nobody else can open."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core import mail
from django.test import Client

from contests.accounts import local_path
from contests.models import EntrantProfile, Entry
from tests.contests.conftest import close, make_entrant, upload
from tests.contests.files_factory import mp3_bytes, mp4_bytes, png_bytes

pytestmark = pytest.mark.django_db

PASSWORD = "una-clave-larga-2026"


def sign_up(client, email: str, next_url: str):
    return client.post("/cuentas/signup/", {"email": email, "password1": PASSWORD,
                                            "password2": PASSWORD, "next": next_url})


def confirmation_path() -> str:
    link = re.search(r"http://testserver(/cuentas/confirm-email/\S+)", mail.outbox[-1].body).group(1)
    return link


def test_participar_sends_a_newcomer_to_sign_up_and_back(site, call):
    client = Client()
    wizard = f"/concursos/convocatoria/{call.pk}/participar/"
    response = client.get(wizard)
    assert response.status_code == 302
    assert response["Location"].startswith("/cuentas/signup/")
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [wizard]

    page = client.get(response["Location"]).content.decode()
    assert "Crear cuenta" in page
    login_link = re.search(r'href="(/cuentas/login/[^"]*)"[^>]*>¿Ya tiene cuenta\? Inicie sesión', page)
    assert login_link and "next=" + wizard.replace("/", "%2F") in login_link.group(1)

    assert sign_up(client, "nueva@example.org", wizard).status_code == 302
    path = confirmation_path()
    assert "continuar=" in path  # the way back survives another browser
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == wizard
    # The wizard then asks for the profile first, and comes back to the call.
    profile = client.get(wizard)
    assert profile["Location"] == f"/concursos/perfil/?next={wizard}"


def test_a_confirmation_opened_in_another_browser_signs_in_and_goes_on(site, call):
    wizard = f"/concursos/convocatoria/{call.pk}/participar/"
    sign_up(Client(), "movil@example.org", wizard)
    phone = Client()  # no session of the sign-up
    path = confirmation_path()
    assert phone.get(path).status_code == 200
    response = phone.post(path)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == "/cuentas/login/" and parse_qs(target.query)["next"] == [wizard]
    signed_in = phone.post(response["Location"], {"login": "movil@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == wizard


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/", "/\\evil.example/",
                                  "javascript:alert(1)", "http://testserver.evil.example/",
                                  "/concursos/\r\nLocation: https://evil.example/"])
def test_the_way_back_only_goes_to_this_site(site, call, evil):
    client = Client()
    sign_up(client, "atacada@example.org", evil)
    path = confirmation_path()
    assert "continuar=" not in path and "evil" not in mail.outbox[-1].body
    # A link tampered with afterwards does not lead off the site either.
    phone = Client()
    response = phone.post(f"{path}?{urlencode({'continuar': evil})}")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert not target.scheme and not target.netloc and target.path.startswith("/")
    assert all(local_path(value) for value in parse_qs(target.query).get("next", []))


def test_local_path_accepts_only_paths_of_this_site():
    assert local_path("/concursos/convocatoria/3/participar/") == "/concursos/convocatoria/3/participar/"
    for value in ("https://evil.example/", "//evil.example", "/\\evil", "concursos/", "", None,
                  "/a\x00b", "/a\nb", "/" + "a" * 600):
        assert local_path(value) is None


def test_account_pages_are_in_the_site_shell_with_errors_next_to_fields(site):
    client = Client()
    for url in ("/cuentas/signup/", "/cuentas/login/", "/cuentas/password/reset/"):
        page = client.get(url).content.decode()
        assert 'class="site-header"' in page and 'class="site-footer"' in page, url
        assert "contests/entrants.css" in page
    response = client.post("/cuentas/signup/", {"email": "no-es-correo", "password1": "x",
                                                "password2": "y"})
    page = response.content.decode()
    assert response.status_code == 200
    field = re.search(r'<div class="field has-error">.*?</div>', page, re.S).group(0)
    assert 'id="id_email"' in field and "errorlist" in field
    assert 'for="id_email"' in field


def test_every_wizard_step_says_which_step_it_is(site, call, entrant_client, entrant):
    from tests.contests.conftest import category

    start = entrant_client.get(f"/concursos/convocatoria/{call.pk}/participar/").content.decode()
    assert "Paso 2 de 4: Categoría" in start and '<li class="" aria-current="step">Categoría' in start
    entrant_client.post(f"/concursos/convocatoria/{call.pk}/participar/", {
        "category": category(call, "SPOT").pk, "title": "La transparencia suena",
        "client_token": "tok-1"})
    entry = Entry.objects.get(owner=entrant)
    page = entrant_client.get(entry.get_absolute_url()).content.decode()
    assert "Paso 3 de 4: Obra" in page and 'aria-current="step">Obra' in page

    EntrantProfile.objects.filter(user=entrant).delete()
    profile = entrant_client.get("/concursos/perfil/").content.decode()
    assert "Paso 1 de 4: Perfil" in profile


PROFILE = {"full_name": "Persona Adulta", "birth_date": "1990-01-01", "state": "OAX",
           "school": "UABJO", "accept_privacy": "on", "education_level": "licenciatura"}


def test_no_education_level_is_chosen_for_the_entrant(site, entrant_client, entrant):
    EntrantProfile.objects.filter(user=entrant).delete()
    page = entrant_client.get("/concursos/perfil/").content.decode()
    for name in ("education_level", "state"):  # both lists start alike, with nothing chosen
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
        assert '<option value="" selected>Elija…</option>' in select, name
        assert select.count("selected") == 1 and "---------" not in select, name
    response = entrant_client.post("/concursos/perfil/", {**PROFILE, "education_level": ""})
    assert response.status_code == 200 and not EntrantProfile.objects.filter(user=entrant).exists()
    assert re.search(r'<div class="field has-error">\s*<label for="id_education_level"',
                     response.content.decode())


def test_the_guardian_section_is_only_for_minors(site, entrant_client, entrant):
    EntrantProfile.objects.filter(user=entrant).delete()
    page = entrant_client.get("/concursos/perfil/").content.decode()
    assert "<fieldset data-guardian hidden>" in page
    # A minor's date sent without the guardian: the section shows, with its errors.
    response = entrant_client.post("/concursos/perfil/", {**PROFILE, "birth_date": "2014-05-05",
                                                          "education_level": "primaria"})
    page = response.content.decode()
    assert "<fieldset data-guardian>" in page and "Obligatorio para menores de edad" in page
    assert not EntrantProfile.objects.filter(user=entrant).exists()


def test_an_adult_keeps_no_guardian_data_whatever_is_posted(site, entrant_client, entrant):
    EntrantProfile.objects.filter(user=entrant).delete()
    response = entrant_client.post("/concursos/perfil/", {
        **PROFILE, "guardian_name": "Alguien", "guardian_relationship": "tío",
        "guardian_email": "alguien@example.org", "guardian_consent": "on"})
    assert response.status_code == 302
    profile = EntrantProfile.objects.get(user=entrant)
    assert (profile.guardian_name, profile.guardian_relationship, profile.guardian_email,
            profile.guardian_consent_at) == ("", "", "", None)
    assert not mail.outbox  # no guardian was told anything
    page = entrant_client.get("/concursos/perfil/").content.decode()
    assert "<fieldset data-guardian hidden>" in page


def _draft(client, call, code, title="Mi obra"):
    from tests.contests.conftest import category

    client.post(f"/concursos/convocatoria/{call.pk}/participar/", {
        "category": category(call, code).pk, "title": title, "client_token": f"tok-{code}"})


def test_own_audio_video_and_images_are_previewed_on_the_wizard(site, call, client):
    user = make_entrant("ana", birth="1999-01-01", level="licenciatura")
    client.force_login(user)
    _draft(client, call, "SPOT")
    _draft(client, call, "VID")
    spot, video = Entry.objects.filter(owner=user).order_by("category__sort_order")
    assert upload(client, spot, "audio", mp3_bytes(10.0), "spot.mp3").status_code == 200
    assert upload(client, video, "video", mp4_bytes(), "video.mp4").status_code == 200

    page = client.get(spot.get_absolute_url()).content.decode()
    audio = re.search(r'<audio[^>]*data-preview="audio"[^>]*>', page).group(0)
    src = re.search(r'src="([^"]+)"', audio).group(1)
    played = client.get(src.replace("&amp;", "&"))
    assert played.status_code == 200 and played["Content-Type"] == "audio/mpeg"
    assert played["Content-Disposition"].startswith("inline")
    close(played)

    page = client.get(video.get_absolute_url()).content.decode()
    assert re.search(r'<video[^>]*data-preview="video"', page)


def test_a_player_can_seek_in_an_own_file(site, call, client):
    """Audio and video players ask for byte ranges to seek; the answer is that part only."""
    owner = make_entrant("ana", birth="1999-01-01")
    client.force_login(owner)
    _draft(client, call, "SPOT")
    entry = Entry.objects.get(owner=owner)
    audio = mp3_bytes(10.0)
    upload(client, entry, "audio", audio, "spot.mp3")
    url = f"/concursos/archivo/{entry.files.get().pk}/?ver=1"

    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == audio
    close(whole)

    for header, first, last in (("bytes=100-199", 100, 199), ("bytes=-50", len(audio) - 50,
                                len(audio) - 1), (f"bytes={len(audio) - 10}-", len(audio) - 10,
                                len(audio) - 1), ("bytes=0-999999999", 0, len(audio) - 1)):
        part = client.get(url, HTTP_RANGE=header)
        assert part.status_code == 206, header
        assert part["Content-Range"] == f"bytes {first}-{last}/{len(audio)}"
        assert part["Content-Type"] == "audio/mpeg" and part["Content-Disposition"].startswith(
            "inline")
        assert b"".join(part.streaming_content) == audio[first:last + 1]
        close(part)

    past = client.get(url, HTTP_RANGE=f"bytes={len(audio)}-")
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{len(audio)}"
    for ignored in ("bytes=0-1,5-9", "items=0-9", "bytes=abc"):
        response = client.get(url, HTTP_RANGE=ignored)
        assert response.status_code == 200, ignored
        close(response)
    assert Client().get(url, HTTP_RANGE="bytes=0-9").status_code == 404


def test_a_drawing_shows_a_thumbnail(site, client):
    from tests.contests.factories import CallFactory

    call = CallFactory(phase="open")
    child = make_entrant("nina", birth="2015-02-02", level="primaria")
    client.force_login(child)
    _draft(client, call, "DIB")
    entry = Entry.objects.get(owner=child)
    assert upload(client, entry, "image", png_bytes(40, 30), "dibujo.png").status_code == 200
    page = client.get(entry.get_absolute_url()).content.decode()
    assert re.search(r'<img class="preview preview-image" src="/concursos/archivo/\d+/\?ver=1" '
                     r'alt="Vista previa de dibujo.png"', page)


def test_nobody_else_can_play_an_entrants_file(site, call, client):
    owner = make_entrant("ana", birth="1999-01-01")
    client.force_login(owner)
    _draft(client, call, "SPOT")
    entry = Entry.objects.get(owner=owner)
    upload(client, entry, "audio", mp3_bytes(10.0), "spot.mp3")
    file_id = entry.files.get().pk

    intruder = Client()
    assert intruder.get(f"/concursos/archivo/{file_id}/?ver=1").status_code == 404
    intruder.force_login(make_entrant("mario"))
    for url in (f"/concursos/archivo/{file_id}/?ver=1", f"/concursos/archivo/{file_id}/",
                "/concursos/archivo/999999999999/?ver=1", "/concursos/archivo/99999999999999999999999/"):
        assert intruder.get(url).status_code == 404, url


def _form_of_the_send_button(page: str) -> tuple[str, list[str]]:
    """What a browser posts when «Enviar participación» is pressed: the button's own form (its
    ``form`` attribute, else the form around it), sent to its ``formaction`` or that form's
    action. Returns the address and the names of the fields that go with it."""
    button = re.search(r"<button[^>]*>\s*Enviar participación\s*</button>", page)
    assert button, "no «Enviar participación» button"
    tag = button.group(0)
    owner = re.search(r'\sform="([^"]+)"', tag)
    if owner:
        form = re.search(r'<form[^>]*id="' + re.escape(owner.group(1)) + r'"[^>]*>(.*?)</form>', page,
                         re.S)
    else:
        form = list(re.finditer(r"<form[^>]*>(.*?)</form>", page[:button.end()] + "</form>", re.S))[-1]
    action = re.search(r'\sformaction="([^"]+)"', tag) or re.search(r'\saction="([^"]+)"', form.group(0))
    names = re.findall(r'\sname="([^"]+)"', form.group(1))
    return action.group(1), names


def test_what_was_typed_in_the_work_details_goes_with_enviar_participacion(site, call, client):
    """The details («Datos de la obra») had their own form and «Guardar borrador»: an entrant who
    typed the synopsis and then pressed «Enviar participación» got a receipt and lost the
    synopsis. The button now sends the details along, saved before the entry is sent."""
    user = make_entrant("beto", birth="1999-01-01", level="licenciatura")
    client.force_login(user)
    _draft(client, call, "SPOT")
    entry = Entry.objects.get(owner=user)
    assert upload(client, entry, "audio", mp3_bytes(10.0), "spot.mp3").status_code == 200
    page = client.get(entry.get_absolute_url()).content.decode()
    action, names = _form_of_the_send_button(page)
    assert "summary" in names and "title" in names
    typed = {"csrfmiddlewaretoken": "x", "title": "Tu voz cuenta",
             "summary": "Un spot sobre el derecho a saber.", "theme": ""}
    response = client.post(action, {k: v for k, v in typed.items() if k in names})
    assert response.status_code == 302 and "/acuse/" in response["Location"]
    entry.refresh_from_db()
    assert entry.folio and entry.summary == "Un spot sobre el derecho a saber."
    assert entry.title == "Tu voz cuenta"


def test_bad_details_sent_with_enviar_participacion_send_nothing_and_keep_what_was_typed(
        site, call, client):
    user = make_entrant("carla", birth="1999-01-01", level="licenciatura")
    client.force_login(user)
    _draft(client, call, "SPOT")
    entry = Entry.objects.get(owner=user)
    assert upload(client, entry, "audio", mp3_bytes(10.0), "spot.mp3").status_code == 200
    action, _names = _form_of_the_send_button(client.get(entry.get_absolute_url()).content.decode())
    response = client.post(action, {"title": "", "summary": "Sinopsis que no se pierde."})
    assert response.status_code == 400
    assert "Sinopsis que no se pierde." in response.content.decode()
    entry.refresh_from_db()
    assert not entry.folio and entry.summary == ""


def test_what_was_typed_when_the_session_ended_is_offered_again_after_signing_in(site, call,
                                                                                  client):
    """An entrant typed the synopsis, the session had ended meanwhile, «Guardar borrador» led to
    the sign-in page, and after signing in the work's page showed the old, empty synopsis:
    what was typed was lost without a word. It is kept and offered again, with a note."""
    user = make_entrant("dana", birth="1999-01-01", level="licenciatura")
    user.set_password("una-clave-larga-2026")
    user.save()
    client.force_login(user)
    _draft(client, call, "SPOT")
    entry = Entry.objects.get(owner=user)
    page_url = entry.get_absolute_url()
    client.logout()  # the session ends while the page is open
    typed = "Un spot sobre el derecho a saber, escrito con calma."
    response = client.post(page_url, {"title": "Mi obra", "summary": typed, "theme": ""})
    assert response.status_code == 302 and "/cuentas/login/" in response["Location"]
    signed_in = client.post(response["Location"], {"login": user.email,
                                                   "password": "una-clave-larga-2026"})
    assert signed_in.status_code == 302
    page = client.get(page_url).content.decode()
    assert typed in page and "no se guardó" in page
    entry.refresh_from_db()
    assert entry.summary == ""  # nothing is saved until the entrant says so
    assert typed not in client.get(page_url).content.decode()  # offered once


def test_enviar_participacion_after_the_session_ended_comes_back_to_the_work(site, call, client):
    """The sign-in page sent the entrant back to the «send» address, which only takes a POST:
    after signing in they got a blank error page."""
    user = make_entrant("eli", birth="1999-01-01", level="licenciatura")
    client.force_login(user)
    _draft(client, call, "SPOT")
    entry = Entry.objects.get(owner=user)
    client.logout()
    response = client.post(f"/concursos/participacion/{entry.public_id}/enviar/",
                           {"title": "Mi obra", "summary": "Escrito a tiempo."})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [entry.get_absolute_url()]
