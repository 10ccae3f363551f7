"""Draft PDFs: rendered with limits in a process of their own, a clear page when a letter is
too big, and an unchanged letter served from the cache rather than rendered again."""

import io

import pytest
from django.core.cache import caches
from django.urls import reverse

from responses import isolated_render
from responses.rendering import RenderError
from responses.rendering.html import pdf_inputs
from tests import builders
from tests.letter_samples import long_table_letter

pytest_plugins = ["tests.review_fixtures"]


@pytest.fixture(autouse=True)
def empty_cache():
    caches[isolated_render.DRAFT_CACHE].clear()
    yield
    caches[isolated_render.DRAFT_CACHE].clear()


@pytest.fixture
def renders(monkeypatch):
    """Counts the draft renders (each would be a WeasyPrint child process)."""
    calls = []

    def render(html, **inputs):
        calls.append({"html": html, **inputs})
        return builders.FAKE_PDF + str(len(calls)).encode()

    monkeypatch.setattr(isolated_render, "render_pdf_isolated", render)
    return calls


def download(client, letter):
    return client.get(reverse("letter_pdf", args=[letter.pk]))


def test_an_unchanged_letter_is_rendered_once(client, letter, officer, second_officer, renders):
    client.force_login(officer)
    first = download(client, letter)
    second = download(client, letter)
    client.force_login(second_officer)  # anyone who sees the same letter gets the same PDF
    third = download(client, letter)

    assert first.status_code == second.status_code == third.status_code == 200
    assert first.content == second.content == third.content
    assert len(renders) == 1
    assert renders[0]["draft"] is True
    # Drafts get the same limits as issued letters, with a time limit that fits a request.
    assert renders[0]["timeout"] == 20


def test_a_reviewer_who_has_not_revealed_gets_a_masked_draft_of_its_own(
    client, letter, officer, reviewer, renders
):
    client.force_login(officer)
    download(client, letter)
    client.force_login(reviewer)
    download(client, letter)
    assert len(renders) == 2
    assert letter.case.requester.name in renders[0]["html"]
    assert letter.case.requester.name not in renders[1]["html"]


def test_an_edit_changes_the_key_and_renders_the_new_text(client, letter, officer, renders):
    client.force_login(officer)
    before = download(client, letter).content
    builders.edit_answer(letter, actor=officer, text="We hold 41 reports, listed below.")
    after = download(client, letter).content

    assert len(renders) == 2 and before != after
    assert "We hold 41 reports, listed below." in renders[1]["html"]
    assert download(client, letter).content == after and len(renders) == 2


def test_the_key_covers_what_the_html_does_not_show(letter):
    """The logo's bytes, the attachments and the stylesheet version all go into the PDF."""
    inputs = pdf_inputs(letter, draft=True)
    key = isolated_render.draft_cache_key(inputs)
    assert key == isolated_render.draft_cache_key(pdf_inputs(letter, draft=True))

    new_logo = {**inputs, "assets": {"/media/logo.png": (b"other image", "image/png")}}
    other_data = {**inputs, "attachments": [("decision.json", b"{}", "The decision")]}
    keys = {key, isolated_render.draft_cache_key(new_logo)}
    keys.add(isolated_render.draft_cache_key(other_data))
    assert len(keys) == 3
    assert len(isolated_render.assets_version()) == 64


def test_a_letter_too_big_for_the_limits_gets_a_clear_page(client, letter, officer, monkeypatch):
    def too_big(html, **inputs):
        raise isolated_render.RenderLimitExceeded(
            "Rendering the letter took longer than 20 seconds and was stopped. "
            "Shorten the letter or its tables and try again."
        )

    monkeypatch.setattr(isolated_render, "render_pdf_isolated", too_big)
    client.force_login(officer)
    response = download(client, letter)

    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "This letter is too big to make into a PDF" in page
    assert "took longer than 20 seconds" in page
    assert "govuk-list--bullet" in page and reverse("letter_edit", args=[letter.pk]) in page
    # A failure is not cached: the next download tries again.
    assert (
        caches[isolated_render.DRAFT_CACHE].get(
            isolated_render.draft_cache_key(pdf_inputs(letter, draft=True))
        )
        is None
    )


def test_a_render_that_fails_otherwise_says_so(client, letter, officer, monkeypatch):
    def broken(html, **inputs):
        raise RenderError("Rendering the letter stopped unexpectedly.")

    monkeypatch.setattr(isolated_render, "render_pdf_isolated", broken)
    client.force_login(officer)
    response = download(client, letter)
    assert response.status_code == 503
    assert "The draft PDF could not be made" in response.content.decode()


@pytest.mark.slow
def test_a_real_render_over_the_time_limit_stops_and_gets_the_page(
    client, authority, requester, officer, settings
):
    big = long_table_letter(rows=600, authority=authority, requester=requester)
    settings.DRAFT_PDF_TIMEOUT_SECONDS = 0.3
    client.force_login(officer)
    response = download(client, big)
    assert response.status_code == 422
    assert "took longer than 0.3 seconds" in response.content.decode()


@pytest.mark.slow
def test_a_real_draft_is_rendered_in_a_child_and_then_cached(client, letter, officer):
    from pypdf import PdfReader

    client.force_login(officer)
    first = download(client, letter)
    assert first.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(first.content)).pages)
    assert "DRAFT" in text
    assert download(client, letter).content == first.content
