from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("título"), max_length=120)
    text = blocks.TextBlock(label=_("texto"), max_length=400)
    link_url = blocks.URLBlock(label=_("enlace"), required=False)
    link_text = blocks.CharBlock(label=_("texto del enlace"), required=False, max_length=60)

    class Meta:
        icon = "pick"
        label = _("Recuadro destacado")
        template = "hub/blocks/callout.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("subtítulo"), form_classname="title", icon="title",
                               template="hub/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("párrafo"),
                                     features=["bold", "italic", "link", "ol", "ul", "h3",
                                               "document-link"])
    image = ImageBlock(label=_("imagen"))
    callout = CalloutBlock()

    class Meta:
        label = _("Contenido")
