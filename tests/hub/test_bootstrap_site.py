"""`manage.py bootstrap` names the site after SITE_BASE_URL.

Wagtail's first migration creates the default site as ``localhost:80``; left so, every absolute
link Enlace writes from a page (the magazine's RSS and Atom items, OAI-PMH records, «Cómo
citar», canonical and citation tags) said ``http://localhost/…`` in production and in
``dev.py start`` alike, whatever SITE_BASE_URL said, while the rest of a feed used the host of
the request."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

pytestmark = pytest.mark.django_db


@override_settings(WAGTAILADMIN_BASE_URL="https://enlace.example.org")
def test_bootstrap_gives_the_default_site_the_host_of_site_base_url():
    call_command("bootstrap", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("enlace.example.org", 443)
    assert site.root_url == "https://enlace.example.org"
    privacy = site.root_page.get_children().get(slug="aviso-de-privacidad")
    assert privacy.full_url == "https://enlace.example.org/aviso-de-privacidad/"


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8790")
def test_a_development_port_is_kept():
    call_command("bootstrap", stdout=io.StringIO())
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8790"


def test_a_site_someone_named_is_left_alone():
    call_command("bootstrap", stdout=io.StringIO())
    Site.objects.filter(is_default_site=True).update(hostname="portal.snt.org.mx", port=443)
    with override_settings(WAGTAILADMIN_BASE_URL="https://otro.example.org"):
        call_command("bootstrap", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("portal.snt.org.mx", 443)
