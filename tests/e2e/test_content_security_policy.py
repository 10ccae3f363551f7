"""The Content Security Policy in a real browser: nothing the pages need is refused.

The policy runs no inline script, so these check that what the pages do with
JavaScript still happens: GOV.UK Frontend starts, the editor's live preview (htmx) swaps
in, and the preview frame, which runs under the editor page's policy, is styled.
"""

import pytest
from playwright.sync_api import expect

from responses.demo import load_demo
from responses.models import Letter
from tests.e2e.conftest import sign_in

DEMO_PASSWORD = "a-demo-password-for-the-browser-tests"


@pytest.fixture
def demo_letter(catalogue, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    return load_demo().case.letters.get(kind=Letter.Kind.RESPONSE)


def refusals(page):
    """Collect what the browser says it refused under the policy."""
    messages = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return messages


def test_the_letter_editor_works_under_the_policy(page, live_server, demo_letter):
    refused = refusals(page)
    officer = demo_letter.case.assigned_to
    sign_in(page, live_server, officer, password=DEMO_PASSWORD)
    page.goto(f"{live_server.url}/letters/{demo_letter.pk}/")

    # GOV.UK Frontend's script ran: it marks the components it started.
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    expect(
        page.locator("[data-module='govuk-button'][data-govuk-button-init]").first
    ).to_be_attached()

    # Typing redraws the preview through htmx, as a srcdoc frame styled by the letter's CSS.
    page.locator("#letter-sections textarea").first.fill("A paragraph typed just now.")
    frame = page.frame_locator("#preview iframe[srcdoc]")
    expect(frame.get_by_text("A paragraph typed just now.")).to_be_visible()
    font = frame.locator("html").evaluate("element => getComputedStyle(element).fontFamily")
    assert "Letter Sans" in font

    assert refused == []
