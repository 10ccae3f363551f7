"""An issued letter keeps the logo it was approved with: changing the authority's logo
afterwards changes neither its PDF nor its HTML version."""

import base64
import io

import pytest
from django.urls import reverse
from PIL import Image

from responses import issuing, tokens
from tests import builders

pytest_plugins = ["tests.review_fixtures"]


def png(colour):
    image = io.BytesIO()
    Image.new("RGB", (60, 20), colour).save(image, "PNG")
    return image.getvalue()


@pytest.fixture
def old_logo(authority, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = png((0, 70, 140))
    authority.logo.save("old.png", io.BytesIO(data))
    return data


def test_the_issued_letter_keeps_the_logo_it_was_submitted_with(
    client, letter, officer, reviewer, authority, old_logo, monkeypatch
):
    rendered_with = []

    def render(html, *, assets, **inputs):
        rendered_with.append(assets)
        return builders.FAKE_PDF

    monkeypatch.setattr(issuing, "render_pdf_isolated", render)
    builders.approve(letter, officer=officer, reviewer=reviewer)

    new_logo = png((200, 0, 0))
    authority.logo.save("new.png", io.BytesIO(new_logo))
    document = builders.issue(letter, actor=officer)

    ((logo_bytes, media_type),) = rendered_with[0].values()
    assert (logo_bytes, media_type) == (old_logo, "image/png")

    token = tokens.issue_link(letter.case)[1]
    page = client.get(reverse("portal_letter_html", args=[token, document.version.letter_id]))
    html = page.content.decode()
    assert base64.b64encode(old_logo).decode() in html
    assert base64.b64encode(new_logo).decode() not in html


def test_a_letter_submitted_without_a_logo_stays_without_one(
    letter, officer, authority, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    version = builders.submit(letter, actor=officer)
    authority.logo.save("later.png", io.BytesIO(png((0, 0, 0))))
    version.refresh_from_db()
    assert version.assets() is None
