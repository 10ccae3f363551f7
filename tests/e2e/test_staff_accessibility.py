"""axe-core on the staff and public pages of one letter's life (drafting, preview, review,
issue, the requester's page, /verify/), failing on any serious or critical violation; and
the drafting and review pages worked with the keyboard alone.

axe-core is read as in test_disclosure_log_accessibility.py (skipped, saying why, without it).
"""

import pytest

from responses import tokens, workflow
from responses.models import Letter, LetterParagraph
from tests import builders
from tests.e2e.conftest import TIMEOUT_MS, sign_in
from tests.e2e.test_disclosure_log_accessibility import (
    AXE_JS,
    BLOCKING,
    describe,
    serious_violations,
)

pytest_plugins = ["tests.review_fixtures"]
pytestmark = pytest.mark.e2e


@pytest.fixture
def axe_page(browser, live_server):
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} is missing: run `npm ci` (axe-core is in package.json)")
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def letter_violations(page):
    """axe on a letter shown as a document of its own (no GOV.UK header)."""
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("() => axe.run(document)")
    assert results["passes"], "axe ran no rules"
    return [v for v in results["violations"] if v["impact"] in BLOCKING]


def check(page, path, *, document=False):
    page.goto(path)
    page.wait_for_load_state()
    violations = letter_violations(page) if document else serious_violations(page)
    return [f"{path}\n{describe(violations)}"] if violations else []


def test_every_page_of_a_letters_life_has_no_serious_violation(
    axe_page, live_server, letter, officer, reviewer, fake_renderer
):
    page = axe_page
    case = letter.case
    found = []
    sign_in(page, live_server, officer)
    for path in [
        "/",
        "/?q=nothing+like+it&received_from_0=31&received_from_1=2&received_from_2=2026",
        "/library/",
        "/library/?q=section+23",
        "/work/",
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/drafting/",
        f"/cases/{case.pk}/decisions/new/",
        f"/letters/{letter.pk}/",
    ]:
        found += check(page, path)
    found += check(page, f"/letters/{letter.pk}/preview/", document=True)

    builders.submit(letter, actor=officer)
    page.context.clear_cookies()
    sign_in(page, live_server, reviewer)
    for path in ["/review/", f"/review/letters/{letter.pk}/"]:
        found += check(page, path)
    found += check(page, f"/review/letters/{letter.pk}/letter.html", document=True)

    version = builders.version_number(letter)
    workflow.approve_letter(letter, actor=reviewer, version_number=version)
    builders.issue(Letter.objects.get(pk=letter.pk), actor=officer)
    page.context.clear_cookies()
    sign_in(page, live_server, officer)
    found += check(page, f"/letters/{letter.pk}/issue/")
    found += check(page, f"/cases/{case.pk}/history/")

    page.context.clear_cookies()
    _link, token = tokens.issue_link(case, actor=officer, revoke_others=False)
    found += check(page, f"/track/{token}/")
    found += check(page, f"/track/{token}/letters/{letter.pk}/", document=True)
    found += check(page, "/verify/")
    assert not found, "\n\n".join(found)


def tab_to(page, selector, limit=300):
    """Press Tab until the element matching ``selector`` has the focus."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {selector}")


def test_drafting_and_review_work_with_the_keyboard_alone(
    page, live_server, letter, officer, reviewer
):
    paragraph = LetterParagraph.objects.filter(section__letter=letter).first()
    sign_in(page, live_server, officer)
    page.goto(f"/letters/{letter.pk}/")
    tab_to(page, f'[name="p-{paragraph.pk}"]')
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Typed with the keyboard alone.")
    tab_to(page, 'button[value="save"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Letter saved" in page.content()
    paragraph.refresh_from_db()
    assert paragraph.text == "Typed with the keyboard alone."

    builders.submit(letter, actor=officer)
    page.context.clear_cookies()
    sign_in(page, live_server, reviewer)
    page.goto(f"/review/letters/{letter.pk}/")
    tab_to(page, f'form[action$="/review/letters/{letter.pk}/approve/"] button')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED
