"""Site setup that every installation needs: the home page, the privacy notice, contact."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from hub.models import HomePage, SiteSettings, StandardPage

PRIVACY_NOTICE = [
    ("heading", "Responsable"),
    ("paragraph", "<p>La Comisión de Vinculación, Promoción, Difusión y Comunicación Social del "
                  "Sistema Nacional de Transparencia (SNT), a través de la institución que ejerce "
                  "su coordinación, es responsable del tratamiento de los datos personales que "
                  "se recaban en Enlace, conforme a la Ley General de Protección de Datos "
                  "Personales en Posesión de Sujetos Obligados.</p>"),
    ("heading", "Datos que recabamos y para qué"),
    ("paragraph", "<p>De las personas enlace de comunicación y vinculación de las instituciones "
                  "integrantes: nombre, cargo, institución, correo, teléfono y usuario de "
                  "Telegram, para coordinar la difusión conjunta de la red. De aliados: nombre "
                  "y datos de contacto de sus representantes, para dar seguimiento a la "
                  "colaboración. De las personas usuarias del panel: nombre de usuario y correo, "
                  "para su acceso y la bitácora de cambios.</p>"),
    ("heading", "Qué se publica"),
    ("paragraph", "<p>Solo se muestran públicamente el nombre, cargo y los medios de contacto que "
                  "cada persona autorizó expresamente. Los datos abiertos en /datos/ no "
                  "contienen datos personales, salvo los marcados como públicos.</p>"),
    ("heading", "Transferencias"),
    ("paragraph", "<p>Los datos de contacto de la red se comparten únicamente entre las "
                  "instituciones integrantes del SNT para los fines señalados. No se realizan "
                  "transferencias que requieran su consentimiento.</p>"),
    ("heading", "Derechos ARCO"),
    ("paragraph", "<p>Puede ejercer sus derechos de acceso, rectificación, cancelación y "
                  "oposición, así como la portabilidad de sus datos, ante la unidad de "
                  "transparencia de la institución coordinadora o escribiendo al correo de "
                  "contacto que aparece al pie de esta página.</p>"),
    ("heading", "Cambios al aviso"),
    ("paragraph", "<p>Cualquier cambio a este aviso de privacidad se publicará en esta misma "
                  "página.</p>"),
]

CONTACT = [
    ("paragraph", "<p>Para temas de la red, el calendario o los datos abiertos, escriba a la "
                  "Coordinación de la Comisión al correo que aparece al pie de página. Las "
                  "instituciones integrantes pueden solicitar su acceso al panel de "
                  "administración por ese mismo medio.</p>"),
]


def _child(parent: Page, page: Page) -> Page:
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing:
        return existing.specific
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def ensure_site() -> HomePage:
    """Create the home page, privacy notice and contact page once; safe to run again."""
    home = HomePage.objects.first()
    root = Page.get_first_root_node()
    if root.title == "Root":
        # Wagtail's root node, shown in the admin's breadcrumbs («Explorando: Root»).
        Page.objects.filter(pk=root.pk).update(title="Raíz", draft_title="Raíz")
        root.refresh_from_db()
    if home is None:
        # Wagtail's install creates a placeholder "Welcome" page: replace it.
        for placeholder in root.get_children().exclude(content_type__model="homepage"):
            if placeholder.slug == "home" and placeholder.specific_class is Page:
                # Renamed first, so the history report does not show Wagtail's English title.
                Page.objects.filter(pk=placeholder.pk).update(
                    title="Página de bienvenida de Wagtail", draft_title="Página de bienvenida de Wagtail")
                Page.objects.get(pk=placeholder.pk).delete()
        home = HomePage(title="Inicio", slug="inicio", seo_title="Enlace SNT")
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home,
                                   is_default_site=True, site_name="Enlace SNT")
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Enlace SNT"
        site.save()
    privacy = _child(home, StandardPage(
        title="Aviso de privacidad", slug="aviso-de-privacidad",
        intro="Aviso de privacidad integral de Enlace, el sistema de vinculación y "
              "comunicación de la red del SNT.",
        body=PRIVACY_NOTICE,
    ))
    contact = _child(home, StandardPage(title="Contacto", slug="contacto", body=CONTACT))
    settings = SiteSettings.for_site(site)
    changed = False
    if settings.privacy_notice_id is None:
        settings.privacy_notice = privacy
        changed = True
    if settings.contact_page_id is None:
        settings.contact_page = contact
        changed = True
    if changed:
        settings.save()
    return home


# The default site Wagtail's first migration creates.
PLACEHOLDER_HOST = ("localhost", 80)


def adopt_base_url() -> Site | None:
    """Name the default site after SITE_BASE_URL while it is still Wagtail's ``localhost:80``.

    Every absolute link written from a page (feeds, OAI-PMH, «Cómo citar», canonical and
    citation tags) comes from the site's host and port; a site someone has named in the admin
    is left as it is. Returns the site when it changed."""
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    if not base.hostname:
        return None
    port = base.port or (443 if base.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) != PLACEHOLDER_HOST:
        return None
    if (base.hostname, port) == PLACEHOLDER_HOST:
        return None
    site.hostname, site.port = base.hostname, port
    site.save(update_fields=["hostname", "port"])
    return site
