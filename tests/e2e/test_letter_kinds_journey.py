"""In a real browser, to issue: a fresh response after the Information Commissioner's
decision notice (new grounds: section 14(1) after section 12 was rejected), and an internal
review decided question by question, late, with its apology."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from responses.models import Decision, IssuedDocument, Letter
from responses.tokens import issue_link
from tests import builders
from tests.e2e.test_review_journey import open_from_review_queue, submit_for_review

pytestmark = pytest.mark.e2e

QUESTIONS = ("How many drones do you own?", "What did each one cost?")


def preview(page):
    return page.frame_locator("#preview iframe")


def pdf_text(document):
    reader = PdfReader(io.BytesIO(bytes(document.pdf)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def answered(catalogue, authority, requester, officer, reviewer):
    """A two-question request refused under section 12 and issued (a real PDF)."""
    case = builders.open_case(
        actor=officer, authority=authority, requester=requester, questions=QUESTIONS
    )
    builders.decide(
        case,
        actor=officer,
        outcome=Decision.Outcome.COST_LIMIT,
        cost_estimate=[{"activity": "Reading every invoice", "hours": 30}],
        advice="Ask for one year only.",
    )
    letter = builders.draft_letter(case, actor=officer)
    builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    return Letter.objects.get(pk=letter.pk)


def issue_from_its_page(page, live_server, letter):
    page.goto(f"{live_server.url}/letters/{letter.pk}/issue/")
    expect(page.get_by_test_id("letter-status")).to_have_text("Approved")
    page.get_by_role("button", name="Issue the letter").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Issued")
    return IssuedDocument.objects.get(version__letter=letter)


def test_a_fresh_response_after_a_decision_notice_is_built_and_issued(
    person, live_server, answered, officer, reviewer
):
    case = answered.case
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=35)
    page = person(officer)

    # The officer records the notice from the answered case's page.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Record a decision notice (fresh response)").click()
    page.get_by_label("Decision notice reference").fill("IC-246810-Z9Y8")
    page.get_by_label("Date of the notice").fill(today.isoformat())
    page.get_by_label("What the Commissioner found").fill(
        "our estimate counted time spent redacting, which section 12 does not allow"
    )
    page.get_by_label("The step the notice requires").fill(
        "issue a fresh response that does not rely on section 12"
    )
    page.get_by_label("Compliance date").fill(deadline.isoformat())
    page.get_by_role("button", name="Record the notice and draft the fresh response").click()
    expect(page.get_by_text("Decision notice recorded")).to_be_visible()
    expect(preview(page).get_by_text("Why we are writing to you again")).to_be_visible()
    expect(preview(page).locator("body")).to_contain_text("decision notice IC-246810-Z9Y8")
    fresh = case.letters.get(kind=Letter.Kind.FRESH_RESPONSE)

    # The case is open again and on the work list, due by the compliance date.
    page.goto(f"{live_server.url}/work/")
    row = page.get_by_role("row").filter(has_text=case.reference)
    expect(row).to_contain_text(f"{deadline:%a} {deadline.day} {deadline:%b %Y}")

    # New grounds: section 14(1) in place of section 12.
    page.goto(f"{live_server.url}/cases/{case.pk}/drafting/")
    page.get_by_role("link", name=re.compile("^Delete")).click()
    page.get_by_role("button", name="Delete decision").click()
    page.get_by_role("link", name="Add a decision").click()
    for number in (1, 2):
        page.get_by_label(re.compile(rf"\bQ{number}\. ")).check()
    page.get_by_label("Refused: vexatious request (section 14(1))", exact=True).check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decisions and letters")

    page.goto(f"{live_server.url}/letters/{fresh.pk}/")
    page.get_by_role("button", name="Update from decisions").click()
    expect(page.get_by_text("Letter saved.")).to_be_visible()
    page.get_by_label("Why the request is vexatious").fill(
        "It is the ninth request on this subject in a month, each asking for every invoice."
    )
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_text("Ready for review")).to_be_visible()
    expect(preview(page).locator("body")).to_contain_text("14(1)")
    submit_for_review(page, live_server, Letter.objects.get(pk=fresh.pk))

    checker = person(reviewer)
    open_from_review_queue(checker, live_server, case)
    checker.get_by_role("button", name="Approve version 1").click()
    expect(checker.get_by_text("Version 1 approved.")).to_be_visible()

    document = issue_from_its_page(page, live_server, fresh)
    expect(page.get_by_text("In time")).to_be_visible()
    text = pdf_text(document)
    assert "Fresh response to your request for information" in text
    assert f"It replaces our response of {today.day} {today:%B %Y}" in text
    assert "IC-246810-Z9Y8" in text and "14(1)" in text

    # The requester sees the fresh response beside the one it replaces.
    _link, token = issue_link(case)
    requester = person()
    requester.goto(f"{live_server.url}/track/{token}/")
    letters = requester.get_by_test_id("letters")
    expect(letters).to_contain_text("Fresh response after a decision notice")
    expect(letters).to_contain_text(
        "After the Information Commissioner's decision notice IC-246810"
    )


def test_an_internal_review_question_by_question_late_with_an_apology(
    person, live_server, answered, officer, reviewer, monkeypatch
):
    review = builders.review_case(answered.case, text="Please look again at the cost of Q2.")
    replied = timezone.localdate()
    # Seven weeks later, past the 20 working days a review is allowed.
    later = replied + datetime.timedelta(days=49)
    real_localdate = timezone.localdate

    def localdate(value=None, timezone=None):  # "today" moves on; other dates stay
        return later if value is None else real_localdate(value, timezone)

    monkeypatch.setattr(timezone, "localdate", localdate)
    page = person(officer)

    # The review's case page offers what applies to a review, not a request's steps.
    page.goto(f"{live_server.url}/cases/{review.pk}/")
    expect(page.locator("#request")).to_contain_text("Please look again at the cost of Q2.")
    expect(page.get_by_role("link", name="Edit the request and searches")).to_have_count(0)
    page.get_by_role("link", name="Draft letters").click()
    page.get_by_role("button", name="Draft: Internal review outcome").click()
    page.get_by_role("link", name="Record the review's outcome and reasons", exact=True).click()

    # The finding on the disputed question; the original answer is shown, not retyped.
    card = page.locator("#finding-q2")
    expect(card).to_contain_text("Our original answer: Refused: cost limit (section 12)")
    card.get_by_label("The requester disputes our answer to Q2").check()
    card.get_by_label("Overturned: the original answer is replaced").check()
    card.get_by_label("Reasons for the finding on Q2").fill(
        "The estimate included time for redaction, which cannot be counted."
    )
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_text("Outcome saved: the letter now gives it.")).to_be_visible()

    # The editor flags the lateness and the letter apologises.
    expect(page.get_by_text(re.compile("This review was due on .* late by")).first).to_be_visible()
    body = preview(page).locator("body")
    expect(body).to_contain_text("You asked us to look again at our answer to Q2.")
    expect(body).to_contain_text(f"we replied on {replied.day} {replied:%B %Y}")
    expect(body).to_contain_text("What did each one cost?")
    expect(body).to_contain_text("We are sorry that we did not complete this review")
    letter = review.letters.get(kind=Letter.Kind.REVIEW_OUTCOME)
    submit_for_review(page, live_server, letter)  # acknowledges the lateness warning

    checker = person(reviewer)
    open_from_review_queue(checker, live_server, review)
    checker.get_by_role("button", name="Approve version 1").click()
    expect(checker.get_by_text("Version 1 approved.")).to_be_visible()

    document = issue_from_its_page(page, live_server, letter)
    text = pdf_text(document)
    assert "Outcome of your internal review" in text
    assert "Our original answer: Refused: cost limit (section 12)" in text
    assert "The review overturned our original answer" in text

    _link, token = issue_link(answered.case)
    requester = person()
    requester.goto(f"{live_server.url}/track/{token}/")
    expect(requester.get_by_test_id("letters")).to_contain_text(
        "Outcome: Overturned: the original response is replaced"
    )
