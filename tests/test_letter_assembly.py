"""Assembling letters from decisions and the clause library: the sections a requester reads."""

from datetime import date, datetime

import pytest
import time_machine

from exemptions.models import Exemption, Regime
from responses import checks
from responses.drafting import decisions, editing, slots
from responses.models import Authority, Decision, Letter, Requester
from responses.workflow import open_case
from tests import builders

NCND = "ncnd"
WITHHOLD = "withhold"

QUESTIONS = [
    "Does the force use facial recognition technology, and if so which types of deployment?",
    "Which suppliers provide the technology?",
    "Has the force shared data or image-based intelligence with any of the following bodies?",
]


def exemption(section, regime="FOIA"):
    return Exemption.objects.get(regime__code=regime, section=section)


def make_case(officer, authority, requester, *, regime="FOIA", questions=QUESTIONS, **fields):
    defaults = dict(
        subject="facial recognition technology",
        scope="From 1 January 2022 to the date of this request.",
        prioritisation_note="If you have to prioritise, please answer Q2 and Q3 first.",
        received_on=date(2026, 3, 3),
        request_text="\n".join(questions),
    )
    defaults.update(fields)
    return open_case(
        actor=officer,
        authority=authority,
        regime=Regime.objects.get(code=regime),
        requester=requester,
        questions=questions,
        **defaults,
    )


def decide(case, officer, numbers, outcome, citations=(), **fields):
    questions = [case.questions.get(number=n) for n in numbers]
    return decisions.save_decision(
        case,
        actor=officer,
        questions=questions,
        outcome=outcome,
        citations=[(exemption(section, case.regime.code), mode) for section, mode in citations],
        **fields,
    )


def keys(letter):
    return [section.key for section in letter.sections.all()]


def headings(letter):
    return [section.heading for section in letter.sections.all()]


def section_text(letter, key):
    section = letter.sections.get(key=key)
    return "\n\n".join(p.text for p in section.paragraphs.all())


def codes(letter, key):
    section = letter.sections.get(key=key)
    return [p.clause.code for p in section.paragraphs.all() if p.clause_id]


@pytest.fixture
def reference_case(catalogue, authority, requester, officer):
    """The reference letter: Q1 & 2 partly answered with NCND for the rest; Q3 wholly NCND."""
    case = make_case(officer, authority, requester)
    q12 = decide(
        case,
        officer,
        [1, 2],
        Decision.Outcome.NCND,
        [("23", NCND), ("24", NCND), ("31", NCND)],
        answer="We do not use facial recognition technology overtly.",
    )
    q3 = decide(
        case,
        officer,
        [3],
        Decision.Outcome.NCND,
        [("23", NCND), ("24", NCND), ("27(1)", NCND), ("31", NCND)],
    )
    return case, q12, q3


def test_reference_letter_sections_in_order(reference_case, officer):
    case, q12, q3 = reference_case
    letter = editing.assemble_letter(case, actor=officer)
    assert keys(letter)[:5] == [
        "request",
        "searches",
        "decision",
        f"decision-{q12.pk}",
        f"decision-{q3.pk}",
    ]
    assert keys(letter)[5:7] == ["harm", "public-interest"]
    assert keys(letter)[-2:] == ["balance", "closing"]
    assert headings(letter)[3:5] == ["Q1 & 2", "Q3"]


def test_reference_letter_decisions_name_the_ncnd_subsections(reference_case, officer):
    case, q12, q3 = reference_case
    letter = editing.assemble_letter(case, actor=officer)
    q12_text = section_text(letter, f"decision-{q12.pk}")
    assert q12_text.startswith("We do not use facial recognition technology overtly.")
    assert codes(letter, f"decision-{q12.pk}") == [
        "foia-s23-ncnd",
        "foia-s24-ncnd",
        "foia-s31-ncnd",
    ]
    q3_text = section_text(letter, f"decision-{q3.pk}")
    for provision in ["23(5)", "24(2)", "27(4)", "31(3)"]:
        assert provision in q3_text
    # Already explained under Q1 & 2: Q3 refers back instead of repeating the statements.
    assert codes(letter, f"decision-{q3.pk}") == ["foia-s27-1-ncnd"]
    assert "Section 24(2) also applies to this part, for the reasons given under Q1 & 2." in q3_text


def test_reference_letter_harm_for_prejudice_based_exemptions_only(reference_case, officer):
    case, _, _ = reference_case
    letter = editing.assemble_letter(case, actor=officer)
    assert codes(letter, "harm") == [
        "foia-s24-harm-ncnd",
        "foia-s31-harm-ncnd",
        "foia-s27-1-harm-ncnd",
    ]


def test_reference_letter_has_three_public_interest_parts_with_ncnd_labels(reference_case, officer):
    case, _, _ = reference_case
    letter = editing.assemble_letter(case, actor=officer)
    pit = [s for s in letter.sections.all() if s.key.startswith("pit-")]
    assert [s.heading for s in pit] == [
        "Section 24(2) – factors favouring confirmation or denial",
        "Section 24(2) – factors against confirmation or denial",
        "Section 31(3) – factors favouring confirmation or denial",
        "Section 31(3) – factors against confirmation or denial",
        "Section 27(4) – factors favouring confirmation or denial",
        "Section 27(4) – factors against confirmation or denial",
    ]
    assert not any("23" in s.heading for s in pit)  # absolute: no public interest test
    assert all(s.paragraphs.exists() for s in pit)
    assert codes(letter, "balance") == ["letter-balance-ncnd"]


def test_reference_letter_closing_has_ncnd_caveat_and_foia_rights(reference_case, officer):
    case, _, _ = reference_case
    letter = editing.assemble_letter(case, actor=officer)
    assert codes(letter, "closing") == [
        "letter-ncnd-caveat",
        "letter-not-comparable",
        "letter-internal-review",
        "letter-ico-complaint",
        "letter-copyright",
    ]
    # Everything is NCND: the searches paragraph must not say what was found.
    assert codes(letter, "searches") == ["letter-searches-ncnd"]


def test_request_section_introduces_the_quoted_request(reference_case, officer):
    case, _, _ = reference_case
    letter = editing.assemble_letter(case, actor=officer)
    assert "3 March 2026" in section_text(letter, "request")


def test_withholding_uses_disclosure_labels_and_withhold_clauses(
    catalogue, authority, requester, officer
):
    case = make_case(
        officer,
        authority,
        requester,
        questions=["How many cameras?"],
        searches="We searched the camera register.",
    )
    decision = decide(case, officer, [1], Decision.Outcome.WITHHELD, [("31", WITHHOLD)])
    letter = editing.assemble_letter(case, actor=officer)
    assert [s.heading for s in letter.sections.all() if s.key.startswith("pit-")] == [
        "Section 31(1) – factors favouring disclosure",
        "Section 31(1) – factors against disclosure",
    ]
    assert codes(letter, f"decision-{decision.pk}") == ["foia-s31-withhold"]
    assert codes(letter, "harm") == ["foia-s31-harm-withhold"]
    assert codes(letter, "balance") == ["letter-balance-withhold"]
    assert "letter-ncnd-caveat" not in codes(letter, "closing")
    assert section_text(letter, "searches") == "We searched the camera register."


def test_class_based_exemption_gets_no_harm_section(catalogue, authority, requester, officer):
    case = make_case(officer, authority, requester, questions=["Investigation files?"])
    decide(case, officer, [1], Decision.Outcome.WITHHELD, [("30(1)", WITHHOLD)])
    letter = editing.assemble_letter(case, actor=officer)
    assert "harm" not in keys(letter)
    assert "public-interest" in keys(letter)  # s30 is qualified, so the test is still needed


def test_absolute_exemption_alone_has_no_public_interest_test(
    catalogue, authority, requester, officer
):
    case = make_case(officer, authority, requester, questions=["Dealings with MI5?"])
    decide(case, officer, [1], Decision.Outcome.NCND, [("23", NCND)])
    letter = editing.assemble_letter(case, actor=officer)
    assert "public-interest" not in keys(letter)
    assert "balance" not in keys(letter)
    assert "harm" not in keys(letter)


def test_cost_limit_letter_gives_limit_estimate_and_advice(
    catalogue, authority, requester, officer
):
    case = make_case(officer, authority, requester, questions=["Every email about cameras"])
    estimate = decisions.cost_estimate_from_hours(
        {"determining": 2, "locating": 10, "retrieving": 6.5, "extracting": 8}
    )
    decision = decide(
        case,
        officer,
        [1],
        Decision.Outcome.COST_LIMIT,
        cost_estimate=estimate,
        advice="You could ask about one month instead of four years.",
    )
    letter = editing.assemble_letter(case, actor=officer)
    text = section_text(letter, f"decision-{decision.pk}")
    assert codes(letter, f"decision-{decision.pk}") == ["foia-s12-withhold", "foia-s12-advice"]
    assert "£450" in text and "18 hours" in text
    assert "26.5 hours" in text
    assert "- Locating the information: 10 hours" in text
    assert "You could ask about one month instead of four years." in text
    assert not [p for p in checks.letter_findings(letter) if p.is_error]


def test_vexatious_letter_uses_section_14(catalogue, authority, requester, officer):
    case = make_case(officer, authority, requester, questions=["Everything, again"])
    decision = decide(case, officer, [1], Decision.Outcome.VEXATIOUS)
    letter = editing.assemble_letter(case, actor=officer)
    assert codes(letter, f"decision-{decision.pk}") == ["foia-s14-1-withhold"]
    assert "public-interest" not in keys(letter)


def test_a_repeated_request_cites_section_14_2(catalogue, authority, requester, officer):
    case = make_case(officer, authority, requester, questions=["The same as last month"])
    decision = decide(case, officer, [1], Decision.Outcome.REPEATED)
    letter = editing.assemble_letter(case, actor=officer)
    assert codes(letter, f"decision-{decision.pk}") == ["foia-s14-2-withhold"]


def test_not_held_letter(catalogue, authority, requester, officer):
    case = make_case(
        officer, authority, requester, questions=["Drone budget?"], searches="Finance searched."
    )
    decision = decide(case, officer, [1], Decision.Outcome.NOT_HELD)
    letter = editing.assemble_letter(case, actor=officer)
    assert codes(letter, f"decision-{decision.pk}") == ["letter-not-held"]
    assert "Westshire Police does not hold" in section_text(letter, f"decision-{decision.pk}")


def test_provided_letter_with_table(catalogue, authority, requester, officer):
    case = make_case(
        officer, authority, requester, questions=["Arrests per year?"], searches="Records."
    )
    table = decisions.parse_table("Year\tArrests\n2024\t1,204\n2025\t1,310\n\n")
    decision = decide(
        case, officer, [1], Decision.Outcome.PROVIDED, answer="The figures are below.", table=table
    )
    letter = editing.assemble_letter(case, actor=officer)
    decision.refresh_from_db()
    assert decision.table == [["Year", "Arrests"], ["2024", "1,204"], ["2025", "1,310"]]
    assert section_text(letter, f"decision-{decision.pk}") == "The figures are below."
    assert "harm" not in keys(letter)
    assert "letter-ncnd-caveat" not in codes(letter, "closing")


def test_parse_table_pads_short_rows():
    assert decisions.parse_table("a\tb\tc\r\n1\t2") == [["a", "b", "c"], ["1", "2", ""]]


@pytest.mark.parametrize(
    ("regime", "closing"),
    [
        ("EIR", ["letter-internal-review-eir", "letter-ico-complaint-eir", "letter-copyright"]),
        ("FOISA", ["letter-internal-review-foisa", "letter-complaint-foisa", "letter-copyright"]),
    ],
)
def test_closing_rights_follow_the_regime(catalogue, requester, officer, regime, closing):
    regime_row = Regime.objects.get(code=regime)
    authority = Authority.objects.create(
        name="Northshire Council", address="1 Road", signatory_name="S", default_regime=regime_row
    )
    case = make_case(officer, authority, requester, regime=regime, questions=["Air quality data?"])
    decide(case, officer, [1], Decision.Outcome.NOT_HELD)
    letter = editing.assemble_letter(case, actor=officer)
    assert codes(letter, "closing") == closing


def test_acknowledgement_letter(catalogue, authority, requester, officer):
    case = make_case(officer, authority, requester)
    letter = editing.assemble_letter(case, actor=officer, kind=Letter.Kind.ACKNOWLEDGEMENT)
    assert keys(letter) == ["request", "body"]
    text = section_text(letter, "body")
    assert case.reference in text and "3 March 2026" in text and "20 working days" in text
    # What the request is about is the officer's words, not the case's subject label.
    assert [slot.name for slot in slots.required_slots(letter)] == ["subject"]
    assert case.subject not in text


def test_clarification_letter_asks_for_the_clarification_slot(
    catalogue, authority, requester, officer
):
    case = make_case(officer, authority, requester)
    letter = editing.assemble_letter(case, actor=officer, kind=Letter.Kind.CLARIFICATION)
    assert codes(letter, "body") == ["letter-clarification"]
    assert [slot.name for slot in slots.required_slots(letter)] == [
        "subject",
        "clarification_needed",
    ]
    assert "section 1(3)" in section_text(letter, "body")
    assert not checks.can_submit(letter)


def test_extension_letter_names_exemptions_and_gives_rights(reference_case, officer):
    case, _, _ = reference_case
    letter = editing.assemble_letter(case, actor=officer, kind=Letter.Kind.EXTENSION)
    body = section_text(letter, "body")
    assert "section 24(2) (national security)" in body
    assert "section 23(5)" not in body  # absolute: no public interest test to extend for
    assert "[Fill in: Date we expect to decide by]" in body
    assert codes(letter, "closing") == [
        "letter-internal-review",
        "letter-ico-complaint",
        "letter-copyright",
    ]
    letter = editing.save_letter(
        letter,
        actor=officer,
        revision=letter.revision,
        slot_values={"extension_date": "2 April 2026"},
    )
    assert "by 2 April 2026" in section_text(letter, "body")


def test_other_requester_details_do_not_leak_into_automatic_slots(catalogue, authority, officer):
    requester = Requester.objects.create(name="{{ 7*7 }}")
    case = make_case(officer, authority, requester)
    letter = editing.assemble_letter(
        case,
        actor=officer,
        kind=Letter.Kind.ACKNOWLEDGEMENT,
        slot_values={"subject": "<b>cameras</b> {{ 7*7 }}"},
    )
    text = section_text(letter, "body")
    assert "<b>cameras</b> {{ 7*7 }}" in text  # kept literally, not escaped twice nor evaluated
    assert "49" not in text


def test_a_response_drafted_after_its_deadline_apologises(catalogue, authority, requester, officer):
    # Received Monday 2 March 2026: due Tuesday 31 March (St Patrick's Day is not counted).
    case = builders.open_case(
        actor=officer,
        authority=authority,
        requester=requester,
        received_on=date(2026, 3, 2),
    )
    apology = "We are sorry that this response is late, and for the delay this has caused you."
    with time_machine.travel(datetime(2026, 3, 31, 12), tick=False):
        in_time = builders.response_letter(case, actor=officer)
        assert apology not in section_text(in_time, "request")
    with time_machine.travel(datetime(2026, 4, 2, 12), tick=False):
        late = builders.response_letter(case, actor=officer)
        [finding] = [f for f in checks.letter_findings(late) if f.code == "late"]

    # Before "We received your request ... You asked:", which leads into the quoted request.
    assert section_text(late, "request").startswith(apology + "\n\nWe received your request")
    assert "late by 2 working days" in finding.message
    assert "The letter apologises for the delay" in finding.message
