"""After issue, in a real browser: the PDF's verification and an internal review; the
broken-link page. The way to issue (submit, return, resubmit, approve, issue) is walked in
test_whole_journey.py; the helpers here are shared with the other journeys.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from responses import checks, issuing, review_clock, tokens, workflow
from responses.demo import load_demo
from responses.models import Case, IssuedDocument, Letter, RequesterLink
from responses.workflow import open_case
from tests import builders

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo-journey-password-1"
REVIEW_REQUEST = "The public interest favours saying whether the technology is used."
OUTCOME_REASONS = "The exemptions were applied correctly and the public interest favours them."


@pytest.fixture
def demo(catalogue, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    result = load_demo()
    letter = result.case.letters.get(kind=Letter.Kind.RESPONSE)
    errors = [f.message for f in checks.letter_findings(letter) if f.is_error]
    assert errors == [], "the demo letter should be ready to submit"
    return result


def user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@pytest.fixture
def person(person):
    """The demo's people by username, signed in with the demo's password."""
    return lambda username=None: person(user(username) if username else None, DEMO_PASSWORD)


def submit_for_review(page, live_server, letter):
    """The submit page lists the warnings; sending the letter acknowledges them."""
    warnings = [f.message for f in checks.letter_findings(letter) if not f.is_error]
    # No page links to the submit page yet (see the report): go there as a bookmark would.
    page.goto(f"{live_server.url}/letters/{letter.pk}/submit/")
    if warnings:
        expect(page.locator(".govuk-warning-text")).to_contain_text("Check these before sending")
        for warning in warnings:
            expect(page.get_by_text(warning, exact=True)).to_be_visible()
        page.get_by_role("button", name="I have read the warnings: send for review").click()
    else:
        page.get_by_role("button", name="Send for review", exact=True).click()
    expect(page.get_by_text(re.compile(r"Version \d+ sent for review\."))).to_be_visible()


def open_from_review_queue(page, live_server, case):
    page.goto(f"{live_server.url}/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Letters to review")
    row = page.get_by_role("row").filter(has_text=case.reference)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=re.compile("Review")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review {case.reference}")
    # The letter frame is large; let the page finish loading before using its forms, or a
    # form sent while it is still loading can be lost on a busy machine.
    page.wait_for_load_state("load")


def issue(page, live_server, case, letter):
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator("#letters").get_by_role("link", name=re.compile("^Issue")).click()
    expect(page.get_by_test_id("letter-status")).to_have_text("Approved")
    page.get_by_role("button", name="Issue the letter").click()
    return issued_result(page, letter)


def issued_result(page, letter):
    expect(page.locator(".govuk-panel__title")).to_have_text("Issued")
    expect(page.get_by_test_id("letter-status")).to_have_text("Issued")
    document = IssuedDocument.objects.get(version__letter=letter)
    expect(page.locator("code")).to_have_text(document.sha256)
    return document


@pytest.fixture
def queued_issues(monkeypatch):
    """Hold issue tasks in a list instead of running them at once, to see the progress page."""
    queued = []

    class HeldTask:
        def enqueue(self, attempt_id):
            queued.append(attempt_id)

    monkeypatch.setattr(issuing, "issue_letter_task", HeldTask())
    return queued


def link_path_from_email(email_address):
    messages = [m for m in mail.outbox if email_address in m.to]
    assert messages, f"no email was sent to {email_address}"
    match = re.search(r"https?://\S+?(/track/[^/\s]+/)", messages[-1].body)
    assert match, messages[-1].body
    return match.group(1)


def test_the_requester_verifies_the_issued_letter_and_asks_for_an_internal_review(
    person, live_server, demo, screenshots
):
    """After issue (the way there is test_whole_journey.py): /verify/ tells the genuine PDF
    from a tampered copy, and the requester asks for an internal review from their page."""
    case = demo.case
    letter = case.letters.get(kind=Letter.Kind.RESPONSE)
    workflow.submit_letter(letter, actor=user("officer"))
    workflow.approve_letter(
        letter, actor=user("reviewer"), version_number=builders.version_number(letter)
    )
    issuing.issue_letter(letter, actor=user("officer"))  # the immediate backend issues it
    document = IssuedDocument.objects.get(version__letter=letter)
    pdf = bytes(document.pdf)
    track_path = link_path_from_email(case.requester.email)
    requester = person()

    # The requester checks the PDF is genuine, then a copy with one byte changed.
    requester.goto(f"{live_server.url}/verify/")
    upload = {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": pdf}
    requester.get_by_label("Upload the PDF letter").set_input_files(upload)
    requester.get_by_role("button", name="Check").click()
    verdict = requester.get_by_test_id("verdict")
    expect(verdict).to_contain_text(f"issued by {case.authority.name}")
    expect(verdict).to_contain_text(f"Reference {case.reference}")
    expect(verdict).to_contain_text(f"Issued {document.issued_at:%-d %B %Y}")
    requester.screenshot(path=screenshots("verify-genuine"), full_page=True)

    tampered = bytearray(pdf)
    tampered[len(tampered) // 2] ^= 0x01
    upload = {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": bytes(tampered)}
    requester.get_by_label("Upload the PDF letter").set_input_files(upload)
    requester.get_by_role("button", name="Check").click()
    verdict = requester.get_by_test_id("verdict")
    expect(verdict).to_contain_text("This is not a letter issued by us.")
    requester.screenshot(path=screenshots("verify-tampered"), full_page=True)

    # The requester asks for an internal review from their page.
    requester.goto(f"{live_server.url}{track_path}")
    requester.get_by_label("What would you like us to look at again, and why?").fill(REVIEW_REQUEST)
    requester.get_by_role("button", name="Ask for an internal review").click()
    expect(requester.get_by_text("We are looking at our response again.")).to_be_visible()
    review_case = Case.objects.get(reviewed_case=case)
    assert review_case.kind == Case.Kind.INTERNAL_REVIEW
    heading = requester.get_by_role("heading", name=f"Internal review {review_case.reference}")
    expect(heading).to_be_visible()
    expect(requester.get_by_role("button", name="Ask for an internal review")).to_have_count(0)

    # The officer is told by email, and finds the review case on the case list.
    subject = f"Internal review requested: {case.reference}"
    (notice,) = [m for m in mail.outbox if m.subject == subject]
    assert notice.to == [user("officer").email]
    assert review_case.reference in notice.body
    officer = person("officer")
    officer.goto(f"{live_server.url}/")
    officer.get_by_role("link", name=review_case.reference).click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text(review_case.reference)
    expect(officer.locator(".govuk-caption-l")).to_contain_text("Internal review")
    expect(officer.locator("#request")).to_contain_text(REVIEW_REQUEST)


def test_the_internal_review_outcome_is_submitted_approved_issued_and_shown(
    person, live_server, demo
):
    case = demo.case
    officer_user, reviewer_user = user("officer"), user("reviewer")
    response_letter = case.letters.get(kind=Letter.Kind.RESPONSE)
    workflow.submit_letter(response_letter, actor=officer_user)
    workflow.approve_letter(
        response_letter,
        actor=reviewer_user,
        version_number=builders.version_number(response_letter),
    )
    issuing.issue_letter(response_letter, actor=officer_user)  # the immediate backend issues it
    track_path = link_path_from_email(case.requester.email)
    review_case = workflow.request_internal_review(case, text="Please look at section 24 again.")

    officer = person("officer")
    officer.goto(f"{live_server.url}/cases/{review_case.pk}/drafting/")
    officer.get_by_role("button", name="Draft: Internal review outcome").click()
    officer.get_by_role("link", name="Record the review's outcome and reasons", exact=True).click()
    officer.get_by_label("Upheld: the original response stands").check()
    officer.get_by_label("Reasons for the outcome").fill(OUTCOME_REASONS)
    officer.get_by_role("button", name="Save outcome").click()
    expect(officer.get_by_text("Outcome saved: the letter now gives it.")).to_be_visible()
    outcome_letter = review_case.letters.get(kind=Letter.Kind.REVIEW_OUTCOME)
    assert OUTCOME_REASONS in " ".join(
        outcome_letter.sections.values_list("paragraphs__text", flat=True)
    )
    submit_for_review(officer, live_server, outcome_letter)

    reviewer = person("reviewer")
    open_from_review_queue(reviewer, live_server, review_case)
    reviewer.get_by_role("button", name="Approve version 1").click()
    expect(reviewer.get_by_text("Version 1 approved.")).to_be_visible()

    issue(officer, live_server, review_case, outcome_letter)

    requester = person()
    requester.goto(f"{live_server.url}{track_path}")
    letters = requester.get_by_test_id("letters")
    expect(letters).to_contain_text(f"Internal review outcome ({review_case.reference})")
    expect(letters).to_contain_text("Outcome: Upheld: the original response stands")
    expect(requester.get_by_text("We have sent you the outcome.")).to_be_visible()


def test_every_broken_link_gets_the_same_friendly_page(
    page, live_server, officer, authority, requester
):
    case = open_case(
        actor=officer,
        authority=authority,
        regime=authority.default_regime,
        requester=requester,
        request_text="Please send the policy on drones.",
        subject="Drones",
        assigned_to=officer,
        questions=["Do you hold a policy on drones?"],
    )
    _, working = tokens.issue_link(case, actor=officer)
    _, expired = tokens.issue_link(case, actor=officer, revoke_others=False)
    RequesterLink.objects.filter(token_hash=tokens.hash_token(expired)).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    _, revoked = tokens.issue_link(case, actor=officer, revoke_others=False)
    RequesterLink.objects.filter(token_hash=tokens.hash_token(revoked)).update(
        revoked_at=timezone.now()
    )

    response = page.goto(f"{live_server.url}/track/{working}/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your request {case.reference}")
    expect(page.get_by_test_id("status")).to_have_text("We are working on your request.")
    deadline = review_clock.deadline_facts(case).deadline
    expect(page.get_by_test_id("deadline")).to_contain_text(f"{deadline:%-d %B %Y}")
    expect(page.get_by_text("Do you hold a policy on drones?")).to_be_visible()

    pages = []
    for token in (expired, revoked, "not-a-real-link", working[:-3]):
        response = page.goto(f"{live_server.url}/track/{token}/")
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
        expect(page.get_by_text(case.reference)).to_have_count(0)
        pages.append(page.locator("main").inner_text())
    assert len(set(pages)) == 1
