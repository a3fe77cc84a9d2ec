"""A juror in real headless Chromium scores two works in a row: «Obra 1 de 2», Siguiente and
Anterior, the weighted total following the scores as they are typed, and on to the next
unscored work after saving."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from contests.models import Review
from tests.browser.conftest import assert_accessible
from tests.browser.test_contests_in_chromium import sign_in
from tests.contests.factories import AssignmentFactory, CallFactory, EntryFactory, JurorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_juror_scores_two_works_in_a_row_and_sees_the_total_change(page, live_server,
                                                                     reference_data, site):
    call = CallFactory(phase="in_review")
    juror = JurorFactory(username="jurado-navegador")
    EmailAddress.objects.create(user=juror, email=juror.email, verified=True, primary=True)
    spot = call.categories.get(code="SPOT")
    first, second = sorted((EntryFactory(category=spot) for _ in range(2)), key=lambda e: str(e.public_id))
    for entry in (first, second):
        AssignmentFactory(entry=entry, juror=juror)
    criteria = list(call.criteria.all())  # weighted 2, 2, 1, 1, 1 on 0–10
    base = live_server.url

    sign_in(page, base, juror.email)
    page.goto(base + "/jurado/")
    expect(page.locator("main")).to_contain_text("Ha calificado 0 de 2 obras.")
    page.click("text=Calificar la siguiente pendiente")
    expect(page.locator(".jury-count")).to_contain_text("Obra 1 de 2")
    assert_accessible(page)

    # Siguiente and Anterior walk the juror's works of the category.
    page.click("a[rel=next]")
    expect(page.locator(".jury-count")).to_contain_text("Obra 2 de 2")
    expect(page.locator("h1")).to_contain_text(second.anonymous_code)
    page.click("a[rel=prev]")
    expect(page.locator("h1")).to_contain_text(first.anonymous_code)

    total = page.locator("output[data-total]")
    expect(total).to_have_text("—")
    page.fill(f"#id_c{criteria[0].pk}", "10")
    expect(total).to_have_text("100.0")
    expect(page.locator("[data-total-note]")).to_have_text("(faltan 4 criterios)")
    page.fill(f"#id_c{criteria[1].pk}", "0")
    expect(total).to_have_text("50.0")
    for criterion in criteria[2:]:
        page.fill(f"#id_c{criterion.pk}", "7")
    expect(total).to_have_text("58.6")  # (2·100 + 2·0 + 3·70) / 7
    expect(page.locator("[data-total-note]")).to_have_text("")
    page.click("text=Guardar e ir a la siguiente")

    # Saved, and straight on to the next work without scores.
    page.wait_for_url(f"**/jurado/obra/{second.public_id}/")
    expect(page.locator(".messages")).to_contain_text(f"Evaluación de {first.anonymous_code} guardada")
    expect(page.locator(".jury-count")).to_contain_text("Obra 2 de 2")
    for criterion in criteria:
        page.fill(f"#id_c{criterion.pk}", "9")
    expect(total).to_have_text("90.0")
    page.click("text=Guardar evaluación")
    page.wait_for_url("**/jurado/")
    expect(page.locator("main")).to_contain_text("Ya calificó todas sus obras de esta categoría")
    expect(page.locator("main")).to_contain_text("Ha calificado 2 de 2 obras.")

    # The server's total is the one the page showed while typing.
    page.goto(base + f"/jurado/obra/{first.public_id}/")
    expect(total).to_have_text("58.6")
    assert Review.objects.filter(juror=juror).count() == 2
