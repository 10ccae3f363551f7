"""The project's standard wording for the finer outcomes of a decision, built from its data.

Provided in part without an exemption, not applicable, the requester's own personal data,
section 12 with a discretionary release and section 16 advice naming questions, figures as
at a date. Planning puts these paragraphs in the letter; the officer never has to type the
legal wording, and can still edit each paragraph in the letter editor.

Nothing here reads the database beyond the objects it is given.
"""

from __future__ import annotations

from collections.abc import Sequence

from exemptions.models import Regime
from responses.drafting.wording import CostLimit, cost_total, quantity, question_label
from responses.models import Authority, Case, Decision

# What makes answering a question expensive: the standard reasons an officer ticks.
COST_DRIVERS = [
    (
        "no_central_record",
        "No central record",
        "we keep no central record of this information",
    ),
    (
        "every_mailbox",
        "Every mailbox would need searching",
        "the only way to find it would be to search the email accounts of every member of "
        "staff who might hold it",
    ),
    (
        "manual_review",
        "Each record would need reading",
        "each record would have to be read by hand, because the information is not held in a "
        "field that can be searched or counted",
    ),
    (
        "paper_files",
        "Paper files",
        "the information is held in paper files that would have to be retrieved and read",
    ),
    (
        "several_systems",
        "Several systems",
        "the information is spread across several systems that do not share a search",
    ),
    (
        "long_period",
        "The period asked for",
        "the period asked for covers a large number of records",
    ),
]
COST_DRIVER_LABELS = {key: label for key, label, _ in COST_DRIVERS}
COST_DRIVER_WORDS = {key: words for key, _, words in COST_DRIVERS}

# The provision each regime uses for a requester's own personal data: (section, mode).
OWN_DATA_PROVISIONS = {
    Regime.FOIA: ("40(1)", "ncnd"),
    Regime.FOISA: ("38(1)(a)", "ncnd"),
    Regime.EIR: ("5(3)", "withhold"),
}


def act(case: Case) -> str:
    return case.regime.statute or case.regime.code


# --------------------------------------------------------------------------- provided in part


def rest_not_provided(case: Case, decision: Decision) -> str | None:
    """Why the rest of a question answered in part is not given, when it is not an exemption."""
    if decision.rest_reason == Decision.RestReason.NOT_HELD:
        return (
            "We have given you the information we hold for this question. We do not hold the "
            "rest of what you asked for: we searched the places where it would be kept if it "
            "existed, and found none."
        )
    if decision.rest_reason == Decision.RestReason.NOT_RECORDED:
        return (
            "We have given you the information we hold in the form in which we record it. The "
            "rest of what you asked for is not recorded in that form, and we could provide it "
            "only by creating new information, for example by making judgements about each "
            f"record or recording something we do not keep. The {act(case)} gives a right to "
            "information that is held in recorded form; it does not require an authority to "
            "create information it does not hold."
        )
    return None


# --------------------------------------------------------------------------- not applicable


def not_applicable(decision: Decision) -> str:
    question = decision.depends_on
    if question is None:
        return (
            "This question depends on the answer to an earlier question and, given that answer, "
            "does not arise. There is therefore nothing further to give in reply to it."
        )
    label = f"Q{question.number}"
    return (
        f"This question depends on the answer to {label}. Given our answer to {label}, it does "
        "not arise, so there is nothing further to give in reply to it. No information has "
        "been withheld."
    )


# --------------------------------------------------------------------------- own personal data


def subject_access_contact(authority: Authority) -> str:
    contact = authority.subject_access_contact.strip()
    if contact:
        return f"please write to {contact}"
    if authority.email:
        return (
            f"please write to us at {authority.email}, saying that it is a subject access request"
        )
    return "please contact our data protection officer"


def own_personal_data(case: Case) -> list[str]:
    """An NCND (or, under the EIR, regulation 5(3)) for the requester's own personal data,
    with the route to a subject access request."""
    code = case.regime.code
    statute = act(case)
    if code == Regime.EIR:
        refusal = (
            "This part of your request asks for information about you. Under regulation 5(3) "
            f"of the {statute}, the duty to make environmental information available does not "
            "apply to information that is the requester's own personal data. We have "
            "therefore not dealt with this part under the Regulations, and this reply does not "
            "say whether we hold any such information."
        )
    elif code == Regime.FOISA:
        refusal = (
            "This part of your request asks for information about you. Information that is "
            "the applicant's own personal data is exempt under section 38(1)(a) of the "
            f"{statute}, an absolute exemption. Under section 18(1) we neither confirm nor "
            "deny whether we hold information of this kind: revealing whether it exists or is "
            "held would be contrary to the public interest, because a reply under the Act "
            "could reveal personal information about you to anyone who asked."
        )
    else:
        refusal = (
            "This part of your request asks for information about you. Information that is "
            "the requester's own personal data is exempt under section 40(1) of the "
            f"{statute}, and under section 40(5A) we are not obliged to confirm or deny "
            "whether we hold it. We therefore neither confirm nor deny whether we hold "
            "information of this kind. Section 40(1) is an absolute exemption, so there is "
            "no public interest test. A reply under the Act is in effect a reply to the world, "
            "which is why your own information is dealt with under data protection law instead."
        )
    route = (
        "You have the right to ask for a copy of your own personal data under Article 15 of "
        "the UK General Data Protection Regulation and the Data Protection Act 2018: this is "
        f"a subject access request. To make one, {subject_access_contact(case.authority)}. We "
        "may ask for proof of your identity and for details that help us find the information. "
        "There is normally no fee, and we must normally reply within one month."
    )
    return [refusal, route]


# --------------------------------------------------------------------------- section 12


def request_as_a_whole(answered: Sequence[int]) -> str:
    """Section 12 applies to the whole request; say that the other questions were answered
    anyway, as a choice, when they were."""
    text = (
        "Section 12 applies to a request as a whole, not to each question separately: once "
        "the cost of complying with any part of it would exceed the limit, we are not obliged "
        "to comply with any of it."
    )
    if answered:
        text += (
            f" We have nonetheless chosen to answer {question_label(answered)}, as set out in "
            "this letter."
        )
    return text


def refers_back_to_section_12(first_label: str) -> str:
    return (
        f"Section 12 applies to this part of your request too, for the reasons given under "
        f"{first_label}."
    )


def cost_drivers(decision: Decision) -> str | None:
    reasons = [
        COST_DRIVER_WORDS[key] for key in decision.cost_drivers or [] if key in COST_DRIVER_WORDS
    ]
    detail = decision.cost_drivers_detail.strip()
    if not reasons and not detail:
        return None
    text = "What would take the time for this part of your request:"
    if reasons:
        text += "\n\n" + "\n".join(f"- {reason[0].upper()}{reason[1:]}." for reason in reasons)
    if detail:
        text += "\n\n" + detail
    return text


def cost_estimate(decision: Decision, limit: CostLimit | None, authority_name: str) -> str | None:
    """The estimate, as an activity breakdown or a lower bound, always against the limit."""
    if decision.cost_estimate:
        lines = [
            f"- {item['activity']}: {quantity(item['hours'], 'hour')}"
            for item in decision.cost_estimate
        ]
        text = (
            f"We estimate that answering this part of your request would take "
            f"{quantity(cost_total(decision), 'hour')} of staff time:\n\n" + "\n".join(lines)
        )
    elif decision.cost_minimum_hours is not None:
        text = (
            "We estimate that answering this part of your request would take more than "
            f"{quantity(decision.cost_minimum_hours, 'hour')} of staff time. We stopped estimating "
            "there, because that is already beyond the limit."
        )
    else:
        return None
    if limit is not None:
        text += "\n\n" + limit.sentence(authority_name)
    return text


def discretionary_release() -> str:
    return (
        "Although section 12 means we are not obliged to, we have chosen to give you what our "
        "searches found before it became clear that the limit would be exceeded. This is a "
        "voluntary release, outside the Act:"
    )


def completeness_caveat() -> str:
    return (
        "Because we stopped searching once the limit was reached, we cannot confirm that this "
        "is all the information we hold that falls within your request."
    )


def section_16_named(decision: Decision, numbers: Sequence[int]) -> str | None:
    """Section 16 advice naming the questions to drop or narrow."""
    if not numbers:
        return None
    label = question_label(numbers)
    if decision.advice_action == Decision.AdviceAction.NARROW:
        return (
            f"In particular, if you narrowed {label}, for example to a shorter period or to "
            "particular teams or locations, we may be able to answer your request within the "
            "limit."
        )
    return (
        f"In particular, if you removed {label} from your request, we expect that we could "
        "answer the rest within the limit."
    )


# --------------------------------------------------------------------------- figures


def figures_as_at(decision: Decision) -> str | None:
    if decision.as_at is None:
        return None
    day = decision.as_at
    return f"The figures are as at {day.day} {day:%B %Y}."


def summary_outcome(decision: dict) -> str:
    """A question's outcome in plain words for the summary table, from the letter's
    decision data (responses.rendering.context.decisions_for): "information not held",
    "withheld, section 31(1)(a)"."""
    provisions = " and ".join(decision.get("provisions") or ())
    outcome = decision["outcome"]
    under = f", {provisions}" if provisions else ""
    if outcome == "provided":
        return "information provided"
    if outcome == "provided_in_part":
        return f"provided in part{', the rest withheld under ' + provisions if provisions else ''}"
    if outcome == "not_held":
        return "information not held"
    if outcome == "ncnd" or (decision.get("ncnd") and outcome == "withheld"):
        return f"we neither confirm nor deny that we hold it{under}"
    if outcome == "withheld":
        return f"withheld{under}"
    if outcome == "cost_limit":
        words = "refused: the cost of complying would exceed the limit"
        if decision.get("discretionary_release"):
            words += "; what we found so far is released"
        return words
    if outcome == "vexatious":
        return "refused: vexatious request"
    if outcome == "repeated":
        return "refused: repeated request"
    if outcome == "not_applicable":
        earlier = decision.get("depends_on")
        return (
            f"not applicable after our answer to question {earlier}"
            if earlier
            else ("not applicable")
        )
    if outcome == "own_data":
        return "your own personal data: please make a subject access request"
    return decision.get("outcome_label", outcome)


def summary_label(decision: dict) -> str:
    """ "Question 2", "Questions 1 & 2", "Question 3 (published names)"."""
    numbers = decision.get("questions") or []
    if not numbers:
        label = "The request as a whole"
    elif len(numbers) == 1:
        label = f"Question {numbers[0]}"
    else:
        label = "Questions " + ", ".join(str(n) for n in numbers[:-1]) + f" & {numbers[-1]}"
    part = (decision.get("part") or "").strip()
    return f"{label} ({part})" if part else label
