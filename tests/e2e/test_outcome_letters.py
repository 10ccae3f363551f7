"""Every other kind of outcome and letter assembles and renders to a draft PDF that says
what the requester must be told.

The table outcome goes through the browser, as an officer pasting from a spreadsheet would;
the others go through the same pages with Django's test client, which is quicker.
"""

import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from exemptions.models import Exemption
from responses.drafting.slots import question_slot_key
from responses.models import Letter, LetterParagraph
from tests.e2e.conftest import sign_in
from tests.test_letter_assembly import make_case

pytestmark = pytest.mark.e2e

SPREADSHEET_ROWS = "Year\tStops\tArrests\n2023\t1,204\t310\n2024\t1,377\t298\n"


def flat_pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def exemption_pk(section):
    return Exemption.objects.get(regime__code="FOIA", section=section).pk


def add_decision(client, case, numbers, outcome, *, ncnd=(), withhold=(), **fields):
    data = {
        "questions": [case.questions.get(number=n).pk for n in numbers],
        "outcome": outcome,
        "ncnd_exemptions": [exemption_pk(s) for s in ncnd],
        "withhold_exemptions": [exemption_pk(s) for s in withhold],
        "action": "save",
        **fields,
    }
    response = client.post(reverse("decision_add", args=[case.pk]), data)
    assert response.status_code == 302, response.content.decode()


def draft_letter(client, case, kind="response", *, prefilled=None, **typed):
    """Create the letter from the drafting page, fill the details it asks for, save it.

    ``typed`` are the details the officer types into empty fields; ``prefilled`` the ones
    the editor proposes (and the officer keeps), with the value it must propose.
    """
    prefilled = prefilled or {}
    response = client.post(reverse("letter_create", args=[case.pk, kind]))
    assert response.status_code == 302
    letter = Letter.objects.get(case=case, kind=kind)
    editor = client.get(reverse("letter_edit", args=[letter.pk]))
    shown = {
        field.name.removeprefix("slot-"): field.value() or ""
        for field in editor.context["slot_fields"]
    }
    assert shown == {**dict.fromkeys(typed, ""), **prefilled}
    data = {"revision": letter.revision, "action": "save"}
    for paragraph in LetterParagraph.objects.filter(section__letter=letter):
        data[f"p-{paragraph.pk}"] = paragraph.text
        data[f"p-{paragraph.pk}-section"] = paragraph.section.key
    data.update({f"slot-{name}": value for name, value in {**prefilled, **typed}.items()})
    assert client.post(reverse("letter_edit", args=[letter.pk]), data).status_code == 302
    editor = client.get(reverse("letter_edit", args=[letter.pk]))
    assert editor.context["can_submit"], [p.message for p in editor.context["errors"]]
    return letter


def draft_pdf(client, letter):
    response = client.get(reverse("letter_pdf", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = flat_pdf_text(response.content)
    assert "DRAFT" in text
    assert "[Fill in:" not in text
    return text


def assert_in_order(text, expected):
    position = 0
    for piece in expected:
        found = text.find(piece, position)
        assert found != -1, f"{piece!r} missing after position {position}"
        position = found + len(piece)


RIGHTS = [
    "ask us for an internal review",
    "Information Commissioner for a decision under section 50",
    "holds the copyright in this response",
]


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def one_question_case(officer, authority, requester, question, **fields):
    fields.setdefault("searches", "We searched the records of the Performance Unit.")
    return make_case(officer, authority, requester, questions=[question], **fields)


# ----------------------------------------------------------------- in the browser


def test_choosing_an_outcome_opens_the_part_of_the_form_it_needs(
    page, live_server, catalogue, authority, requester, officer
):
    case = one_question_case(officer, authority, requester, "How many drones do you own?")
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}{reverse('decision_add', args=[case.pk])}")
    withhold = page.locator("#withhold-exemptions")
    ncnd = page.locator("#ncnd-exemptions")
    expect(withhold).not_to_have_attribute("open", "")

    page.get_by_label("Withheld under exemptions", exact=True).check()
    expect(withhold).to_have_attribute("open", "")
    page.get_by_label("Section 24(1): National security").check()

    page.get_by_label("Neither confirm nor deny", exact=True).check()
    expect(ncnd).to_have_attribute("open", "")
    expect(withhold).to_have_attribute("open", "")  # what was ticked stays in view
    expect(page.get_by_label("Section 24(1): National security")).to_be_checked()


def test_information_provided_as_a_table_pasted_from_a_spreadsheet(
    page, live_server, catalogue, authority, requester, officer
):
    case = one_question_case(
        officer, authority, requester, "How many stops and arrests were there each year?"
    )
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}{reverse('case_drafting', args=[case.pk])}")
    page.get_by_role("link", name="Add a decision").click()
    page.get_by_label(re.compile(r"\bQ1\. ")).check()
    page.get_by_label("Information provided", exact=True).check()
    page.get_by_label("What you confirm or provide").fill("The figures are in the table below.")
    page.get_by_text("Add a table of figures").click()  # folded away until opened
    page.get_by_label("Table of figures (optional)").fill(SPREADSHEET_ROWS)
    page.get_by_role("button", name="Preview the table").click()
    table = page.locator("table.govuk-table")
    expect(table.locator("th")).to_have_text(["Year", "Stops", "Arrests"])
    expect(table.locator("tbody tr").first.locator("td")).to_have_text(["2023", "1,204", "310"])
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Information provided")

    page.get_by_role("button", name="Draft: Response").click()
    expect(page.get_by_text("Ready for review")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download draft PDF").click()
    text = flat_pdf_text(open(download_info.value.path(), "rb").read())

    assert "DRAFT" in text
    assert_in_order(
        text,
        [
            "How many stops and arrests were there each year?",
            "Extent and result of searches",
            "We searched the records of the Performance Unit.",
            "Q1",
            "The figures are in the table below.",
            "Year Stops Arrests",
            "2023 1,204 310",
            "2024 1,377 298",
            *RIGHTS,
        ],
    )
    assert "Harm" not in text and "Public interest test" not in text
    assert "Nothing in this response should be taken to show" not in text


# ----------------------------------------------------------------- through the pages


def test_provided_in_part_with_the_rest_reasonably_accessible(
    officer_client, catalogue, authority, requester, officer
):
    case = one_question_case(officer, authority, requester, "Crime figures and board minutes?")
    add_decision(
        officer_client,
        case,
        [1],
        "provided_in_part",
        withhold=["21"],
        answer="The crime figures are attached.",
    )
    where = "on our website at https://www.westshire.example/minutes"
    # Section 21 asks where the information is for each question it is cited for.
    slot = question_slot_key("where_accessible", case.decisions.get().pk)
    text = draft_pdf(officer_client, draft_letter(officer_client, case, **{slot: where}))
    assert_in_order(
        text,
        [
            "Decision",
            "The crime figures are attached.",
            # The PDF's text may break the line inside the address.
            "You can find it on our website at https://",
            "www.westshire.example/minutes.",
            "exempt under section 21(1)",
            "refusal notice under section 17(1)",
            *RIGHTS,
        ],
    )
    assert "Public interest test" not in text  # absolute: no public interest test


def test_withheld_under_section_40_2_can_be_sent_for_review(
    officer_client, catalogue, authority, requester, officer
):
    case = one_question_case(officer, authority, requester, "Who attended the board meetings?")
    add_decision(officer_client, case, [1], "withheld", withhold=["40(2) first condition"])
    text = draft_pdf(officer_client, draft_letter(officer_client, case))
    assert "withholding it under section 40(2)" in text


def test_not_held(officer_client, catalogue, authority, requester, officer):
    case = one_question_case(officer, authority, requester, "What did the drone trial cost?")
    add_decision(officer_client, case, [1], "not_held")
    text = draft_pdf(officer_client, draft_letter(officer_client, case))
    assert_in_order(
        text,
        [
            "We searched the records of the Performance Unit.",
            "Westshire Police does not hold the information you have asked for",
            "does not require us to create new information",
            *RIGHTS,
        ],
    )


def test_withheld_under_a_qualified_prejudice_based_exemption(
    officer_client, catalogue, authority, requester, officer
):
    case = one_question_case(
        officer, authority, requester, "Where are the mobile speed cameras each day?"
    )
    add_decision(officer_client, case, [1], "withheld", withhold=["31"])
    text = draft_pdf(
        officer_client, draft_letter(officer_client, case, subject="mobile speed cameras")
    )
    assert_in_order(
        text,
        [
            "we are withholding it under section 31(1)(a) and (b)",
            "Harm",
            "would be likely to prejudice the prevention or detection of crime",
            "Public interest test",
            "Section 31(1) – factors favouring disclosure",
            "Section 31(1) – factors against disclosure",
            "Balance test",
            "outweighs the public interest in disclosure",
            *RIGHTS,
        ],
    )
    assert "confirmation or denial" not in text


def test_section_12_cost_limit_with_hours_per_activity_and_advice(
    officer_client, catalogue, authority, requester, officer
):
    case = one_question_case(officer, authority, requester, "Every email that mentions cameras")
    add_decision(
        officer_client,
        case,
        [1],
        "cost_limit",
        hours_determining="2",
        hours_locating="10",
        hours_retrieving="6.5",
        hours_extracting="8",
        advice="You could ask about a single month instead.",
    )
    text = draft_pdf(officer_client, draft_letter(officer_client, case))
    assert_in_order(
        text,
        [
            "section 12(1)",
            "would take 26.5 hours",
            "Determining whether the information is held: 2 hours",
            "Locating the information: 10 hours",
            "Retrieving the information: 6.5 hours",
            "Extracting the information: 8 hours",
            "The appropriate limit for Westshire Police is £450",
            "costed at £25 an hour, so the limit is 18 hours of work",
            "Under section 16",
            "You could ask about a single month instead.",
            *RIGHTS,
        ],
    )
    assert "Public interest test" not in text


def test_section_14_vexatious(officer_client, catalogue, authority, requester, officer):
    case = one_question_case(officer, authority, requester, "All of it, again")
    add_decision(officer_client, case, [1], "vexatious")
    reasons = "This is the ninth request this month on the same closed complaint."
    text = draft_pdf(officer_client, draft_letter(officer_client, case, vexatious_reasons=reasons))
    assert_in_order(
        text,
        ["We have decided that your request is vexatious", "section 14(1)", reasons, *RIGHTS],
    )


def test_acknowledgement(officer_client, catalogue, authority, requester, officer):
    case = make_case(officer, authority, requester)
    text = draft_pdf(
        officer_client,
        draft_letter(
            officer_client, case, "acknowledgement", subject="facial recognition technology"
        ),
    )
    assert_in_order(
        text,
        [
            "Which suppliers provide the technology?",
            "Thank you for your request for information about facial recognition technology",
            "received on 3 March 2026",
            f"Our reference is {case.reference}",
            "no later than 20 working days",
        ],
    )


def test_clarification(officer_client, catalogue, authority, requester, officer):
    case = make_case(officer, authority, requester)
    needed = "Which of our systems do you mean by 'the technology'?"
    text = draft_pdf(
        officer_client,
        draft_letter(
            officer_client,
            case,
            "clarification",
            subject="facial recognition technology",
            clarification_needed=needed,
        ),
    )
    assert_in_order(
        text,
        [
            "We need more detail before we can identify and find the information you want",
            needed,
            "Under section 1(3)",
            "will start again from the day we receive your answer",
        ],
    )


def test_public_interest_extension(officer_client, catalogue, authority, requester, officer):
    case = make_case(officer, authority, requester)
    add_decision(officer_client, case, [1, 2, 3], "withheld", withhold=["23", "31"])
    text = draft_pdf(
        officer_client,
        draft_letter(
            officer_client,
            case,
            "extension",
            subject="facial recognition technology",
            extension_date="2 April 2026",
            prefilled={"provisions_considered": "section 31(1) (law enforcement)"},
        ),
    )
    assert_in_order(
        text,
        [
            "following exemptions in the Freedom of Information Act 2000 apply",
            "section 31(1) (law enforcement)",
            "Section 10(3)",
            "We expect to reach a decision by 2 April 2026",
            "section 17(1) and (2)",
            *RIGHTS,
        ],
    )
    assert "section 23(1) (" not in text  # absolute: no public interest test to extend for
