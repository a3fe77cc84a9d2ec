"""Demo content of publications (``bootstrap --demo``).

``build_booklet_demo(home)`` makes the "Los ABC" series with one booklet in two editions: the
first rests on the 2015 LGTAIP, the second on the 2025 one, so the comparison shows sections
changed, added, removed and unchanged. Idempotent: a second call returns what exists.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from wagtail.models import Page

from ..models import BookletIndexPage, BookletPage, BookletSeries, EditionPage, Law


def _section(key: str, heading: str, *paragraphs: str) -> tuple:
    return ("section", {"key": key, "heading": heading,
                        "content": [("paragraph", f"<p>{text}</p>") for text in paragraphs]})


WHAT_IS = "¿Qué es el derecho de acceso a la información?"
HOW_TO_ASK = "¿Cómo pido información?"
HOW_TO_ASK_TEXT = (
    "Puede pedir información por escrito, en la Plataforma Nacional de Transparencia, por "
    "correo electrónico o en la unidad de transparencia de la institución. Pedirla es gratuito.",
    "No tiene que decir para qué la quiere ni dar su nombre real: basta con describir con "
    "claridad la información que busca y decir cómo quiere recibir la respuesta.",
)

EDITION_1 = [
    _section("que-es", WHAT_IS,
             "Es el derecho que tiene toda persona de conocer la información que generan y "
             "guardan las autoridades. Está reconocido en el artículo 6o. de la Constitución.",
             "Toda la información pública es, en principio, accesible. Solo puede reservarse "
             "por un tiempo, y por las razones que la ley señala."),
    _section("como-pedir", HOW_TO_ASK, *HOW_TO_ASK_TEXT),
    _section("inai", "¿Quién protege este derecho?",
             "El Instituto Nacional de Transparencia, Acceso a la Información y Protección de "
             "Datos Personales (INAI), un organismo constitucional autónomo, y los organismos "
             "garantes de las 32 entidades federativas.",
             "Estos organismos resuelven las quejas de las personas y vigilan que las "
             "instituciones publiquen su información."),
    _section("si-no-responden", "¿Qué hago si no me responden o no estoy de acuerdo?",
             "Puede presentar un recurso de revisión ante el INAI o ante el organismo garante "
             "de su estado. El recurso es gratuito y no necesita abogado."),
]

EDITION_2 = [
    _section("que-es", WHAT_IS,
             "Es el derecho humano que tiene toda persona de conocer la información que generan "
             "y guardan las autoridades. Está reconocido en el artículo 6o. de la Constitución.",
             "Toda la información pública es, en principio, accesible. Solo puede reservarse "
             "por un tiempo, y por las razones que la ley señala."),
    _section("como-pedir", HOW_TO_ASK, *HOW_TO_ASK_TEXT),
    _section("autoridades-garantes", "¿Quién protege este derecho ahora?",
             "Desde el 21 de marzo de 2025 ya no hay un organismo autónomo nacional. En el "
             "Poder Ejecutivo federal, las funciones que tenía el INAI pasaron a Transparencia "
             "para el Pueblo, un órgano de la Secretaría Anticorrupción y Buen Gobierno.",
             "Los poderes Legislativo y Judicial, los órganos autónomos y los partidos políticos "
             "tienen sus propias autoridades garantes. En los estados, cada ley local señala "
             "qué autoridad cumple esa función."),
    _section("si-no-responden", "¿Qué hago si no me responden o no estoy de acuerdo?",
             "Puede presentar un recurso de revisión ante la autoridad garante que corresponda "
             "a la institución a la que pidió información. El recurso es gratuito y no necesita "
             "abogado."),
    _section("que-cambio-2025", "¿Qué cambió en 2025?",
             "El 20 de marzo de 2025 se publicó una nueva Ley General de Transparencia y Acceso "
             "a la Información Pública, que sustituyó a la de 2015. El derecho es el mismo: "
             "cambió quién lo garantiza.",
             "Si usted presentó una solicitud o un recurso antes de ese cambio, pregunte a la "
             "unidad de transparencia de la institución quién lo atiende ahora."),
]


def _add(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@transaction.atomic
def build_booklet_demo(home) -> BookletPage:
    """The series "Los ABC" with one booklet in two editions (before and after 2025)."""
    existing = BookletPage.objects.filter(slug="abc-acceso-a-la-informacion").first()
    if existing:
        return existing
    old_law = Law.objects.get(name__startswith="Ley General de Transparencia",
                              dof_date=dt.date(2015, 5, 4))
    new_law = Law.objects.get(name__startswith="Ley General de Transparencia",
                              dof_date=dt.date(2025, 3, 20))
    series, _created = BookletSeries.objects.get_or_create(slug="los-abc",
                                                           defaults={"name": "Los ABC"})
    index = BookletIndexPage.objects.first() or _add(home, BookletIndexPage(
        title="Cuadernillos «Los ABC»", slug="cuadernillos",
        intro="<p>Guías breves, en lenguaje sencillo, sobre sus derechos de acceso a la "
              "información y de protección de datos personales. Se actualizan con cada "
              "reforma de ley.</p>"))
    booklet = _add(index, BookletPage(
        title="El ABC del acceso a la información", slug="abc-acceso-a-la-informacion",
        series=series, number=1, audience="general",
        description="Qué es el derecho de acceso a la información, cómo ejercerlo y a quién "
                    "acudir si no le responden."))
    first = EditionPage(
        title="El ABC del acceso a la información (edición 1)", slug="edicion-1",
        edition_number=1, kind="nueva", current_to=dt.date(2024, 11, 30),
        change_summary="Primera edición digital.", body=EDITION_1)
    first.laws.set([old_law])
    first = _add(booklet, first)
    second = EditionPage(
        title="El ABC del acceso a la información (edición 2)", slug="edicion-2",
        edition_number=2, kind="nueva", current_to=dt.date(2025, 3, 20), trigger_law=new_law,
        replaces=first,
        change_summary="Actualizada a la Ley General de Transparencia y Acceso a la Información "
                       "Pública publicada el 20 de marzo de 2025: el INAI desapareció y sus "
                       "funciones pasaron a Transparencia para el Pueblo y a otras autoridades "
                       "garantes. Se explica a quién acudir ahora y qué pasa con los trámites "
                       "iniciados antes del cambio.",
        body=EDITION_2)
    second.laws.set([new_law])
    _add(booklet, second)
    return booklet
