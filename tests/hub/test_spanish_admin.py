"""No English reaches a Spanish user of the admin.

Two checks: every string of Wagtail's own catalogues has a Spanish translation (Wagtail's or the
project's ``locale/es_MX``), so an upgrade that adds strings fails here until they are
translated; and every admin screen a superuser can open without arguments, plus the add form of
every page type and snippet, is rendered in Spanish and searched for English sentences.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
import wagtail
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation
from lxml import html
from wagtail.models import Page

WAGTAIL = Path(wagtail.__file__).parent
OURS = Path(__file__).resolve().parents[2] / "locale" / "es_MX" / "LC_MESSAGES"


def _catalogue_gaps(domain: str) -> list[str]:
    """Wagtail msgids (of installed Wagtail apps) that no Spanish catalogue translates."""
    ours = {(e.msgctxt, e.msgid) for e in polib.pofile(str(OURS / f"{domain}.po")) if e.translated()}
    installed = {Path(a.path) for a in apps.get_app_configs()} | {WAGTAIL}
    gaps = []
    for en in WAGTAIL.glob(f"**/locale/en/LC_MESSAGES/{domain}.po"):
        app_dir = en.parents[3]
        if app_dir not in installed:
            continue
        done = set(ours)
        for code in ("es", "es_MX"):
            po = app_dir / "locale" / code / "LC_MESSAGES" / f"{domain}.po"
            if po.exists():
                done |= {(e.msgctxt, e.msgid) for e in polib.pofile(str(po))
                         if e.translated() and not e.fuzzy}
        gaps += [e.msgid for e in polib.pofile(str(en))
                 if not e.obsolete and (e.msgctxt, e.msgid) not in done]
    return gaps


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_wagtail_string_has_a_spanish_translation(domain):
    missing = _catalogue_gaps(domain)
    assert not missing, f"{len(missing)} Wagtail strings without Spanish, e.g. {missing[:10]}"


def test_the_spanish_catalogue_is_what_django_serves():
    with translation.override("es-mx"):
        assert translation.gettext("Search all pages…") == "Buscar en todas las páginas…"
        assert translation.ngettext("%(num_parent_objects)d page has been published",
                                    "%(num_parent_objects)d pages have been published", 2) % {
            "num_parent_objects": 2} == "Se publicaron 2 páginas"
    paths = [str(p.parents[2]) for p in WAGTAIL.glob("**/locale/en/LC_MESSAGES/djangojs.po")]
    js = DjangoTranslation("es-mx", domain="djangojs", localedirs=paths)
    assert js.gettext("Autosave in progress…") == "Guardando automáticamente…"


ENGLISH = {"the", "and", "you", "your", "this", "that", "are", "has", "have", "been", "there",
           "not", "with", "for", "will", "why", "add", "one", "all", "search", "pages", "page",
           "no", "to", "of", "is", "be", "in", "on", "at", "by", "an", "a", "or", "any", "from",
           "items", "errors", "click", "save", "display", "submitted", "moderation", "first",
           "error", "go", "paused", "autosave", "edit", "delete", "new", "choose", "select"}
SPANISH = {"el", "la", "los", "las", "de", "del", "que", "y", "en", "un", "una", "por", "para",
           "con", "es", "su", "sus", "se", "no", "al", "o", "lo", "le", "usted", "más", "página",
           "páginas", "buscar", "guardar", "ningún", "ninguna", "hay"}


def _english_sentences(content: bytes) -> list[str]:
    tree = html.fromstring(content)
    for bad in tree.xpath("//script|//style|//template|//noscript|//code|//pre"):
        bad.drop_tree()
    texts = [t for t in tree.xpath("//body//text()")]
    texts += tree.xpath("//@placeholder|//@aria-label|//@title")
    found = []
    for raw in texts:
        text = " ".join(raw.split())
        words = [w.lower() for w in re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñü']+", text)]
        if len(words) < 3:
            continue
        english = {w for w in words if w in ENGLISH}
        spanish = {w for w in words if w in SPANISH} - {"no"}
        if len(english) >= 3 and not spanish:
            found.append(text)
    return found


def _admin_urls() -> list[str]:
    urls = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if "<" in route or "(?P" in route or "^" in route.lstrip("^"):
                    continue
                urls.append("/" + route.lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns, "")
    skip = ("logout", "login", "password_reset", "jsi18n", "autocomplete", "-json", "preview",
            "/chooser/", "/choose", "dos-pasos", "two-factor", "export", ".csv", ".xlsx", "csv/",
            "/api/", "account/change_password", "account/notification", "reorder", "usage",
            "sprite", "icons", "upgrade", "switch", "bulk", "failwhale")
    return sorted({u for u in urls if u.startswith("/admin/") and not any(s in u for s in skip)})


@pytest.mark.django_db
def test_every_admin_screen_reads_in_spanish(client, django_user_model, site, infoem):
    admin = django_user_model.objects.create_superuser("raiz", "raiz@example.org", "x")
    client.force_login(admin)
    home = Page.objects.get(depth=2)
    urls = _admin_urls()
    for model in apps.get_models():
        if issubclass(model, Page) and model is not Page and home.specific.can_create_at(home) is not None:
            if model in home.specific_class.creatable_subpage_models():
                urls.append(f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{home.pk}/")
    urls.append(f"/admin/pages/{home.pk}/")
    urls.append(f"/admin/pages/{home.pk}/edit/")
    leaks = {}
    opened = 0
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="es-mx")
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        opened += 1
        found = _english_sentences(response.content)
        if found:
            leaks[url] = found[:5]
    assert opened > 40, f"only {opened} admin screens opened"
    assert not leaks, leaks


@pytest.mark.django_db
def test_wagtails_default_groups_and_workflow_have_spanish_names(client, django_user_model, site):
    from django.contrib.auth.models import Group
    from wagtail.models import Task, Workflow

    assert {"Moderadores", "Editores"} <= set(Group.objects.values_list("name", flat=True))
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    assert not Workflow.objects.filter(name__icontains="approval").exists()
    assert not Task.objects.filter(name__icontains="approval").exists()
    admin = django_user_model.objects.create_superuser("raiz", "raiz@example.org", "x")
    client.force_login(admin)
    home = Page.objects.get(depth=2)
    page = client.get(f"/admin/pages/{home.pk}/edit/").content.decode()
    assert "Enviar a Aprobación de moderadores" in page
    assert "Moderators" not in page and "Welcome to your new Wagtail site" not in page


# Words only «tú» uses («selecciona», «elige» are also the usted indicative: not listed).
TU = re.compile(r"\b(tú|tu|tus|estás|tienes|puedes|quieres|debes|eres|asegúrate|inténtalo)\b",
                re.IGNORECASE)


def test_wagtail_allauth_and_django_speak_to_the_user_as_usted():
    """Their own Spanish says «tú» in places; the project's catalogue overrides those strings."""
    site = Path(wagtail.__file__).parent.parent
    catalog = translation.trans_real.translation("es-mx")
    informal = []
    for package in ("wagtail", "allauth", "django/contrib/auth", "django/forms"):
        for po in (site / package).glob("**/locale/es/LC_MESSAGES/django.po"):
            for e in polib.pofile(str(po)):
                if e.obsolete or not e.translated():
                    continue
                if e.msgid_plural:
                    said = catalog.ngettext(e.msgid, e.msgid_plural, 2)
                elif e.msgctxt:
                    said = catalog.pgettext(e.msgctxt, e.msgid)
                else:
                    said = catalog.gettext(e.msgid)
                if TU.search(said):
                    informal.append(said)
    assert not informal, informal[:10]


def test_how_long_ago_reads_as_spanish_says_it():
    """Wagtail's Spanish says «26 minutos antes» ("26 minutes before") in every listing's
    «Actualizado» column and in the reports; Spanish says «hace 26 minutos»."""
    from django.utils import timezone
    from wagtail.admin.templatetags.wagtailadmin_tags import timesince_last_update, timesince_simple

    with translation.override("es-mx"):
        said = [str(timesince_simple(timezone.now() - timezone.timedelta(minutes=26))),
                str(timesince_last_update(timezone.now() - timezone.timedelta(days=3)))]
    said = [s.replace("\xa0", " ") for s in said]
    assert said[0].startswith("hace 26 minutos") and said[1].startswith("hace 3 días"), said
    assert not any("antes" in s for s in said), said
