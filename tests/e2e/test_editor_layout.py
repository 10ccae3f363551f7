"""The editor in a real browser: the preview stays in view, the decision form is short,
and leaving with unsaved text asks first."""

import pytest
from playwright.sync_api import expect

from tests import builders
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def case(catalogue, authority, requester, officer):
    questions = [f"Question number {n} about the drone unit?" for n in range(1, 6)]
    return builders.open_case(
        actor=officer, authority=authority, requester=requester, questions=questions
    )


@pytest.fixture
def letter(case, officer):
    for number in range(1, 6):
        builders.decide(case, actor=officer, numbers=[number], outcome="not_held")
    return builders.draft_letter(case, actor=officer)


def test_the_preview_stays_in_view_while_the_officer_scrolls(page, live_server, officer, letter):
    page.set_viewport_size({"width": 1400, "height": 900})
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/letters/{letter.pk}/")
    preview = page.locator(".app-preview-panel")
    expect(preview).to_be_visible()
    page.locator("#closing").scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 900, "the editor should be longer than the screen"
    box = preview.bounding_box()
    assert 0 <= box["y"] < 100, f"the preview scrolled away (top at {box['y']}px)"


def test_the_decision_form_is_short_until_a_part_is_opened(page, live_server, officer, case):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/cases/{case.pk}/decisions/new/")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2500, f"the decision form is {height}px tall"
    ncnd = page.get_by_role("group", name="Exemptions relied on to neither confirm nor deny")
    expect(ncnd).to_be_hidden()
    page.get_by_text("Exemptions relied on to neither confirm nor deny").first.click()
    expect(ncnd).to_be_visible()


def test_leaving_the_editor_with_unsaved_text_asks_first(page, live_server, officer, letter):
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/letters/{letter.pk}/")
    page.locator("#letter-form textarea").first.fill("A sentence not yet saved.")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Cases").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert f"/letters/{letter.pk}/" in page.url  # still in the editor, the text kept


def test_saving_is_not_leaving(page, live_server, officer, letter):
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/letters/{letter.pk}/")
    page.locator("#letter-form textarea").first.fill("Saved this time.")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.wait_for_load_state()
    assert dialogs == []
