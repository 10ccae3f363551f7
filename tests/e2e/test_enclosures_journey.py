"""A letter with enclosures in a real browser: the officer attaches a file (a wrong one first,
which is refused without losing the title), another user approves, the officer issues,
the requester downloads the enclosure from their page and /verify/ recognises it."""

import re

import pytest
from playwright.sync_api import expect

from responses import issuing
from responses.models import Letter
from tests.e2e.test_review_journey import (  # noqa: F401 (fixtures used by name)
    demo,
    issued_result,
    link_path_from_email,
    open_from_review_queue,
    person,
    queued_issues,
    submit_for_review,
)

pytestmark = pytest.mark.e2e

POLICY = b"%PDF-1.4\n% the facial recognition policy, as released\n%%EOF\n"
TITLE = "Facial recognition policy, 2025"


def test_a_letter_with_enclosures_from_upload_to_verification(
    person,  # noqa: F811 (the fixtures imported above)
    live_server,
    demo,  # noqa: F811
    queued_issues,  # noqa: F811
    screenshots,
):
    case = demo.case
    letter = case.letters.get(kind=Letter.Kind.RESPONSE)
    officer = person("officer")
    reviewer = person("reviewer")

    # The officer opens the enclosures from the editor and attaches a file.
    officer.goto(f"{live_server.url}/letters/{letter.pk}/")
    officer.get_by_role("link", name="Add or change enclosures").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Enclosures")
    officer.get_by_label("Title").fill(TITLE)
    officer.get_by_label("File", exact=True).set_input_files(
        {"name": "policy.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 a program"}
    )
    officer.get_by_role("button", name="Enclose the file").click()
    expect(officer.locator(".govuk-error-summary")).to_contain_text(
        "is called .pdf but is not a PDF file"
    )
    expect(officer.get_by_label("Title")).to_have_value(TITLE)
    officer.get_by_label("File", exact=True).set_input_files(
        {"name": "policy.pdf", "mimeType": "application/pdf", "buffer": POLICY}
    )
    officer.get_by_role("button", name="Enclose the file").click()
    expect(officer.get_by_text(f"“{TITLE}” is enclosed.")).to_be_visible()
    expect(officer.get_by_test_id("enclosures")).to_contain_text("Annex A")
    expect(officer.get_by_test_id("enclosures")).to_contain_text("policy.pdf")

    # The letter lists it as Annex A.
    officer.get_by_role("link", name="Back to the letter").click()
    expect(officer.get_by_test_id("editor-enclosures")).to_contain_text(f"Annex A: {TITLE}")
    frame = officer.frame_locator("iframe.app-letter-preview")
    expect(frame.locator(".enclosures")).to_contain_text(f"Annex A: {TITLE}")
    submit_for_review(officer, live_server, letter)

    # Another user reviews it, sees the enclosure, and approves.
    open_from_review_queue(reviewer, live_server, case)
    expect(reviewer.get_by_test_id("review-enclosures")).to_contain_text(TITLE)
    reviewer.get_by_role("button", name=re.compile(r"^Approve version \d+")).click()
    expect(reviewer.get_by_text(re.compile(r"Version \d+ approved\."))).to_be_visible()

    # The officer issues it.
    officer.goto(f"{live_server.url}/letters/{letter.pk}/issue/")
    expect(officer.get_by_test_id("letter-status")).to_have_text("Approved")
    officer.get_by_role("button", name="Issue the letter").click()
    expect(officer.get_by_test_id("progress")).to_contain_text("refreshes by itself")
    officer.goto("about:blank")  # SQLite in tests: no page reads while the task writes
    (attempt_id,) = queued_issues
    issuing.run_attempt(attempt_id)
    officer.goto(f"{live_server.url}/letters/{letter.pk}/issue/")
    document = issued_result(officer, letter)
    frozen = document.version.enclosures.get()
    expect(officer.get_by_test_id("issued-enclosures")).to_contain_text(frozen.stored.sha256)

    # The requester downloads the enclosure from their page.
    requester = person()
    requester.goto(f"{live_server.url}{link_path_from_email(case.requester.email)}")
    enclosures = requester.get_by_test_id("enclosures")
    expect(enclosures).to_contain_text(f"Annex A: {TITLE}")
    with requester.expect_download() as download_info:
        enclosures.get_by_role("link", name=TITLE).click()
    download = download_info.value
    assert download.suggested_filename == "policy.pdf"
    downloaded = open(download.path(), "rb").read()
    assert downloaded == POLICY

    # /verify/ recognises the file, and says which letter it came with.
    requester.goto(f"{live_server.url}/verify/")
    requester.get_by_label("Upload the PDF letter").set_input_files(
        {"name": "policy.pdf", "mimeType": "application/pdf", "buffer": downloaded}
    )
    requester.get_by_role("button", name="Check").click()
    verdict = requester.get_by_test_id("verdict")
    expect(verdict).to_contain_text(f"This is an enclosure sent by {case.authority.name}")
    expect(verdict).to_contain_text(f"Annex A of the letter {case.reference}")
    requester.screenshot(path=screenshots("verify-enclosure"), full_page=True)
