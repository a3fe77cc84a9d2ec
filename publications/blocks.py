"""StreamField blocks of articles and booklet editions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

from .validators import validate_section_key

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript",
                 "document-link"]


class FigureBlock(blocks.StructBlock):
    """An image with a caption and an alt text that may not be left empty."""

    image = ImageChooserBlock(label=_("imagen"))
    alt_text = blocks.CharBlock(label=_("texto alternativo"), max_length=250, required=True,
                                help_text=_("Describa la imagen para quien no puede verla."))
    caption = blocks.CharBlock(label=_("pie de figura"), max_length=300, required=False)
    source = blocks.CharBlock(label=_("fuente"), max_length=200, required=False)

    class Meta:
        icon = "image"
        label = _("Figura")
        template = "publications/blocks/figure.html"

    def clean(self, value):
        value = super().clean(value)
        if not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(block_errors={"alt_text": ValidationError(
                _("Escriba el texto alternativo de la imagen."))})
        return value


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("cita"))
    attribution = blocks.CharBlock(label=_("autoría"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Cita")
        template = "publications/blocks/quote.html"


class NoteBlock(blocks.StructBlock):
    marker = blocks.CharBlock(label=_("marca"), max_length=10, help_text=_("Por ejemplo 1 o *."))
    text = blocks.RichTextBlock(label=_("nota"), features=["bold", "italic", "link"])

    class Meta:
        icon = "help"
        label = _("Nota")
        template = "publications/blocks/note.html"


class ReferenceBlock(blocks.StructBlock):
    citation = blocks.TextBlock(label=_("referencia (APA)"))
    url = blocks.URLBlock(label=_("enlace"), required=False)
    doi = blocks.CharBlock(label=_("DOI"), required=False, max_length=200)

    class Meta:
        icon = "link"
        label = _("Referencia")
        template = "publications/blocks/reference.html"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("subtítulo"), icon="title", max_length=200,
                               template="publications/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("párrafo"), features=TEXT_FEATURES)
    figure = FigureBlock()
    table = TableBlock(label=_("tabla"), template="publications/blocks/table.html")
    quote = QuoteBlock()
    note = NoteBlock()
    reference = ReferenceBlock()

    class Meta:
        label = _("Cuerpo del artículo")


class EditionSectionBlock(blocks.StructBlock):
    """A booklet section. Its key stays the same across editions so they can be compared."""

    key = blocks.CharBlock(label=_("clave"), max_length=60, validators=[validate_section_key],
                           help_text=_("Identificador estable de la sección entre ediciones, "
                                       "p. ej. «que-es-la-transparencia»."))
    heading = blocks.CharBlock(label=_("título de la sección"), max_length=200)
    content = blocks.StreamBlock([
        ("paragraph", blocks.RichTextBlock(label=_("párrafo"), features=TEXT_FEATURES)),
        ("figure", FigureBlock()),
        ("table", TableBlock(label=_("tabla"), template="publications/blocks/table.html")),
        ("quote", QuoteBlock()),
    ], label=_("contenido"))

    class Meta:
        icon = "doc-full"
        label = _("Sección")
        template = "publications/blocks/edition_section.html"


class EditionBodyBlock(blocks.StreamBlock):
    section = EditionSectionBlock()

    class Meta:
        label = _("Secciones")

    def clean(self, value):
        value = super().clean(value)
        seen: dict[str, int] = {}
        errors = {}
        for index, child in enumerate(value):
            key = child.value.get("key")
            if key in seen:
                errors[index] = ValidationError(
                    _("La clave «%(key)s» ya se usa en otra sección de esta edición."),
                    params={"key": key})
            seen[key] = index
        if errors:
            raise blocks.StreamBlockValidationError(block_errors=errors)
        return value
