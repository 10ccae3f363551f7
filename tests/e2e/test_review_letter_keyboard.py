"""The reviewer reads the letter with the keyboard alone, in the page or on its own."""

import pytest
from playwright.sync_api import expect

from tests import builders
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def submitted(catalogue, authority, requester, officer):
    questions = [f"Question number {n} about the drone unit?" for n in range(1, 9)]
    case = builders.open_case(
        actor=officer, authority=authority, requester=requester, questions=questions
    )
    for number in range(1, 9):
        builders.decide(case, actor=officer, numbers=[number], outcome="not_held")
    letter = builders.draft_letter(case, actor=officer)
    builders.submit(letter, actor=officer)
    return letter


def frame_scroll(page):
    frame = next(f for f in page.frames if f != page.main_frame)
    return frame.evaluate("document.scrollingElement.scrollTop")


def test_the_letter_in_the_review_page_scrolls_with_the_keyboard(
    page, live_server, reviewer, submitted
):
    sign_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/review/letters/{submitted.pk}/")
    region = page.get_by_role("region", name=f"Letter {submitted.case.reference}")
    expect(region).to_be_visible()
    # Tab until the letter has the focus, as a keyboard user would.
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        if page.evaluate("document.activeElement.matches('.app-letter-frame')"):
            break
    else:
        pytest.fail("the letter never receives the keyboard focus: " + "\n".join(seen))
    before = frame_scroll(page)
    page.keyboard.press("PageDown")
    page.wait_for_timeout(300)
    assert frame_scroll(page) > before


def test_the_letter_opens_on_its_own_page_and_scrolls_there(page, live_server, reviewer, submitted):
    sign_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/review/letters/{submitted.pk}/")
    page.get_by_role("link", name="Open the letter on its own page").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/review/letters/{submitted.pk}/letter.html")
    expect(page.get_by_text("Question number 8 about the drone unit?")).to_be_attached()
    page.keyboard.press("Tab")
    page.keyboard.press("PageDown")
    page.wait_for_timeout(300)
    assert page.evaluate("document.scrollingElement.scrollTop") > 0
