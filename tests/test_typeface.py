"""No page or letter uses GDS Transport: it is licensed for services on GOV.UK only.

GOV.UK Frontend is compiled from its Sass by `make install` with the system font stack;
the pages link that build, never the package's own stylesheet (which loads Transport).
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

BASE = Path(settings.BASE_DIR)
BUILD = BASE / "static" / "build" / "govuk-frontend.css"


def test_the_compiled_govuk_frontend_uses_the_system_font_stack():
    assert BUILD.exists(), "static/build/govuk-frontend.css is missing: run `make install`"
    css = BUILD.read_text()
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "font-family:system-ui" in css
    assert ".govuk-header" in css  # the whole of GOV.UK Frontend, not just the settings


def test_pages_link_the_compiled_stylesheet_not_the_packages(client, officer):
    client.force_login(officer)
    page = client.get(reverse("home"), follow=True).content.decode()
    assert "/static/build/govuk-frontend.css" in page
    assert "govuk-frontend.min.css" not in page
    assert "govuk-frontend.min.css" not in render_to_string("500.html")


def test_the_letter_stylesheet_uses_its_own_fonts():
    css = (BASE / "static" / "letters" / "letter.css").read_text()
    assert "GDS Transport" not in css
    assert "Letter Sans" in css


def test_the_compiled_stylesheet_is_never_committed():
    assert "/static/build/" in (BASE / ".gitignore").read_text().splitlines()
