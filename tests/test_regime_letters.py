"""Letters under the EIR and FOISA follow their own law: its provisions, limbs, tests,
cost limit, advice and complaint route; and the authority's nation picks the ICO office."""

import pytest

from exemptions.models import Regime
from responses import checks
from responses.drafting import editing
from responses.drafting.slots import question_slot_key, required_slots
from responses.forms.drafting import DecisionForm
from responses.models import Authority, Decision, Letter
from tests.builders import NCND, WITHHOLD, decide, draft_letter, findings, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_under(catalogue, authority, requester, officer):
    def build(regime, questions=("What do you hold?",)):
        return open_case(
            actor=officer,
            authority=authority,
            requester=requester,
            regime=Regime.objects.get(code=regime),
            questions=questions,
        )

    return build


def letter_text(letter):
    return "\n\n".join(
        f"{section.heading}\n" + "\n".join(p.text for p in section.paragraphs.all())
        for section in letter.sections.all()
    )


def headings(letter):
    return [section.heading for section in letter.sections.all()]


def test_a_foisa_letter_cites_the_limbs_and_scottish_procedure(case_under, officer):
    case = case_under("FOISA", questions=("Q one?", "Q two?"))
    decide(case, actor=officer, numbers=[1], outcome=Decision.Outcome.NCND,
           citations=[("35(1)(a)", NCND)])  # fmt: skip
    decide(case, actor=officer, numbers=[2], outcome=Decision.Outcome.WITHHELD,
           citations=[("30(b)(i)", WITHHOLD)])  # fmt: skip

    letter = draft_letter(case, actor=officer)
    text = letter_text(letter)

    assert "Section 18(1) with section 35(1)(a) – factors favouring confirmation or denial" in (
        headings(letter)
    )
    assert "Section 30(b)(i) – factors favouring disclosure" in headings(letter)
    assert "inhibit substantially" in text and "prejudice substantially" in text
    assert "section 2(1)(b) of the Freedom of Information (Scotland) Act 2002" in text
    assert "Section 18(1) of the Freedom of Information (Scotland) Act 2002" in text
    assert "Scottish Information Commissioner" in text
    assert "Freedom of Information Act 2000" not in text
    assert findings(letter) == []


def test_a_foisa_cost_refusal_uses_600_pounds_at_15_pounds_an_hour(case_under, officer):
    # The authority's own FOIA limit is £450; FOISA sets its own for every Scottish body.
    case = case_under("FOISA")
    decide(case, actor=officer, outcome=Decision.Outcome.COST_LIMIT,
           cost_estimate=[{"activity": "Locating", "hours": 45}],
           cost_drivers=["every_mailbox"],
           advice="Ask about one year only.")  # fmt: skip

    letter = draft_letter(case, actor=officer)
    text = letter_text(letter)

    assert "£600" in text and "£15 an hour, so the limit is 40 hours" in text
    assert "section 16(4)" in text and "section 15 of the Freedom" in text
    assert "£450" not in text and "£25" not in text
    assert findings(letter) == []


def test_a_foisa_estimate_under_40_hours_is_within_its_limit(case_under, officer):
    case = case_under("FOISA")
    decide(case, actor=officer, outcome=Decision.Outcome.COST_LIMIT,
           cost_estimate=[{"activity": "Locating", "hours": 30}])  # fmt: skip
    codes = [f.code for f in checks.case_findings(case)]
    assert "cost-within-limit" in codes


def test_an_eir_letter_uses_exceptions_regulation_9_advice_and_its_own_balance(case_under, officer):
    case = case_under("EIR", questions=("Q one?", "Q two?"))
    decide(case, actor=officer, numbers=[1], outcome=Decision.Outcome.WITHHELD,
           citations=[("12(5)(e)", WITHHOLD)],
           advice="The contract's price schedule is published in part.")  # fmt: skip
    decide(case, actor=officer, numbers=[2], outcome=Decision.Outcome.NOT_HELD)

    letter = draft_letter(case, actor=officer)
    text = letter_text(letter)

    assert "Regulation 12(5)(e) – factors favouring disclosure" in headings(letter)
    assert "Under regulation 9 of the Environmental Information Regulations 2004" in text
    assert "The contract's price schedule is published in part." in text
    assert "presumption in favour of disclosure in regulation 12(2)" in text
    assert "regulation 12(4)(a)" in text  # information not held is an exception
    assert "regulation 11" in text
    assert findings(letter) == []


def test_advice_given_on_any_decision_is_printed_under_the_regimes_duty(case_under, officer):
    for regime, duty in [("FOIA", "section 16"), ("FOISA", "section 15")]:
        case = case_under(regime)
        decide(case, actor=officer, outcome=Decision.Outcome.NOT_HELD,
               advice="The county council may hold this.")  # fmt: skip
        text = letter_text(draft_letter(case, actor=officer))
        assert f"Under {duty} of the" in text, regime
        assert "The county council may hold this." in text


@pytest.mark.parametrize("regime", ["EIR", "FOISA"])
def test_the_public_interest_extension_is_only_offered_under_foia(
    case_under, officer, client, regime
):
    case = case_under(regime)
    client.force_login(officer)
    page = client.get(f"/cases/{case.pk}/drafting/").content.decode()
    assert "Draft: Response" in page
    assert "Public interest extension" not in page
    response = client.post(f"/cases/{case.pk}/letters/new/{Letter.Kind.EXTENSION}/")
    assert response.status_code == 404
    assert not case.letters.exists()


def test_foia_still_offers_the_extension(case_under, officer, client):
    case = case_under("FOIA")
    client.force_login(officer)
    assert "Public interest extension" in client.get(f"/cases/{case.pk}/drafting/").content.decode()


def test_section_21_asks_where_to_find_the_information_for_each_question(case_under, officer):
    case = case_under("FOIA", questions=("Q one?", "Q two?"))
    first = decide(case, actor=officer, numbers=[1], outcome=Decision.Outcome.WITHHELD,
                   citations=[("21", WITHHOLD)])  # fmt: skip
    second = decide(case, actor=officer, numbers=[2], outcome=Decision.Outcome.WITHHELD,
                    citations=[("21", WITHHOLD)])  # fmt: skip
    letter = draft_letter(
        case,
        actor=officer,
        slot_values={
            question_slot_key("where_accessible", first.pk): "at https://example.org/one",
            question_slot_key("where_accessible", second.pk): "at https://example.org/two",
        },
    )

    labels = [slot.label for slot in required_slots(letter)]
    assert labels == [
        "Where the information can be found (Q1)",
        "Where the information can be found (Q2)",
    ]
    q1, q2 = (letter.sections.get(key=f"decision-{d.pk}") for d in (first, second))
    q1_text = " ".join(p.text for p in q1.paragraphs.all())
    q2_text = " ".join(p.text for p in q2.paragraphs.all())
    assert "https://example.org/one" in q1_text and "example.org/two" not in q1_text
    assert "https://example.org/two" in q2_text and "refusal notice" in q2_text
    assert findings(letter) == []


def test_an_unfilled_location_blocks_the_letter_until_given_for_that_question(case_under, officer):
    case = case_under("FOIA")
    decision = decide(
        case, actor=officer, outcome=Decision.Outcome.WITHHELD, citations=[("21", WITHHOLD)]
    )
    letter = editing.assemble_letter(case, actor=officer)
    (unfilled,) = [f for f in checks.letter_findings(letter) if f.code == "slot-unfilled"]
    assert unfilled.is_error and "Where the information can be found" in unfilled.message

    key = question_slot_key("where_accessible", decision.pk)
    letter = editing.save_letter(
        letter, actor=officer, revision=letter.revision, slot_values={key: "in our annual report"}
    )
    assert "You can find it in our annual report." in letter_text(letter)
    assert "slot-unfilled" not in {f.code for f in checks.letter_findings(letter)}


@pytest.mark.parametrize(
    "nation, office",
    [
        (Authority.Nation.NORTHERN_IRELAND, "14 Cromac Place, Belfast BT7 2JB"),
        (Authority.Nation.WALES, "Wycliffe House, Water Lane, Wilmslow"),
        (Authority.Nation.ENGLAND, "Wycliffe House, Water Lane, Wilmslow"),
    ],
)
def test_the_complaint_route_names_the_ico_office_for_the_authoritys_nation(
    case_under, officer, authority, nation, office
):
    authority.nation = nation
    authority.save()
    for regime in ("FOIA", "EIR"):
        case = case_under(regime)
        decide(case, actor=officer, outcome=Decision.Outcome.NOT_HELD)
        text = letter_text(draft_letter(case, actor=officer))
        assert office in text, (regime, nation)


def test_a_scottish_authoritys_foisa_letter_goes_to_the_scottish_commissioner(
    case_under, officer, authority
):
    authority.nation = Authority.Nation.SCOTLAND
    authority.save()
    case = case_under("FOISA")
    decide(case, actor=officer, outcome=Decision.Outcome.NOT_HELD)
    text = letter_text(draft_letter(case, actor=officer))
    assert "Scottish Information Commissioner, Kinburn Castle" in text
    assert "Wilmslow" not in text and "Belfast" not in text


def test_the_eir_decision_form_speaks_of_exceptions_and_regulations(case_under):
    form = DecisionForm(case=case_under("EIR"))
    assert form.fields["withhold_exemptions"].label.startswith("Exceptions relied on")
    labels = [label for _value, label in form.fields["withhold_exemptions"].choices]
    assert any(label.startswith("Regulation 12(5)(a): ") for label in labels)
    assert not any(label.startswith("Section") for label in labels)
    outcomes = dict(form.fields["outcome"].choices)
    assert Decision.Outcome.COST_LIMIT not in outcomes  # no section 12 under the EIR
    assert outcomes[Decision.Outcome.WITHHELD] == "Withheld under exceptions"
    assert form.fields["advice"].label == "Advice and assistance (regulation 9)"


def test_the_foisa_decision_form_cites_limbs_its_own_cost_limit_and_section_15(
    case_under, officer, client
):
    case = case_under("FOISA")
    client.force_login(officer)
    page = client.get(f"/cases/{case.pk}/decisions/new/").content.decode()
    assert "Section 18(1) with section 35(1)(a): Law enforcement" in page
    assert "Section 30(b)(i): " in page
    assert "Advice and assistance (section 15)" in page
    assert "the limit is 40 hours" in page


@pytest.mark.parametrize(
    "regime, own, foreign",
    [
        (
            "EIR",
            [
                "Advice and assistance (regulation 9)",
                "Published elsewhere (regulation 6(1)(b))",
                "Exceptions relied on to withhold information",
            ],
            ["(section 16)", "(section 21)", "Section 12 cost estimate", "Exemptions relied on"],
        ),
        (
            "FOISA",
            [
                "Advice and assistance (section 15)",
                "Published elsewhere (section 25)",
                "Section 12 cost estimate",
            ],
            ["(section 16)", "(section 21)"],
        ),
        (
            "FOIA",
            [
                "Advice and assistance (section 16)",
                "Published elsewhere (section 21)",
                "Section 12 cost estimate",
                "Exemptions relied on to withhold information",
            ],
            ["regulation 9", "(section 15)"],
        ),
    ],
)
def test_the_decision_forms_folded_parts_name_the_regimes_own_provisions(
    case_under, officer, client, regime, own, foreign
):
    case = case_under(regime)
    client.force_login(officer)
    page = client.get(f"/cases/{case.pk}/decisions/new/").content.decode()
    for words in own:
        assert words in page
    for words in foreign:
        assert words not in page
