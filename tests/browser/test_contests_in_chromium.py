"""The life of a call in real headless Chromium: an entrant signs in, fills the wizard,
uploads a spot with a progress bar and gets the receipt; a juror scores it blind; staff
award it and it appears in the archive."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from contests.domain import jury, results
from contests.models import CategoryJuror, Entry
from network import rules
from tests.browser.conftest import assert_accessible
from tests.contests.conftest import make_entrant, open_jury
from tests.contests.files_factory import mp3_bytes
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, email):
    page.goto(base + "/cuentas/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "clave-de-prueba-123")
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_entrant_submits_a_spot_and_a_juror_scores_it_blind(page, live_server, reference_data, site,
                                                           tmp_path):
    from tests.contests.factories import CallFactory

    call = CallFactory()
    entrant = make_entrant("lucia")
    juror = UserFactory(username="jurado1", is_staff=False, groups=[rules.JURY])
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=juror, email=juror.email, verified=True, primary=True)
    CategoryJuror.objects.create(category=call.categories.get(code="SPOT"), juror=juror)
    base = live_server.url

    # The call page counts down to the deadline.
    page.goto(base + call.url)
    assert "Faltan" in page.locator("[data-countdown]").inner_text()
    assert_accessible(page)

    sign_in(page, base, entrant.email)
    page.goto(base + f"/concursos/convocatoria/{call.pk}/participar/")
    spot, drawing = (call.categories.get(code=code).pk for code in ("SPOT", "DIB"))
    page.check(f"input[name=category][value='{spot}']")
    assert page.locator(f"input[name=category][value='{drawing}']").is_disabled()
    page.fill("#id_title", "La transparencia suena")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/concursos/participacion/**")
    assert_accessible(page)
    page.fill("#id_summary", "Un spot sobre el derecho a saber.")
    with page.expect_navigation():
        page.click("text=Guardar borrador")
    assert "Cambios guardados como borrador" in page.content()

    # A fake MP3 is refused in Spanish, without leaving the page.
    fake = tmp_path / "spot.mp3"
    fake.write_bytes(b"no soy un audio " * 200)
    page.set_input_files("#file-audio", str(fake))
    page.click("form[data-upload] button[type=submit]")
    status = page.locator(".upload-status")
    status.filter(has_text="no es de un tipo aceptado").wait_for()

    audio = mp3_bytes(25.0)
    real = tmp_path / "La transparencia suena.mp3"
    real.write_bytes(audio)
    page.set_input_files("#file-audio", str(real))
    with page.expect_navigation():
        page.click("form[data-upload] button[type=submit]")
    digest = hashlib.sha256(audio).hexdigest()
    assert digest in page.content()

    page.click("text=Enviar participación")
    page.wait_for_url("**/acuse/")
    entry = Entry.objects.get()
    assert page.locator("[data-folio]").inner_text() == entry.folio == f"SPOT-{call.year}-0001"
    assert page.locator("[data-sha256]").inner_text() == digest
    assert_accessible(page)

    # The juror, signed in on a fresh page, sees the work but not who made it.
    open_jury(call)  # the deadline passes; the jury phase starts
    jury.assign_balanced(call)
    context = page.context.browser.new_context(locale="es-MX", timezone_id="America/Mexico_City")
    juror_page = context.new_page()
    sign_in(juror_page, base, juror.email)
    juror_page.goto(base + "/jurado/")
    juror_page.click(f"text={entry.anonymous_code}")
    content = juror_page.content()
    assert "La transparencia suena" in content
    for secret in (entrant.entrant_profile.full_name, entrant.email, entry.folio):
        assert secret not in content
    assert_accessible(juror_page)
    for n, criterion in enumerate(call.criteria.all()):
        juror_page.fill(f"#id_c{criterion.pk}", str(6 + n % 4))
    juror_page.click("text=Guardar evaluación")
    juror_page.wait_for_url("**/jurado/")
    assert "Calificada" in juror_page.content()
    context.close()

    # Staff award it; on the results date it is in the archive with its audio player.
    results.set_award(entry, 1)
    call.closes_at = timezone.now() - dt.timedelta(days=2)
    call.results_at = timezone.now() - dt.timedelta(minutes=1)
    call.save()
    results.publish_results(call)
    page.goto(base + "/acervo/")
    assert "La transparencia suena" in page.content()
    page.click("text=La transparencia suena")
    assert page.locator("audio").count() == 1
    assert "CC BY 4.0" in page.content()
    assert_accessible(page)
