"""Section 17 checks: each checklist row has a failing and a passing example."""

import pytest

from exemptions.models import Exemption, Regime
from responses import checks, workflow
from responses.models import Citation, Decision, Letter, LetterParagraph, LetterSection

GOOD_CLOSING = (
    "If you are unhappy with this response you may ask for an internal review within 40 working "
    "days. You may then complain to the Information Commissioner under section 50: "
    "https://ico.org.uk/make-a-complaint/"
)


@pytest.fixture
def make_letter(catalogue, authority, requester, officer):
    """Build a case with decisions and a letter whose sections hold the given text."""

    def build(sections, decisions=(), regime="FOIA", questions=("What do you hold?",)):
        case = workflow.open_case(
            actor=officer,
            authority=authority,
            regime=Regime.objects.get(code=regime),
            requester=requester,
            questions=questions,
            request_text="\n".join(questions),
        )
        for position, spec in enumerate(decisions, start=1):
            decision = Decision.objects.create(
                case=case,
                position=position,
                outcome=spec["outcome"],
                answer=spec.get("answer", ""),
                cost_estimate=spec.get("cost_estimate", []),
                advice=spec.get("advice", ""),
            )
            decision.questions.set(case.questions.filter(number__in=spec.get("questions", [1])))
            for index, (section, mode) in enumerate(spec.get("cite", []), start=1):
                Citation.objects.create(
                    decision=decision,
                    exemption=Exemption.objects.get(regime__code=regime, section=section),
                    mode=mode,
                    position=index,
                )
        letter = Letter.objects.create(case=case)
        defaults = {
            "request": "\n".join(questions),
            "closing": GOOD_CLOSING,
        }
        for position, (key, body) in enumerate({**defaults, **sections}.items()):
            section = LetterSection.objects.create(
                letter=letter, key=key, heading=key.title(), position=position
            )
            LetterParagraph.objects.create(section=section, text=body)
        return letter

    return build


def findings_for(letter, check):
    return [f for f in checks.letter_findings(letter) if f.row == check]


NCND = Citation.Mode.NCND
WITHHOLD = Citation.Mode.WITHHOLD

SOUND_NCND = {
    "decision": "The force neither confirms nor denies that it holds the information, relying "
    "on sections 24(2) and 31(3).",
    "harm": "Confirming or denying would be likely to harm law enforcement.",
    "public-interest": "Section 24(2): factors favouring confirmation ... Section 31(3): factors "
    "against ...",
    "balance": "The balance favours maintaining the exclusion.",
}
NCND_DECISION = {"outcome": Decision.Outcome.NCND, "cite": [("24", NCND), ("31", NCND)]}


def test_a_sound_ncnd_letter_has_no_errors(make_letter):
    letter = make_letter(SOUND_NCND, [NCND_DECISION])
    assert [f for f in checks.letter_findings(letter) if f.is_error] == []


def test_check_3_each_provision_named_with_its_subsection(make_letter):
    sections = {**SOUND_NCND, "decision": "We rely on section 24 and section 31(3)."}
    findings = findings_for(make_letter(sections, [NCND_DECISION]), 3)
    assert [f.message for f in findings] == [
        "The decision does not name section 24(2) (the neither-confirm-nor-deny provision)."
    ]


def test_check_4_prejudice_based_needs_harm(make_letter):
    sections = {**SOUND_NCND, "harm": ""}
    findings = findings_for(make_letter(sections, [NCND_DECISION]), 4)
    assert findings and findings[0].where == "harm" and findings[0].is_error


def test_check_14_harm_states_likelihood(make_letter):
    sections = {**SOUND_NCND, "harm": "Confirming or denying could harm policing."}
    assert findings_for(make_letter(sections, [NCND_DECISION]), 14)
    assert not findings_for(make_letter(SOUND_NCND, [NCND_DECISION]), 14)


def test_check_5_qualified_needs_its_public_interest_part(make_letter):
    sections = {**SOUND_NCND, "public-interest": "Section 24(2): factors ..."}
    findings = findings_for(make_letter(sections, [NCND_DECISION]), 5)
    assert [f.code.startswith("pit-missing") for f in findings] == [True]


def test_check_5_balance_required_after_a_test(make_letter):
    sections = {**SOUND_NCND, "balance": ""}
    assert any(
        f.code == "balance-missing" for f in findings_for(make_letter(sections, [NCND_DECISION]), 5)
    )


def test_check_13_no_public_interest_test_for_an_absolute_exemption(make_letter):
    decision = {"outcome": Decision.Outcome.NCND, "cite": [("23", NCND)]}
    base = {
        "decision": "Section 23(5) applies: confirming or denying would show whether a "
        "security body supplied information.",
        "harm": "",
        "balance": "",
    }
    bad = make_letter(
        {**base, "public-interest": "Section 23(5): factors favouring ..."}, [decision]
    )
    good = make_letter({**base, "public-interest": ""}, [decision])
    assert findings_for(bad, 13) and not findings_for(good, 13)
    assert not [f for f in checks.letter_findings(good) if f.is_error]


def test_check_7_internal_review_rights(make_letter):
    letter = make_letter(
        {**SOUND_NCND, "closing": "Complain to the Information Commissioner."}, [NCND_DECISION]
    )
    assert [f.code for f in findings_for(letter, 7)] == ["review-rights"]


def test_check_8_section_50_rights_and_contact(make_letter):
    no_rights = make_letter(
        {**SOUND_NCND, "closing": "Ask us for an internal review."}, [NCND_DECISION]
    )
    assert [f.severity for f in findings_for(no_rights, 8)] == ["error"]
    no_contact = make_letter(
        {**SOUND_NCND, "closing": "Ask for an internal review, then the Information Commissioner."},
        [NCND_DECISION],
    )
    assert [f.severity for f in findings_for(no_contact, 8)] == ["warning"]


def test_check_9_cost_limit_statement_limit_estimate_and_advice(make_letter):
    decision = {"outcome": Decision.Outcome.COST_LIMIT, "cite": [("12", WITHHOLD)]}
    bare = make_letter(
        {"decision": "We cannot answer: it would cost too much (section 12)."}, [decision]
    )
    messages = " ".join(f.message for f in findings_for(bare, 9))
    assert (
        "£450" in messages
        and "hours estimated for each activity" in messages
        and "section 16" in messages
    )
    full = {
        **decision,
        "cost_estimate": [{"activity": "Locating", "hours": 30}],
        "advice": "Narrow the request to one year.",
    }
    complete = make_letter(
        {"decision": "Section 12 applies: the limit is £450, or 18 hours; we hold the records."},
        [full],
    )
    assert findings_for(complete, 9) == []


def test_check_10_section_14_named(make_letter):
    decision = {"outcome": Decision.Outcome.VEXATIOUS, "cite": [("14(1)", WITHHOLD)]}
    assert findings_for(make_letter({"decision": "This request is vexatious."}, [decision]), 10)
    assert not findings_for(make_letter({"decision": "Section 14(1) applies."}, [decision]), 10)


def test_check_11_withholding_confirms_information_is_held(make_letter):
    decision = {"outcome": Decision.Outcome.WITHHELD, "cite": [("31", WITHHOLD)]}
    pit = {
        "public-interest": "Section 31: factors",
        "balance": "Balance.",
        "harm": "It would harm.",
    }
    bad = make_letter({**pit, "decision": "Section 31 applies to this information."}, [decision])
    good = make_letter(
        {**pit, "decision": "The information is held; section 31 applies."}, [decision]
    )
    assert findings_for(bad, 11) and not findings_for(good, 11)


def test_check_12_ncnd_answer_must_not_confirm(make_letter):
    leaky = {**NCND_DECISION, "answer": "Searches located 14 records, which we will not release."}
    findings = findings_for(make_letter(SOUND_NCND, [leaky]), 12)
    assert findings and "Searches located" in findings[0].message
    assert not findings_for(make_letter(SOUND_NCND, [NCND_DECISION]), 12)


def test_check_12_harm_text_must_not_give_the_game_away(make_letter):
    sections = {
        **SOUND_NCND,
        "harm": "Releasing the 3 deployments would be likely to harm policing.",
    }
    assert findings_for(make_letter(sections, [NCND_DECISION]), 12)


def test_check_12_a_related_answer_must_not_confirm_what_an_ncnd_protects(make_letter):
    questions = (
        "Has the force deployed drones over protest camps?",
        "How many drones does the force own?",
    )
    ncnd = {**NCND_DECISION, "questions": [1]}
    provided = {
        "outcome": Decision.Outcome.PROVIDED,
        "questions": [2],
        "answer": "We hold records of 4 drones; all were deployed over protest camps.",
    }
    findings = findings_for(make_letter(SOUND_NCND, [ncnd, provided], questions=questions), 12)
    assert any(f.code.startswith("ncnd-related") for f in findings)
    harmless = {**provided, "answer": "The force owns aircraft for search and rescue."}
    findings = findings_for(make_letter(SOUND_NCND, [ncnd, harmless], questions=questions), 12)
    assert not any(f.code.startswith("ncnd-related") for f in findings)


def test_check_15_section_21_says_where(make_letter):
    decision = {"outcome": Decision.Outcome.WITHHELD, "cite": [("21", WITHHOLD)]}
    bad = make_letter({"decision": "The information is held. Section 21 applies."}, [decision])
    good = make_letter(
        {"decision": "The information is held and available at https://example.org. Section 21."},
        [decision],
    )
    assert findings_for(bad, 15) and not findings_for(good, 15)


def test_check_17_eir_letters_use_eir_rights_and_provisions(make_letter):
    decision = {"outcome": Decision.Outcome.WITHHELD, "cite": [("12(5)(b)", WITHHOLD)]}
    bad = make_letter(
        {"decision": "The information is held; section 31 applies.", "closing": GOOD_CLOSING},
        [decision],
        regime="EIR",
    )
    assert {f.code for f in findings_for(bad, 17)} == {"eir-reg11", "eir-cites-foia"}
    good = make_letter(
        {
            "decision": "The information is held; regulation 12(5)(b) applies.",
            "closing": GOOD_CLOSING + " You may make representations under regulation 11.",
        },
        [decision],
        regime="EIR",
    )
    assert findings_for(good, 17) == []


def test_check_18_foisa_letters_name_the_scottish_commissioner(make_letter):
    bad = make_letter({"decision": "Nothing withheld."}, regime="FOISA")
    # The FOIA closing sends the requester to the ICO under section 50: wrong twice over.
    assert [f.code for f in findings_for(bad, 18)] == ["foisa-cites-foia", "foisa-commissioner"]
    good = make_letter(
        {
            "decision": "Nothing withheld.",
            "closing": "Ask us for a review; then apply to the Scottish Information Commissioner.",
        },
        regime="FOISA",
    )
    assert findings_for(good, 18) == []


def test_check_19_personal_data_names_the_limb(make_letter):
    decision = {"outcome": Decision.Outcome.NCND, "cite": [("40(2) first condition", NCND)]}
    bad = make_letter({"decision": "Section 40 applies."}, [decision])
    good = make_letter({"decision": "Section 40(5B)(a) applies."}, [decision])
    assert findings_for(bad, 19) and not findings_for(good, 19)


def test_check_20_request_quoted(make_letter):
    without_section = make_letter({**SOUND_NCND}, [NCND_DECISION])
    without_section.sections.filter(key="request").delete()
    assert [f.code for f in findings_for(without_section, 20)] == ["request-section"]
    assert findings_for(make_letter(SOUND_NCND, [NCND_DECISION]), 20) == []


def test_parts_count_towards_their_main_section(make_letter):
    """Drafting splits the decision and the public interest test into parts."""
    letter = make_letter({**SOUND_NCND, "decision": "", "public-interest": ""}, [NCND_DECISION])
    for position, (key, heading, body) in enumerate(
        [
            ("decision-1", "Q1", "We neither confirm nor deny, under sections 24(2) and 31(3)."),
            ("pit-1-ncnd-favouring", "Section 24(2) – factors favouring", "- openness"),
            ("pit-2-ncnd-favouring", "Section 31(3) – factors favouring", "- openness"),
        ],
        start=10,
    ):
        section = LetterSection.objects.create(
            letter=letter, key=key, heading=heading, position=position, level=2
        )
        LetterParagraph.objects.create(section=section, text=body)
    assert [f for f in checks.letter_findings(letter) if f.row in (3, 5)] == []


def test_letter_findings_join_drafting_problems_and_section_17(make_letter):
    letter = make_letter(
        {**SOUND_NCND, "balance": ""}, [NCND_DECISION], questions=("First?", "Second?")
    )
    findings = checks.letter_findings(letter)
    assert any(f.code == "balance-missing" and f.is_error for f in findings)
    assert any(f.message == "Q2 has no decision yet." and f.is_error for f in findings)
    assert [f.is_error for f in findings] == sorted((f.is_error for f in findings), reverse=True)


def test_check_1_a_response_after_the_deadline_is_flagged(make_letter):
    import datetime

    letter = make_letter(SOUND_NCND, [NCND_DECISION])
    received = letter.case.received_on
    assert [f for f in checks.letter_findings(letter, today=received) if f.row == 1] == []
    late = [
        f
        for f in checks.letter_findings(letter, today=received + datetime.timedelta(days=60))
        if f.row == 1
    ]
    assert [f.code for f in late] == ["late"] and "late by" in late[0].message
    assert not late[0].is_error  # a late letter must still be sendable


def test_check_2_a_refusal_says_it_is_one(make_letter):
    sections = {**SOUND_NCND, "decision": "About sections 24(2) and 31(3): see below."}
    assert [f.code for f in findings_for(make_letter(sections, [NCND_DECISION]), 2)] == ["reliance"]
    assert findings_for(make_letter(SOUND_NCND, [NCND_DECISION]), 2) == []


def test_check_6_extension_notice_gives_a_date_within_20_working_days(
    catalogue, authority, requester, officer
):
    import datetime

    case = workflow.open_case(
        actor=officer,
        authority=authority,
        regime=Regime.objects.get(code="FOIA"),
        requester=requester,
        questions=["Q?"],
        request_text="Q?",
        received_on=datetime.date(2026, 1, 5),  # deadline 2 February 2026
    )

    def notice(estimate):
        letter = Letter.objects.create(
            case=case, kind=Letter.Kind.EXTENSION, slot_values={"extension_date": estimate}
        )
        return [f.code for f in checks.letter_findings(letter) if f.row == 6]

    assert notice("2 March 2026") == []  # 20 working days after 2 February
    assert notice("3 March 2026") == ["extension-too-long"]
    assert notice("next month") == ["extension-date-format"]


def test_check_16_a_partial_release_names_the_exemption_for_what_is_held_back(make_letter):
    partial = {"outcome": Decision.Outcome.PROVIDED_IN_PART, "answer": "Here is some of it."}
    sections = {"decision": "We hold the information. Here is some of it."}
    assert [f.code.split("-")[0] for f in findings_for(make_letter(sections, [partial]), 16)] == [
        "partial"
    ]
    cited = {**partial, "cite": [("40(2) first condition", WITHHOLD)]}
    assert findings_for(make_letter(sections, [cited]), 16) == []


def test_an_eir_letter_citing_foia_procedure_anywhere_is_an_error(make_letter):
    decision = {"outcome": Decision.Outcome.WITHHELD, "cite": [("12(5)(b)", WITHHOLD)]}
    eir_closing = GOOD_CLOSING + " You may make representations under regulation 11."
    bad = make_letter(
        {
            "decision": "The information is held; regulation 12(5)(b) applies.",
            "balance": "Under section 17 we have weighed the public interest.",
            "closing": eir_closing,
        },
        [decision],
        regime="EIR",
    )
    (finding,) = [f for f in findings_for(bad, 17) if f.code == "eir-cites-foia"]
    assert finding.where == "balance" and "section 17" in finding.message
    assert finding.is_error
    # Section 50, which regulation 18 applies, is not FOIA procedure in an EIR letter.
    good = make_letter(
        {
            "decision": "The information is held; regulation 12(5)(b) applies.",
            "closing": eir_closing,
        },
        [decision],
        regime="EIR",
    )
    assert [f for f in findings_for(good, 17) if f.code == "eir-cites-foia"] == []


def test_a_foisa_letter_citing_the_uk_act_is_an_error(make_letter):
    foisa_closing = "Ask us for a review; then apply to the Scottish Information Commissioner."
    bad = make_letter(
        {
            "decision": "The information is exempt under section 31 of the Freedom of "
            "Information Act 2000.",
            "closing": foisa_closing,
        },
        regime="FOISA",
    )
    (finding,) = findings_for(bad, 18)
    assert finding.code == "foisa-cites-foia" and finding.where == "decision"
    assert "Freedom of Information Act 2000" in finding.message
    good = make_letter(
        {
            "decision": "The information is exempt under section 35(1)(a) of the Freedom of "
            "Information (Scotland) Act 2002.",
            "closing": foisa_closing,
        },
        regime="FOISA",
    )
    assert findings_for(good, 18) == []


def test_eir_findings_speak_of_regulations(make_letter):
    decision = {"outcome": Decision.Outcome.WITHHELD, "cite": [("12(5)(b)", WITHHOLD)]}
    letter = make_letter({"decision": "We hold it and withhold it."}, [decision], regime="EIR")
    messages = [f.message for f in checks.letter_findings(letter)]
    assert "The decision does not name regulation 12(5)(b)." in messages
    assert not any("ection 12(5)" in message for message in messages)
