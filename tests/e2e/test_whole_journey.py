"""The whole journey of a request, in a real browser, with a screenshot of each step.

An officer logs a police force's request from scratch, accepts the proposed questions,
records the searches, decides each group of questions (a partial answer plus neither confirm
nor deny), drafts the response, fills its slots while the live preview follows, edits and
adds paragraphs and downloads the draft PDF; sends it for review; a reviewer returns it with
a comment; the officer fixes it and sends it again; the reviewer sees what changed and
approves; the officer issues it; the requester opens the emailed link and downloads the
PDF; the public disclosure log shows the response without the requester's name.

axe-core checks every page each person sees (tests/e2e/conftest.py, AxeAudit). Screenshots
go to $E2E_SCREENSHOTS/test_the_whole_journey_of_a_request/ when the run names a folder.
What happens after issue (verification, internal review) is in test_review_journey.py.
"""

import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from responses import issuing
from responses.models import Case, IssuedDocument, Letter
from tests.e2e.test_review_journey import (  # noqa: F401 (a fixture used by name)
    issued_result,
    link_path_from_email,
    open_from_review_queue,
    queued_issues,
)

pytestmark = pytest.mark.e2e

Q1 = (
    "Does the force use live facial recognition technology? "
    "If so, is it deployed overtly, covertly or both?"
)
Q2 = "Please name the suppliers of the facial recognition technology the force uses."
Q3 = (
    "Has the force shared data or image-based intelligence from facial recognition with any "
    "of the following:\n(a) the Home Office\n(b) other UK police forces\n"
    "(c) the security services\n(d) the authorities of other countries"
)
REQUEST_TEXT = f"""Dear Freedom of Information team,

Please provide the following information from 1 January 2022 to the date of this request.

Q1. {Q1}
Q2. {Q2}
Q3. {Q3}

If you must prioritise, answer Q2 and Q3.

Thank you,
Rowan Requester"""

SEARCHES = "We searched the records of Information Management, Digital Policing and Procurement."
LETTER_SUBJECT = "the use of live facial recognition technology"
OVERT_ANSWER = "Westshire Police does not make overt use of live facial recognition technology."
OTHER_STATE = "the Republic of Freedonia"
DEPARTMENTS = "Information Management and Digital Policing"
OFFICER_PARAGRAPH = "We have written to you separately about your earlier request."
SECTION_COMMENT = "Name every department that was searched."
RETURN_COMMENT = "Procurement holds any contract: say why it was searched."
PROCUREMENT = "We also searched Procurement, which would hold any contract for the technology."


def fill_date(page, day):
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))


def log_the_request(page, live_server):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Log a request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a request")
    page.get_by_label("Requester's name").fill("Rowan Requester")
    page.get_by_label("Email address").fill("rowan@example.com")
    fill_date(page, timezone.localdate())
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Subject").fill("live facial recognition")
    page.get_by_label("The request, exactly as received").fill(REQUEST_TEXT)
    page.get_by_role("button", name="Continue").click()


def accept_the_proposed_questions(page):
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the questions")
    questions = page.locator("textarea[name$='-text']")
    expect(questions).to_have_count(3)
    # Each question verbatim, the listed bodies kept inside Q3.
    for number, text in enumerate([Q1, Q2, Q3], start=1):
        question = page.get_by_label(f"Question {number}", exact=True)
        expect(question).to_have_value(text)
        assert shows_whole_text(question)
    expect(page.get_by_label("Scope")).to_have_value(
        re.compile("from 1 January 2022 to the date of this request")
    )
    expect(page.get_by_label("Prioritisation note")).to_have_value(
        re.compile("If you must prioritise, answer Q2 and Q3")
    )
    page.get_by_role("button", name="Accept and save").click()
    expect(page.locator(".govuk-notification-banner, .govuk-panel").first).to_contain_text(
        "The request has been saved"
    )


def record_the_searches(page):
    page.get_by_role("link", name="Edit the request and searches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the request")
    page.get_by_label("Extent and result of searches").fill(SEARCHES)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#searches")).to_contain_text(SEARCHES)


def add_decision(page, questions, outcome, ncnd_sections, answer=""):
    page.get_by_role("link", name="Add a decision").click()
    for number in questions:
        page.get_by_label(re.compile(rf"\bQ{number}\. ")).check()
    page.get_by_label(outcome, exact=True).check()
    if answer:
        page.get_by_label("What you confirm or provide").fill(answer)
    # The exemption lists are folded away until opened; choosing "Neither confirm nor deny"
    # opens its list by itself.
    if outcome == "Neither confirm nor deny":
        expect(page.locator("#ncnd-exemptions")).to_have_attribute("open", "")
    else:
        page.get_by_text("Exemptions relied on to neither confirm nor deny").first.click()
    for label in ncnd_sections:
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decisions and letters")


S23 = "Section 23(5): Information supplied by, or relating to, bodies dealing with security matters"
S24 = "Section 24(2): National security"
S27 = "Section 27(4): International relations"
S31 = "Section 31(3): Law enforcement"


def shows_whole_text(textarea):
    """True when the box is tall enough for its text: nothing hidden behind a scroll bar."""
    return textarea.evaluate("box => box.scrollHeight <= box.clientHeight + 1")


def preview(page):
    return page.frame_locator("#preview iframe")


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def assert_in_order(text, expected):
    """Each expected piece appears, after the one before it."""
    position = 0
    for piece in expected:
        found = text.find(piece, position)
        assert found != -1, f"{piece!r} missing after position {position}"
        position = found + len(piece)


def send_for_review(page):
    """From the editor, as the officer would; sending acknowledges any warnings listed."""
    page.get_by_role("link", name="Send for review").click()
    page.get_by_role("button", name=re.compile("[Ss]end for review$")).click()
    expect(page.get_by_text(re.compile(r"Version \d+ sent for review\."))).to_be_visible()


def test_the_whole_journey_of_a_request(
    person,
    live_server,
    catalogue,
    authority,
    officer,
    reviewer,
    queued_issues,  # noqa: F811 (the fixture imported above)
    screenshots,
):
    page = person(officer)

    # 1. Log the request and accept the questions we propose.
    log_the_request(page, live_server)
    accept_the_proposed_questions(page)
    page.screenshot(path=screenshots("case-logged"), full_page=True)
    case = Case.objects.get(subject="live facial recognition")
    assert "from 1 January 2022 to the date of this request" in case.scope
    assert [q.number for q in case.questions.all()] == [1, 2, 3]

    # 2. Record the searches.
    record_the_searches(page)

    # 3. Decisions: Q1 & 2 partly answered, the rest NCND; Q3 wholly NCND.
    page.get_by_role("link", name="Decide and draft letters").click()
    add_decision(page, [1, 2], "Provided in part", [S23, S24, S31], answer=OVERT_ANSWER)
    add_decision(page, [3], "Neither confirm nor deny", [S23, S24, S27, S31])
    expect(page.locator(".govuk-summary-card__title")).to_have_text(["Q1 & 2", "Q3"])
    page.screenshot(path=screenshots("decisions"), full_page=True)

    # 4. The response letter: fill its slots, watch the preview follow, edit and add text.
    page.get_by_role("button", name="Draft: Response").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Response")
    expect(preview(page).get_by_text("[Fill in: The other State]").first).to_be_visible()

    page.get_by_label("The other State").fill(OTHER_STATE)
    # The preview is redrawn from the unsaved form (htmx) shortly after typing stops.
    expect(preview(page).get_by_text(OTHER_STATE).first).to_be_visible()
    page.get_by_label("Parts of the authority consulted").fill(DEPARTMENTS)
    expect(preview(page).get_by_text(DEPARTMENTS).first).to_be_visible()
    # The letter's own words for what was asked about; the case's subject is only a label.
    page.get_by_label("What the request is about, in the letter's words").fill(LETTER_SUBJECT)
    expect(preview(page).get_by_text(LETTER_SUBJECT).first).to_be_visible()
    # What the officer sees: the slots beside the preview (looked at by eye, see the report).
    page.locator("#slots").evaluate("element => element.scrollIntoView()")
    page.screenshot(path=screenshots("editor"))
    # The whole width of the A4 sheet shows in the preview column: no line is cut off.
    frame = page.locator("#preview iframe").element_handle().content_frame()
    sheet_right = frame.locator(".sheet").evaluate("sheet => sheet.getBoundingClientRect().right")
    frame_width = frame.evaluate("() => document.documentElement.clientWidth")
    assert sheet_right <= frame_width
    frame_box = page.locator("#preview iframe").bounding_box()
    column_box = page.locator("#preview").bounding_box()
    assert frame_box["x"] + frame_box["width"] <= column_box["x"] + column_box["width"] + 1

    # Long library paragraphs are shown whole, so the officer can read what they edit.
    harm = page.locator("#harm textarea").first
    assert len(harm.input_value()) > 600
    assert shows_whole_text(harm)

    intro = page.locator("#request textarea").first
    intro.fill("Thank you for your request, which we received on the date above. You asked:")
    expect(preview(page).get_by_text("Thank you for your request")).to_be_visible()

    page.get_by_role("button", name="Add a paragraph at the start of Further information").click()
    added = page.locator("#closing textarea").first
    expect(added).to_have_value("")
    added.fill(OFFICER_PARAGRAPH)
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("Letter saved")

    letter = Letter.objects.get(case=case, kind=Letter.Kind.RESPONSE)
    assert letter.slot_values["foreign_state"] == OTHER_STATE
    assert letter.slot_values["departments_consulted"] == DEPARTMENTS
    expect(preview(page).get_by_text(OFFICER_PARAGRAPH)).to_be_visible()
    # Every slot is filled: nothing blocks sending the letter for review.
    expect(page.get_by_text("Ready for review")).to_be_visible()
    expect(page.locator("#request textarea").first).to_have_value(re.compile("^Thank you"))
    page.locator("#preview").screenshot(path=screenshots("preview"))

    # 5. The draft PDF, as downloaded.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download draft PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-response-DRAFT.pdf")
    text = pdf_text(open(download.path(), "rb").read())
    flat = re.sub(r"\s+", " ", text)

    assert "DRAFT" in text
    assert_in_order(
        flat,
        [
            "Your request",
            "Thank you for your request, which we received on the date above.",
            "from 1 January 2022 to the date of this request",
            "Q1.",
            "Does the force use live facial recognition technology?",
            "Q2.",
            "Please name the suppliers",
            "Q3.",
            "Has the force shared data",
            "(d) the authorities of other countries",
            "If you must prioritise, answer Q2 and Q3",
            "Extent and result of searches",
            DEPARTMENTS,
            "Decision",
            "Q1 & 2",
            OVERT_ANSWER,
            "23(5)",
            "24(2)",
            "31(3)",
            "Q3",
            "27(4)",
            "Harm",
            "Public interest test",
            "Section 24(2) – factors favouring confirmation or denial",
            "Section 24(2) – factors against confirmation or denial",
            "Section 31(3) – factors favouring confirmation or denial",
            "Section 31(3) – factors against confirmation or denial",
            "Section 27(4) – factors favouring confirmation or denial",
            "Section 27(4) – factors against confirmation or denial",
            "Balance test",
            OFFICER_PARAGRAPH,
            "Nothing in this response should be taken to show whether or not",
            "Please do not compare our response",
            "ask us for an internal review",
            "Information Commissioner for a decision under section 50",
            "holds the copyright in this response",
        ],
    )
    assert OTHER_STATE in flat
    assert len(re.findall(r"factors favouring confirmation or denial", flat)) == 3
    assert "Section 23(5) – factors" not in flat  # absolute: no public interest test
    assert "[Fill in:" not in flat

    # 6. The officer sends it for review.
    send_for_review(page)
    expect(page.locator("#letters")).to_contain_text("Awaiting review")
    page.screenshot(path=screenshots("sent-for-review"), full_page=True)

    # 7. The reviewer, in a browser of their own, comments on a section and returns it.
    checker = person(reviewer)
    open_from_review_queue(checker, live_server, case)
    checker.get_by_label("About").select_option(label="Extent and result of searches")
    checker.get_by_label("Comment").fill(SECTION_COMMENT)
    with checker.expect_navigation():
        checker.get_by_role("button", name="Add comment").click()
    expect(checker.get_by_test_id("comments")).to_contain_text(SECTION_COMMENT)
    checker.get_by_label("What needs to change").fill(RETURN_COMMENT)
    checker.screenshot(path=screenshots("review-returning"), full_page=True)
    checker.get_by_role("button", name="Return to the officer").click()
    expect(checker.get_by_text("Letter returned to the officer.")).to_be_visible()

    # 8. The officer reads why, fixes the searches paragraph and sends it again.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.locator("#history")).to_contain_text(RETURN_COMMENT)
    page.screenshot(path=screenshots("returned"), full_page=True)
    page.locator("#letters").get_by_role("link", name=re.compile("^Edit")).click()
    searches = page.locator("#searches textarea").first
    searches.fill(f"{searches.input_value()}\n\n{PROCUREMENT}")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_text("Letter saved.")).to_be_visible()
    send_for_review(page)

    # 9. The reviewer sees what changed, word by word, and approves version 2.
    open_from_review_queue(checker, live_server, case)
    expect(checker.get_by_role("heading", name="What changed since version 1")).to_be_visible()
    diff = checker.locator('.app-diff[data-section="searches"]')
    expect(diff.locator("ins", has_text="which would hold any contract")).to_be_visible()
    expect(checker.locator(".app-diff")).to_have_count(1)
    expect(checker.get_by_text(RETURN_COMMENT)).to_be_visible()
    letter_frame = checker.frame_locator("iframe.app-letter-frame")
    expect(letter_frame.locator("body")).to_contain_text(PROCUREMENT)
    checker.screenshot(path=screenshots("review-diff"), full_page=True)
    checker.get_by_role("button", name="Approve version 2").click()
    expect(checker.get_by_text("Version 2 approved.")).to_be_visible()
    # A full-page screenshot leaves the letter's frame blank; this shows what it holds.
    checker.locator("iframe.app-letter-frame").scroll_into_view_if_needed()
    expect(letter_frame.locator("body")).to_contain_text(case.reference)
    checker.wait_for_timeout(300)  # one paint after scrolling, for the picture only
    checker.locator("iframe.app-letter-frame").screenshot(path=screenshots("review-letter"))

    # 10. The officer issues it: the page shows progress, then the result.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator("#letters").get_by_role("link", name=re.compile("^Issue")).click()
    expect(page.get_by_test_id("letter-status")).to_have_text("Approved")
    page.screenshot(path=screenshots("issue"), full_page=True)
    page.get_by_role("button", name="Issue the letter").click()
    expect(page.get_by_test_id("progress")).to_contain_text("refreshes by itself")
    expect(page.locator("[data-refresh-seconds]")).to_have_count(1)
    expect(page.get_by_role("button", name="Stop refreshing this page")).to_be_visible()
    expect(page.get_by_role("button", name="Issue the letter")).to_have_count(0)
    page.goto("about:blank")  # SQLite in tests: no page reads while the task writes
    (attempt_id,) = queued_issues
    assert not [m for m in mail.outbox if case.requester.email in m.to]
    issuing.run_attempt(attempt_id)
    page.goto(f"{live_server.url}/letters/{letter.pk}/issue/")
    document = issued_result(page, letter)
    expect(page.locator("[data-refresh-seconds]")).to_have_count(0)
    page.screenshot(path=screenshots("issued"), full_page=True)

    # 11. The requester, not signed in, opens the link they were emailed and downloads the
    # letter.
    track_path = link_path_from_email("rowan@example.com")
    requester = person()
    requester.goto(f"{live_server.url}{track_path}")
    expect(requester.get_by_role("heading", level=1)).to_have_text(f"Your request {case.reference}")
    expect(requester.get_by_test_id("status")).to_have_text("We have replied to your request.")
    expect(requester.get_by_test_id("letters")).to_contain_text("Response, sent")
    expect(requester.get_by_role("button", name="Sign out")).to_have_count(0)
    requester.screenshot(path=screenshots("requester-page"), full_page=True)
    with requester.expect_download() as download_info:
        requester.get_by_role("link", name="Download the letter (PDF)").click()
    issued_pdf = open(download_info.value.path(), "rb").read()
    assert issued_pdf.startswith(b"%PDF")
    assert issued_pdf == bytes(document.pdf)
    issued_text = re.sub(r"\s+", " ", pdf_text(issued_pdf))
    assert OVERT_ANSWER in issued_text
    assert PROCUREMENT in issued_text
    assert "DRAFT" not in issued_text
    requester.get_by_role("link", name="Read it as a web page").click()
    expect(requester.locator("body")).to_contain_text(OVERT_ANSWER)

    # 12. Anyone can read the response in the public disclosure log: it never names the
    # requester, on the page or in the PDF.
    public = person()
    public.goto(f"{live_server.url}/disclosure-log/")
    public.get_by_role("link", name=case.reference).first.click()
    expect(public.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(public.locator("main")).to_contain_text(OVERT_ANSWER)
    assert "Rowan Requester" not in public.content()
    assert "rowan@example.com" not in public.content()
    public.screenshot(path=screenshots("disclosure-log-entry"), full_page=True)
    # The browser shows this PDF itself rather than saving it: fetch what the link gives.
    pdf_link = public.get_by_role("link", name="Download the response as a PDF")
    public_pdf = public.request.get(pdf_link.get_attribute("href")).body()
    assert public_pdf.startswith(b"%PDF")
    public_text = re.sub(r"\s+", " ", pdf_text(public_pdf))
    assert OVERT_ANSWER in public_text
    assert "Rowan" not in public_text
    assert IssuedDocument.objects.filter(version__letter=letter).count() == 1
