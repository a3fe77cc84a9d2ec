"""Demo content of publications (``bootstrap --demo``).

Magazine part: :func:`build_magazine_demo` — one magazine, one issue (vol. 1, núm. 1), three
articles with authors of the network and academia, sections and one figure. The articles are
created as drafts and handed to ``approve`` (**the hook point for the committee workflow**: the
workflow engineer passes a callable that takes them through the review); without it they
are simply published. The issue is published last, which publishes nothing unapproved.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify

from ..models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    IssuePage,
    IssueTocEntry,
    MagazinePage,
    Section,
)

SECTIONS = [("Artículos", "articulos", "Textos de investigación con dictamen del Comité."),
            ("Ensayos", "ensayos", "Reflexiones de las personas comisionadas y especialistas."),
            ("Experiencias locales", "experiencias-locales",
             "Prácticas de los órganos garantes que otros pueden replicar.")]

AUTHORS = [
    # given, family, institution acronym, free affiliation, ORCID, bio
    ("María Fernanda", "López Castañeda", "INFOEM", "", "0000-0002-1825-0097",
     "Comisionada del INFOEM; trabaja en gobierno abierto municipal y archivos."),
    ("Jorge Alberto", "Ramírez Ortega", "", "Centro de Investigación y Docencia Económicas (CIDE)",
     "0000-0003-4567-1230", "Profesor investigador; estudia la rendición de cuentas en México."),
    ("Ana Lucía", "Hernández Vega", "ITEI", "", "0000-0001-9876-5412",
     "Directora de vinculación del ITEI; coordina la red local de transparencia proactiva."),
    ("Ricardo", "Salinas Muñoz", "", "Universidad Nacional Autónoma de México (UNAM)",
     "0000-0002-2233-4453", "Investigador en derecho a la información y protección de datos."),
]

ARTICLES = [
    {"title": "Diez años de la Ley General de Transparencia",
     "subtitle": "Lo que cambió y lo que falta en el acceso a la información",
     "section": "articulos", "authors": [1, 3], "pages": (5, 18),
     "keywords": "acceso a la información; LGTAIP; sujetos obligados; reforma 2025",
     "abstract": "Se revisa la evolución de las solicitudes de acceso a la información entre 2015 "
                 "y 2025, los criterios de interpretación que más se citaron y los retos que deja "
                 "la nueva Ley General de Transparencia y Acceso a la Información Pública de "
                 "2025 para los órganos garantes locales.",
     "body": [
         ("heading", "Introducción"),
         ("paragraph", "<p>La Ley General de Transparencia y Acceso a la Información Pública de "
                       "2015 homologó los procedimientos en todo el país. Una década después, "
                       "el número de solicitudes se multiplicó y los temas cambiaron.</p>"),
         ("figure", None),
         ("quote", {"text": "Toda la información en posesión de cualquier autoridad es pública.",
                    "attribution": "Artículo 6.º constitucional"}),
         ("paragraph", "<p>Los recursos de revisión se concentraron en la inexistencia de "
                       "información y en la clasificación por reserva.</p>"),
         ("note", {"marker": "1", "text": "<p>Cifras de la Plataforma Nacional de "
                                          "Transparencia, corte al 31 de diciembre de 2025.</p>"}),
         ("reference", {"citation": "Instituto Nacional de Transparencia, Acceso a la Información "
                                    "y Protección de Datos Personales. (2025). Informe de labores "
                                    "2024. INAI.", "url": "https://home.inai.org.mx/", "doi": ""}),
     ]},
    {"title": "Gobierno abierto en los municipios del Estado de México",
     "subtitle": "Una experiencia de cocreación con la ciudadanía",
     "section": "experiencias-locales", "authors": [0], "pages": (19, 30),
     "keywords": "gobierno abierto; municipios; cocreación; transparencia proactiva",
     "abstract": "El INFOEM acompañó a doce ayuntamientos en la elaboración de planes de acción "
                 "local de gobierno abierto. Se describen la metodología, los compromisos "
                 "asumidos y los primeros resultados medibles.",
     "body": [
         ("heading", "Metodología"),
         ("paragraph", "<p>Las mesas de cocreación reunieron a personas servidoras públicas, "
                       "organizaciones de la sociedad civil y academia.</p>"),
         ("table", {"data": [["Municipio", "Compromisos", "Cumplidos"],
                             ["Toluca", "5", "4"], ["Metepec", "4", "4"],
                             ["Naucalpan", "6", "3"]],
                    "first_row_is_table_header": True, "first_col_is_header": False}),
     ]},
    {"title": "Protección de datos personales en la era de la inteligencia artificial",
     "subtitle": "", "section": "ensayos", "authors": [3, 2], "pages": (31, 42),
     "keywords": "datos personales; inteligencia artificial; LGPDPPSO; derechos ARCO",
     "abstract": "Ensayo sobre los riesgos que el tratamiento automatizado de datos personales "
                 "plantea al sector público y las garantías que ofrece la Ley General de "
                 "Protección de Datos Personales en Posesión de Sujetos Obligados.",
     "body": [
         ("paragraph", "<p>Los sistemas de decisión automatizada ya se usan en trámites "
                       "públicos. Las personas titulares conservan sus derechos ARCO.</p>"),
     ]},
]


def _figure_image():
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images.models import Image

    existing = Image.objects.filter(title="Solicitudes de acceso a la información 2015–2025").first()
    if existing:
        return existing
    canvas = PILImage.new("RGB", (640, 360), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    values = [80, 110, 150, 170, 190, 230, 260, 280, 300, 320, 340]
    for i, value in enumerate(values):
        x = 30 + i * 55
        draw.rectangle([x, 340 - value, x + 40, 340], fill=(0, 125, 126))
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    return Image.objects.create(title="Solicitudes de acceso a la información 2015–2025",
                                file=ImageFile(buffer, name="solicitudes-2015-2025.png"))


def _authors() -> list[Author]:
    from network.models import Institution

    out = []
    for given, family, acronym, affiliation, orcid, bio in AUTHORS:
        institution = Institution.objects.filter(acronym=acronym).first() if acronym else None
        author, _ = Author.objects.get_or_create(
            orcid=orcid, defaults={"given_names": given, "family_names": family,
                                   "institution": institution, "affiliation": affiliation,
                                   "bio": bio})
        out.append(author)
    return out


def publish_directly(articles: list[ArticlePage]) -> None:
    for article in articles:
        article.get_latest_revision().publish()


@transaction.atomic
def build_magazine_demo(home, *, approve: Callable[[list[ArticlePage]], None] | None = None
                        ) -> MagazinePage:
    """One issue with three articles. ``approve(articles)`` takes the draft articles through
    the committee's workflow (default: publish them directly). Idempotent."""
    magazine = MagazinePage.objects.first()
    if magazine is not None:
        return magazine
    sections = {slug: Section.objects.get_or_create(slug=slug, defaults={
        "name": name, "description": description})[0] for name, slug, description in SECTIONS}
    authors = _authors()
    magazine = MagazinePage(
        title="México Transparente", slug="mexico-transparente",
        intro="<p>Revista digital trimestral del Sistema Nacional de Transparencia: artículos "
              "de las comisiones, los órganos garantes y especialistas de la academia y la "
              "sociedad civil, seleccionados por el Comité Editorial.</p>")
    home.add_child(instance=magazine)
    magazine.save_revision().publish()
    issue = IssuePage(
        title="Diez años del Sistema Nacional de Transparencia", slug="vol-1-num-1",
        volume=1, number=1, issue_date=dt.date(2026, 11, 1), live=False,
        theme="Balance y retos tras las leyes generales de 2025",
        presentation="<p>Este primer número reúne miradas de los órganos garantes y de la "
                     "academia sobre una década de transparencia en México.</p>")
    magazine.add_child(instance=issue)
    issue.save_revision()
    image = _figure_image()
    articles = []
    for position, spec in enumerate(ARTICLES):
        body = []
        for kind, value in spec["body"]:
            if kind == "figure":
                value = {"image": image, "alt_text": "Gráfica de barras: las solicitudes de "
                         "acceso crecen cada año, de unas 80 mil en 2015 a 340 mil en 2025.",
                         "caption": "Figura 1. Solicitudes de acceso a la información por año "
                                    "(miles).", "source": "Plataforma Nacional de Transparencia."}
            body.append((kind, value))
        article = ArticlePage(
            title=spec["title"], subtitle=spec["subtitle"], live=False,
            slug=slugify(spec["title"])[:50].strip("-"),
            section=sections[spec["section"]], abstract=spec["abstract"],
            keywords=spec["keywords"], body=body, first_page=spec["pages"][0],
            last_page=spec["pages"][1])
        for order, index in enumerate(spec["authors"]):
            article.article_authors.add(ArticleAuthor(author=authors[index], sort_order=order,
                                                      corresponding=order == 0))
        issue.add_child(instance=article)
        article.save_revision()
        IssueTocEntry.objects.create(issue=issue, article=article, sort_order=position)
        articles.append(article)
    issue.save_revision()  # its latest revision carries the TOC
    (approve or publish_directly)(articles)
    IssuePage.objects.get(pk=issue.pk).get_latest_revision().publish()
    return magazine
