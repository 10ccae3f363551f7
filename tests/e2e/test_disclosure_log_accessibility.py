"""The disclosure log's list and entry pages, checked with axe-core in a real browser.

axe-core comes from npm (package.json); the test reads node_modules/axe-core/axe.min.js,
or the file AXE_CORE_JS names, and skips saying why when neither is there. It injects
the script itself, so this test's browser context bypasses the Content Security Policy
(which, rightly, lets the pages run no inline script); no other test does.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from responses.models import Publication
from tests import builders
from tests.e2e.conftest import TIMEOUT_MS, sign_in

pytest_plugins = ["tests.review_fixtures"]
pytestmark = pytest.mark.e2e

AXE_JS = Path(
    os.environ.get("AXE_CORE_JS")
    or Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
)
# What fails the test: axe's two worst impacts. "moderate" and "minor" are reported by
# axe but left to judgement.
BLOCKING = {"serious", "critical"}


@pytest.fixture
def axe_page(browser, live_server):
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} is missing: run `npm ci` (axe-core is in package.json)")
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def entry(letter, officer, reviewer, fake_renderer):
    """A response issued, and so published, through the real services."""
    document = builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    publication = document.public_copy.publication
    assert publication.status == Publication.Status.PUBLISHED
    return publication


def serious_violations(page):
    # The colour checks mean something only with GOV.UK Frontend's styles applied.
    header = page.evaluate("getComputedStyle(document.querySelector('.govuk-header')).color")
    assert header == "rgb(255, 255, 255)", "GOV.UK Frontend's stylesheet did not load"
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("() => axe.run(document)")
    assert results["passes"], "axe ran no rules: is the script the real axe-core?"
    return [v for v in results["violations"] if v["impact"] in BLOCKING]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("path", "shows"),
    [
        pytest.param("/disclosure-log/", "{reference}", id="list"),
        pytest.param("/disclosure-log/?q=drones&outcome=provided", "{reference}", id="searched"),
        pytest.param("/disclosure-log/?q=zeppelins", "No published responses", id="no-match"),
        pytest.param("/disclosure-log/?published_from=31-02-2026", "date", id="bad-date"),
        pytest.param("/disclosure-log/{slug}/", "Download the response", id="entry"),
    ],
)
def test_the_disclosure_log_has_no_serious_accessibility_violations(axe_page, entry, path, shows):
    reference = entry.letter.case.reference
    axe_page.goto(path.format(slug=entry.slug))
    assert shows.format(reference=reference) in axe_page.content()
    violations = serious_violations(axe_page)
    assert violations == [], f"axe found on {path}:\n" + describe(violations)


def test_an_entry_with_its_administrator_form_and_once_withdrawn(
    axe_page, live_server, entry, administrator
):
    sign_in(axe_page, live_server, administrator)
    axe_page.goto(f"/disclosure-log/{entry.slug}/")
    assert "Withdraw this entry" in axe_page.content()
    violations = serious_violations(axe_page)
    assert violations == [], "axe found on the administrator's entry page:\n" + describe(violations)

    # Through the page: an empty reason is refused with a message, then it is withdrawn.
    axe_page.get_by_role("button", name="Withdraw this entry").click()
    axe_page.wait_for_load_state()
    assert "Say why the entry is withdrawn." in axe_page.content()
    violations = serious_violations(axe_page)
    assert violations == [], "axe found with the error message:\n" + describe(violations)

    axe_page.get_by_label("Why is this entry withdrawn?").fill("Published in error.")
    axe_page.get_by_role("button", name="Withdraw this entry").click()
    axe_page.wait_for_load_state()
    assert "Publish it again" in axe_page.content()
    violations = serious_violations(axe_page)
    assert violations == [], "axe found on a withdrawn entry:\n" + describe(violations)
