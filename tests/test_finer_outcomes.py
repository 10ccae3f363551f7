"""Finer outcomes per question, each as data with the project's standard wording in the
letter: provided in part without an exemption, not applicable, section 12 with a voluntary
release, several parts of one answer, the requester's own personal data, and figures."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from exemptions.models import Exemption, Regime
from responses import checks
from responses.models import Decision
from responses.rendering.context import decision_data
from responses.rendering.html import render_letter_html
from responses.rendering.pdf import render_letter_pdf
from tests import builders
from tests.builders import NCND, WITHHOLD, decide, draft_letter, findings, open_case

Outcome = Decision.Outcome

BOARD = [
    "Please list the names of the board members since 2020.",
    "Please send the minutes of the board meetings where the cost of the new depot was discussed.",
    "Have you carried out an audit of the depot project?",
    "If so, what did it conclude?",
]


@pytest.fixture
def case(catalogue, authority, requester, officer):
    return open_case(actor=officer, authority=authority, requester=requester, questions=BOARD)


def letter_text(letter):
    """The letter as the requester reads it: the HTML's words, tags removed."""
    html = render_letter_html(letter, draft=True)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text.replace("&amp;", "&").replace("&#34;", '"'))


def headings(letter):
    return [(s.heading, s.level) for s in letter.sections.all()]


def codes(letter):
    return {finding.code for finding in checks.letter_findings(letter)}


def test_provided_in_part_with_the_rest_not_held_needs_no_exemption(case, officer):
    decide(
        case,
        actor=officer,
        numbers=[1],
        outcome=Outcome.PROVIDED_IN_PART,
        answer="The board members since 2022 are listed below.",
        rest_reason=Decision.RestReason.NOT_HELD,
    )
    decide(
        case,
        actor=officer,
        numbers=[2],
        outcome=Outcome.PROVIDED_IN_PART,
        answer="The minutes of 4 May 2024 are enclosed.",
        rest_reason=Decision.RestReason.NOT_RECORDED,
    )
    decide(case, actor=officer, numbers=[3, 4], outcome=Outcome.PROVIDED)
    letter = draft_letter(case, actor=officer)
    text = letter_text(letter)
    assert "We do not hold the rest of what you asked for" in text
    assert "not recorded in that form" in text and "create information it does not hold" in text
    assert findings(letter) == []
    data = decision_data(letter, draft=True)
    assert [d["rest_reason"] for d in data["decisions"]][:2] == ["not_held", "not_recorded"]


def test_provided_in_part_without_a_reason_or_exemption_is_an_error(case, officer):
    decide(case, actor=officer, outcome=Outcome.PROVIDED_IN_PART)
    letter = draft_letter(case, actor=officer)
    assert "partial-release" in codes(letter)


def test_provided_in_part_form_asks_why_the_rest_is_not_provided(client, case, officer):
    client.force_login(officer)
    post = {
        "questions": [case.questions.get(number=1).pk],
        "outcome": "provided_in_part",
        "answer": "The names since 2022.",
        "action": "save",
    }
    page = client.post(reverse("decision_add", args=[case.pk]), post).content.decode()
    assert "Say why the rest of the question is not provided" in page
    response = client.post(
        reverse("decision_add", args=[case.pk]), {**post, "rest_reason": "not_held"}
    )
    assert response.status_code == 302
    assert case.decisions.get().rest_reason == "not_held"
    # Exemptions ticked for the rest are the reason, without asking again.
    section_21 = Exemption.objects.get(regime__code="FOIA", section="21")
    response = client.post(
        reverse("decision_add", args=[case.pk]),
        {
            **post,
            "questions": [case.questions.get(number=2).pk],
            "withhold_exemptions": [section_21.pk],
        },
    )
    assert response.status_code == 302
    assert case.decisions.get(questions__number=2).rest_reason == "exempt"


def test_not_applicable_names_the_question_it_depends_on(case, officer):
    decide(case, actor=officer, numbers=[1, 2], outcome=Outcome.PROVIDED)
    decide(
        case,
        actor=officer,
        numbers=[3],
        outcome=Outcome.PROVIDED,
        answer="No. We have not audited the depot project.",
    )
    decide(
        case,
        actor=officer,
        numbers=[4],
        outcome=Outcome.NOT_APPLICABLE,
        depends_on=case.questions.get(number=3),
    )
    letter = draft_letter(case, actor=officer)
    text = letter_text(letter)
    assert (
        "This question depends on the answer to Q3. Given our answer to Q3, it does not arise"
        in (text)
    )
    assert findings(letter) == []
    assert decision_data(letter, draft=True)["decisions"][-1]["depends_on"] == 3
    assert decision_data(letter, draft=True)["decisions"][-1]["outcome"] == "not_applicable"


def test_not_applicable_after_an_ncnd_is_refused_by_the_checks(case, officer):
    decide(case, actor=officer, numbers=[1, 2], outcome=Outcome.PROVIDED)
    decide(case, actor=officer, numbers=[3], outcome=Outcome.NCND, citations=[("31", NCND)])
    decide(
        case,
        actor=officer,
        numbers=[4],
        outcome=Outcome.NOT_APPLICABLE,
        depends_on=case.questions.get(number=3),
    )
    letter = draft_letter(case, actor=officer)
    assert "not-applicable-depends" in codes(letter)


def test_not_applicable_form_needs_an_earlier_question(client, case, officer):
    client.force_login(officer)
    q3, q4 = case.questions.get(number=3), case.questions.get(number=4)
    post = {"questions": [q3.pk], "outcome": "not_applicable", "action": "save"}
    url = reverse("decision_add", args=[case.pk])
    assert "Choose the earlier question" in client.post(url, post).content.decode()
    later = client.post(url, {**post, "depends_on": q4.pk}).content.decode()
    assert "Q4 comes after the question it would decide" in later
    assert client.post(url, {**post, "questions": [q4.pk], "depends_on": q3.pk}).status_code == 302


# --------------------------------------------------------------------------- section 12


def test_section_12_with_a_voluntary_release_per_question(case, officer):
    decide(
        case,
        actor=officer,
        numbers=[2],
        outcome=Outcome.COST_LIMIT,
        cost_minimum_hours=40,
        cost_drivers=["no_central_record", "every_mailbox"],
        cost_drivers_detail="About 2,400 staff mailboxes would need searching.",
        discretionary_release=True,
        answer="The minutes of 4 May 2024 mention the depot; a copy is enclosed.",
        advice_questions=[case.questions.get(number=2)],
        advice_action=Decision.AdviceAction.NARROW,
    )
    decide(
        case,
        actor=officer,
        numbers=[3],
        outcome=Outcome.COST_LIMIT,
        cost_estimate=[{"key": "locating", "activity": "Locating the information", "hours": 1}],
        cost_drivers=["paper_files"],
    )
    decide(case, actor=officer, numbers=[1, 4], outcome=Outcome.PROVIDED)
    letter = draft_letter(case, actor=officer)
    text = letter_text(letter)
    # Stated once, for the request as a whole, saying the others were answered anyway.
    assert text.count("under section 12(1)") == 1
    assert "Section 12 applies to a request as a whole" in text
    assert "We have nonetheless chosen to answer Q1 & 4" in text
    assert (
        "Section 12 applies to this part of your request too, for the reasons given under Q2"
        in (text)
    )
    # Per question what drives the cost, the estimate against the limit, the release.
    assert "We keep no central record of this information." in text
    assert "every member of staff" in text and "About 2,400 staff mailboxes" in text
    assert "would take more than 40 hours of staff time" in text
    assert "Locating the information: 1 hour" in text and "1 hours" not in text
    assert "The appropriate limit for Westshire Police is £450" in text and "18 hours" in text
    assert "we have chosen to give you what our searches found" in text
    assert "we cannot confirm that this is all the information we hold" in text
    assert "if you narrowed Q2" in text
    assert not any(f.is_error for f in checks.letter_findings(letter))
    data = decision_data(letter, draft=True)
    assert data["decisions"][1]["outcome"] == "cost_limit"
    assert data["decisions"][1]["discretionary_release"] is True


def test_section_12_stated_for_one_question_while_the_others_are_answered(case, officer):
    decide(
        case,
        actor=officer,
        numbers=[2],
        outcome=Outcome.COST_LIMIT,
        cost_minimum_hours=30,
        cost_drivers=["manual_review"],
        advice_questions=[case.questions.get(number=2)],
        advice_action=Decision.AdviceAction.DROP,
    )
    decide(case, actor=officer, numbers=[1, 3, 4], outcome=Outcome.PROVIDED)
    letter = draft_letter(case, actor=officer)
    text = letter_text(letter)
    assert "not to each question separately" in text
    assert "We have nonetheless chosen to answer Q1, 3 & 4" in text
    assert "if you removed Q2 from your request, we expect that we could answer the rest" in text
    assert findings(letter) == []


def test_section_12_estimates_are_added_up_against_the_limit(case, officer):
    for number in (1, 2):
        decide(
            case,
            actor=officer,
            numbers=[number],
            outcome=Outcome.COST_LIMIT,
            cost_minimum_hours=10,
            cost_drivers=["paper_files"],
        )
    decide(case, actor=officer, numbers=[3, 4], outcome=Outcome.PROVIDED)
    letter = draft_letter(case, actor=officer)
    assert "cost-within-limit" not in codes(letter)  # 20 hours together, over 18
    Decision.objects.filter(case=case, outcome=Outcome.COST_LIMIT).update(cost_minimum_hours=5)
    expected = (
        "Q1 & 2: the estimate of 10 hours does not exceed the limit of 18 hours, so section 12 "
        "does not apply."
    )
    assert expected in findings(letter)


def test_foisa_cost_limit_uses_its_own_amount_and_rate(catalogue, authority, requester, officer):
    case = open_case(
        actor=officer,
        authority=authority,
        requester=requester,
        regime=Regime.objects.get(code=Regime.FOISA),
    )
    decide(
        case,
        actor=officer,
        outcome=Outcome.COST_LIMIT,
        cost_minimum_hours=45,
        cost_drivers=["every_mailbox"],
    )
    letter = draft_letter(case, actor=officer)
    text = letter_text(letter)
    # The library's FOISA section 12 refusal, and the estimate against FOISA's own limit.
    assert "section 12(1) of the Freedom of Information (Scotland) Act 2002" in text
    assert "£600" in text and "£15 an hour, so the limit is 40 hours" in text
    assert "£450" not in text


def test_section_12_form_takes_a_lower_bound_drivers_and_named_advice(client, case, officer):
    client.force_login(officer)
    q2 = case.questions.get(number=2)
    post = {
        "questions": [q2.pk],
        "outcome": "cost_limit",
        "cost_minimum_hours": "40",
        "cost_drivers": ["every_mailbox"],
        "discretionary_release": "on",
        "advice_questions": [q2.pk],
        "action": "save",
    }
    page = client.post(reverse("decision_add", args=[case.pk]), post).content.decode()
    assert "Give what the searches found so far" in page
    assert "Say whether the questions should be dropped or narrowed" in page
    assert "the limit is 18 hours" in page
    response = client.post(
        reverse("decision_add", args=[case.pk]),
        {**post, "answer": "Two emails found so far.", "advice_action": "drop"},
    )
    assert response.status_code == 302
    decision = case.decisions.get()
    assert decision.cost_minimum_hours == 40 and decision.discretionary_release
    assert decision.cost_drivers == ["every_mailbox"]
    assert list(decision.advice_questions.all()) == [q2]


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        (
            "https://www.example.gov.uk/contracts",
            "You can find it at https://www.example.gov.uk/contracts.",
        ),
        ("www.example.gov.uk/contracts.", "You can find it at www.example.gov.uk/contracts."),
        (
            "on our website at https://www.example.gov.uk/contracts.",
            "You can find it on our website at https://www.example.gov.uk/contracts.",
        ),
    ],
)
def test_a_signpost_reads_as_a_sentence_however_the_officer_typed_it(case, officer, typed, printed):
    decide(
        case,
        actor=officer,
        numbers=[1],
        outcome=Outcome.WITHHELD,
        citations=[("21", WITHHOLD)],
        signpost=typed,
    )
    decide(case, actor=officer, numbers=[2], outcome=Outcome.PROVIDED, signpost=typed)

    letter = draft_letter(case, actor=officer)
    text = " ".join(p.text for s in letter.sections.all() for p in s.paragraphs.all())

    assert text.count(printed) == 2
    assert "find it https" not in text and "find it www" not in text and "contracts.." not in text


# --------------------------------------------------------------------------- parts


def test_parts_of_one_question_print_together_under_it(case, officer):
    names = case.questions.get(number=1)
    decide(
        case,
        actor=officer,
        numbers=[1],
        outcome=Outcome.WITHHELD,
        citations=[("21", WITHHOLD)],
        part_label="Names already published",
        signpost="on our website at https://www.example.gov.uk/board",
    )
    decide(case, actor=officer, numbers=[2, 3, 4], outcome=Outcome.PROVIDED)
    # Added last, but printed under Q1, not after the last question.
    decide(
        case,
        actor=officer,
        numbers=[names.number],
        outcome=Outcome.WITHHELD,
        citations=[("40(2) first condition", WITHHOLD)],
        part_label="Other names",
    )
    letter = draft_letter(case, actor=officer)
    decision_headings = [h for h in headings(letter) if h[1] > 1]
    assert decision_headings[:4] == [
        ("Q1", 2),
        ("Names already published", 3),
        ("Other names", 3),
        ("Q2, 3 & 4", 2),
    ]
    text = letter_text(letter)
    published, other, rest = (
        text.index("Names already published"),
        text.index("Other names"),
        text.index("Q2, 3 & 4"),
    )
    assert published < other < rest
    assert "You can find it on our website at https://www.example.gov.uk/board" in text
    assert "section 40(2)" in text
    assert findings(letter) == []


def test_the_form_asks_whether_a_second_decision_is_a_separate_part(client, case, officer):
    decide(case, actor=officer, numbers=[1], outcome=Outcome.PROVIDED)
    client.force_login(officer)
    q1 = case.questions.get(number=1)
    post = {
        "questions": [q1.pk],
        "outcome": "withheld",
        "withhold_exemptions": [Exemption.objects.get(section="40(2) first condition").pk],
        "action": "save",
    }
    page = client.post(reverse("decision_add", args=[case.pk]), post).content.decode()
    assert "Q1 already has a decision (information provided)" in page
    assert "If this decision answers a separate part of it, name the part" in page
    assert case.decisions.count() == 1
    response = client.post(
        reverse("decision_add", args=[case.pk]), {**post, "part_label": "Other names"}
    )
    assert response.status_code == 302
    assert case.decisions.count() == 2


def test_unnamed_parts_are_a_warning(case, officer):
    decide(case, actor=officer, numbers=[1], outcome=Outcome.PROVIDED)
    decide(case, actor=officer, numbers=[1], outcome=Outcome.NOT_HELD)
    decide(case, actor=officer, numbers=[2, 3, 4], outcome=Outcome.PROVIDED)
    letter = draft_letter(case, actor=officer)
    assert "part-unnamed" in codes(letter)
    assert ("Part 1", 3) in headings(letter) and ("Part 2", 3) in headings(letter)


# --------------------------------------------------------------------------- own personal data


def test_own_personal_data_is_ncnd_under_40_5a_with_the_subject_access_route(case, officer):
    case.authority.subject_access_contact = "the Data Protection Officer, dpo@westshire.example"
    case.authority.save()
    decide(case, actor=officer, numbers=[1], outcome=Outcome.OWN_DATA)
    decide(case, actor=officer, numbers=[2, 3, 4], outcome=Outcome.PROVIDED)
    letter = draft_letter(case, actor=officer)
    text = letter_text(letter)
    assert "section 40(5A)" in text and "neither confirm nor deny" in text
    assert "Article 15 of the UK General Data Protection Regulation" in text
    assert "Data Protection Act 2018" in text
    assert "please write to the Data Protection Officer, dpo@westshire.example" in text
    decision = case.decisions.get(outcome=Outcome.OWN_DATA)
    assert [c.provision for c in decision.citations.all()] == ["40(5A)"]
    assert not any(f.is_error for f in checks.letter_findings(letter))
    assert decision_data(letter, draft=True)["decisions"][0]["provisions"] == ["section 40(5A)"]


def test_own_personal_data_under_the_eir_is_regulation_5_3(
    catalogue, authority, requester, officer
):
    case = open_case(
        actor=officer,
        authority=authority,
        requester=requester,
        regime=Regime.objects.get(code=Regime.EIR),
    )
    decide(case, actor=officer, outcome=Outcome.OWN_DATA)
    text = letter_text(draft_letter(case, actor=officer))
    assert "regulation 5(3)" in text and "subject access request" in text
    assert "please write to us at foi@westshire.example" in text


def test_own_personal_data_is_an_outcome_on_the_form(client, case, officer):
    client.force_login(officer)
    page = client.get(reverse("decision_add", args=[case.pk])).content.decode()
    assert "The requester&#x27;s own personal data (subject access request)" in page
    response = client.post(
        reverse("decision_add", args=[case.pk]),
        {"questions": [case.questions.first().pk], "outcome": "own_data", "action": "save"},
    )
    assert response.status_code == 302
    assert case.decisions.get().citations.get().provision == "40(5A)"


# --------------------------------------------------------------------------- figures


CRIMES = "Offence\t2024\t2025\tTotal\nBurglary\t120\t3\t123\nTheft\t12\tNR\t12\nTotal\t140\t3\t143"
FIGURES = "Offence\t2024\t2025\nBurglary\t120\t130\nTheft\tNR\tn/a"


def test_figures_as_at_a_date_with_not_recorded_cells_explained(client, case, officer):
    client.force_login(officer)
    response = client.post(
        reverse("decision_add", args=[case.pk]),
        {
            "questions": [q.pk for q in case.questions.all()],
            "outcome": "provided",
            "table": FIGURES,
            "as_at_0": "31",
            "as_at_1": "3",
            "as_at_2": "2026",
            "action": "save",
        },
    )
    assert response.status_code == 302
    decision = case.decisions.get()
    assert decision.as_at == datetime.date(2026, 3, 31)
    assert decision.table[2] == ["Theft", "Not recorded", "n/a"]
    letter = draft_letter(case, actor=officer)
    text = letter_text(letter)
    assert "The figures are as at 31 March 2026." in text
    assert "Information for Q1, 2, 3 & 4, as at 31 March 2026" in text
    assert "Not recorded: we do not record this information" in text
    assert "n/a: the category does not apply here" in text
    assert decision_data(letter, draft=True)["decisions"][0]["as_at"] == "2026-03-31"


def test_totals_that_do_not_add_up_and_small_counts_are_flagged(case, officer):
    decide(
        case,
        actor=officer,
        outcome=Outcome.PROVIDED,
        table=[row.split("\t") for row in CRIMES.split("\n")],
    )
    letter = draft_letter(case, actor=officer)
    messages = findings(letter)
    assert any(
        "the “Total” row, column “2024” says 140 but its breakdown adds up to 132" in m
        for m in messages
    )
    assert any("Disclosure risk review" in m and "3 (Burglary)" in m for m in messages)
    # The Total column adds up (120 + 3 = 123); a "Not recorded" breakdown is not added up.
    assert not any("column, row" in m or "“2025”" in m for m in messages)
    assert case.decisions.get().table[2] == ["Theft", "12", "Not recorded", "12"]


def test_small_count_threshold_is_the_authoritys_and_the_reviewer_sees_the_flag(
    client, case, officer, reviewer
):
    decide(case, actor=officer, outcome=Outcome.PROVIDED, table=[["Year", "Cases"], ["2025", "7"]])
    letter = draft_letter(case, actor=officer)
    assert "small-counts" not in codes(letter)
    case.authority.small_number_threshold = 10
    case.authority.save()
    assert "small-counts" in codes(letter)
    builders.submit(letter, actor=officer, acknowledged_warnings=findings(letter))
    client.force_login(reviewer)
    page = client.get(reverse("review_letter", args=[letter.pk])).content.decode()
    assert "Disclosure risk review: Q1, 2, 3 &amp; 4 has counts below 10: 7 (2025)" in page


def test_parts_and_a_voluntary_release_render_in_the_pdf(case, officer):
    decide(
        case,
        actor=officer,
        numbers=[1],
        outcome=Outcome.WITHHELD,
        citations=[("21", WITHHOLD)],
        part_label="Names already published",
        signpost="on our website at https://www.example.gov.uk/board",
    )
    decide(
        case,
        actor=officer,
        numbers=[1],
        outcome=Outcome.WITHHELD,
        citations=[("40(2) first condition", WITHHOLD)],
        part_label="Other names",
    )
    decide(
        case,
        actor=officer,
        numbers=[2, 3, 4],
        outcome=Outcome.COST_LIMIT,
        cost_minimum_hours=60,
        cost_drivers=["every_mailbox"],
        discretionary_release=True,
        answer="Two sets of minutes found so far are enclosed.",
    )
    letter = draft_letter(case, actor=officer)
    reader = PdfReader(io.BytesIO(render_letter_pdf(letter, draft=True)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    pieces = [
        "Q1",
        "Names already published",
        # The part's own link (the PDF's text may break the line inside the address).
        "You can find it on our website at",
        "Other names",
        "section 40(2)",
        "Q2, 3 & 4",
        "section 12(1)",
        "We have nonetheless chosen to answer Q1",
        "more than 60 hours",
        "Two sets of minutes found so far",
        "we cannot confirm that this is all",
    ]
    positions = [text.find(piece) for piece in pieces]
    assert -1 not in positions, dict(zip(pieces, positions, strict=True))
    assert positions == sorted(positions)
