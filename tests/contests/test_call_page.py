"""The public page of a call shows only the sections it has something to say in."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]


def test_call_without_rules_text_shows_no_empty_bases_heading(client, call):
    assert not call.body
    html = client.get(call.url).content.decode()
    assert "Bases" not in _headings(html)
    assert "Categorías" in _headings(html)


def test_call_with_rules_text_shows_them_under_bases(client, call):
    call.body = [("paragraph", "<p>Podrán participar personas residentes en México.</p>")]
    call.save_revision().publish()
    html = client.get(call.url).content.decode()
    assert "Bases" in _headings(html)
    assert "Podrán participar personas residentes en México." in html
