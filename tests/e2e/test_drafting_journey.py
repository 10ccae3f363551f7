"""An officer builds the reference letter's case from scratch, in a real browser.

Log the request, accept the proposed questions, record the searches, decide each group of
questions (a partial answer plus neither confirm nor deny), draft the response, fill its
slots while the live preview follows, edit and add paragraphs, and download the draft PDF.
"""

import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from responses.models import Case, Letter
from tests.e2e.conftest import sign_in

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
    # The exemption lists are folded away until opened.
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


def test_officer_drafts_the_reference_letter_from_scratch(
    audited_page, live_server, catalogue, authority, officer, screenshots
):
    page = audited_page  # axe-core checks every page it loads
    sign_in(page, live_server, officer)

    # 1. Log the request and accept the questions we propose.
    log_the_request(page, live_server)
    accept_the_proposed_questions(page)
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
