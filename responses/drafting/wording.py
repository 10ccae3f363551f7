"""Words and small helpers every part of drafting shares: labels, placeholders, limits, errors.

Nothing here reads or writes the database beyond the objects it is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from exemptions.models import Clause, Exemption, Regime
from responses.models import Authority, Citation, Decision, Letter

MAX_PARAGRAPH_CHARS = 20_000
# What one letter can carry, so that rendering it stays quick. The editor posts two fields
# a paragraph, so the paragraphs also stay inside DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000).
MAX_DECISIONS_PER_CASE = 50
MAX_PARAGRAPHS_PER_LETTER = 400

NCND = Citation.Mode.NCND
WITHHOLD = Citation.Mode.WITHHOLD

SECTION_HEADINGS = {
    "request": "Your request",
    "searches": "Extent and result of searches",
    "decision": "Decision",
    "harm": "Harm",
    "public-interest": "Public interest test",
    "balance": "Balance test",
    "closing": "Further information and your rights",
    "body": "Our reply",
}

KIND_WORDS = {
    Clause.Kind.NCND_STATEMENT: "neither confirm nor deny statement",
    Clause.Kind.REFUSAL_STATEMENT: "refusal statement",
    Clause.Kind.HARM: "harm",
    Clause.Kind.FACTORS_FAVOURING: "public interest factors",
    Clause.Kind.FACTORS_AGAINST: "public interest factors",
    Clause.Kind.ADVICE: "advice and assistance",
}

# The Information Commissioner's office a complaint about an FOIA or EIR reply goes to: its
# Belfast office for an authority in Northern Ireland, its head office otherwise.
ICO_HEAD_OFFICE = (
    "Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF"
)
ICO_OFFICES = {
    Authority.Nation.NORTHERN_IRELAND: (
        "Information Commissioner's Office, 3rd Floor, 14 Cromac Place, Belfast BT7 2JB"
    ),
}


def ico_office(authority: Authority) -> str:
    return ICO_OFFICES.get(authority.nation, ICO_HEAD_OFFICE)


# Letters that only one law provides for. FOIA's public interest extension (sections 10(3)
# and 17(2)) has no counterpart under FOISA, which allows no extension, or the EIR, whose
# regulation 7 extension is for complex and voluminous requests, not the public interest.
REGIME_ONLY_LETTERS = {Letter.Kind.EXTENSION: {Regime.FOIA}}


def regime_offers_letter(regime_code: str, kind: str) -> bool:
    return regime_code in REGIME_ONLY_LETTERS.get(kind, {regime_code})


# Each law's own duty to advise and assist those who ask.
ADVICE_DUTY = {
    Regime.FOIA: "section 16",
    Regime.EIR: "regulation 9",
    Regime.FOISA: "section 15",
}


# An internal review's outcome letter shows this until the reviewer records the outcome.
RECORD_OUTCOME = "Record the review's outcome and reasons"


class DraftingError(Exception):
    """An edit that cannot be applied; the message is meant for the officer."""


class StaleDecisionError(DraftingError):
    """Someone else saved the decision since this form was loaded."""

    def __init__(self, decision: Decision):
        self.decision = decision
        super().__init__(
            "Someone else changed this decision while you were editing it. Their version is "
            "shown below and nothing of yours has been saved: your changes are still in the "
            "form, so check them against theirs and save again."
        )


class StaleLetterError(DraftingError):
    """Someone else saved the letter since this form was loaded."""

    def __init__(self, letter):
        self.letter = letter
        super().__init__(
            "Someone else saved this letter while you were editing it. "
            "Nothing of yours has been saved yet."
        )


def too_many_paragraphs(count: int, limit: int = MAX_PARAGRAPHS_PER_LETTER) -> DraftingError:
    return DraftingError(
        f"A letter can have at most {limit} paragraphs, and this one would "
        f"have {count}. Join short paragraphs together, or put questions with the same "
        "answer into one decision."
    )


def is_revision(value: object) -> bool:
    """A revision number as the services take it: an int, never None, text or a bool."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def placeholder(label: str) -> str:
    return f"[Fill in: {label}]"


# Where published information is: it completes "You can find it ...". Officers often
# paste only the link, which needs an "at" before it.
BARE_LINK = re.compile(r"^(https?://|www\.)", re.IGNORECASE)


def where_to_find(text: str) -> str:
    """A signpost ready for "You can find it {where}.": "at" before a bare link, and no
    full stop of its own (the sentence has one)."""
    where = text.strip()
    if where.endswith("."):
        where = where[:-1].rstrip()
    if BARE_LINK.match(where):
        where = f"at {where}"
    return where


def question_label(numbers: Iterable[int]) -> str:
    """ "Q1 & 2", "Q1, 2 & 4", "Q3"; "" for no questions."""
    numbers = sorted(numbers)
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"Q{numbers[0]}"
    return "Q" + ", ".join(str(n) for n in numbers[:-1]) + f" & {numbers[-1]}"


def join_words(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def provision_label(exemption: Exemption, mode: str) -> str:
    """ "Section 31(3)", "Regulation 12(5)(a)", "Section 18(1) with section 35(1)(a)"."""
    word = exemption.provision_word
    provision = exemption.provision_for(mode).replace(" with ", f" with {word} ")
    return f"{word.title()} {provision}"


def format_hours(hours) -> str:
    return f"{Decimal(str(hours)).normalize():f}"


def quantity(number, unit: str) -> str:
    """ "1 hour", "2.5 hours", "0 hours": the unit is singular only for exactly one."""
    text = format_hours(number)
    return f"{text} {unit if Decimal(text) == 1 else unit + 's'}"


def cost_total(decision: Decision) -> Decimal:
    """The hours of a section 12 estimate, added up (the letter and the checks both need it).

    Without a breakdown, the lower bound the officer gave ("more than 40 hours") stands in.
    """
    total = Decimal(0)
    for item in decision.cost_estimate or []:
        try:
            total += Decimal(str(item.get("hours") or 0))
        except InvalidOperation:
            continue
    if not decision.cost_estimate and decision.cost_minimum_hours is not None:
        return Decimal(str(decision.cost_minimum_hours))
    return total


def has_cost_estimate(decision: Decision) -> bool:
    return bool(decision.cost_estimate) or decision.cost_minimum_hours is not None


@dataclass(frozen=True)
class CostLimit:
    """A regime's cost limit for an authority: the amount, the hourly rate, the hours."""

    pounds: int
    rate: int
    regulations: str
    section: str = "12"

    @property
    def hours(self) -> int:
        return self.pounds // self.rate

    def sentence(self, authority_name: str) -> str:
        return (
            f"The appropriate limit for {authority_name} is £{self.pounds}, set by the "
            f"{self.regulations}. Staff time is costed at £{self.rate} an hour, so the limit is "
            f"{self.hours} hours of work."
        )


FOIA_FEES_REGULATIONS = (
    "Freedom of Information and Data Protection (Appropriate Limit and Fees) Regulations 2004"
)
FOISA_FEES_REGULATIONS = "Freedom of Information (Fees for Required Disclosure) (Scotland) " + (
    "Regulations 2004"
)


def cost_limit(case) -> CostLimit:
    """The limit a letter quotes: the regime's own, or the authority's FOIA limit where the
    regime has none."""
    return cost_limit_for(case) or CostLimit(
        case.authority.cost_limit_pounds, 25, FOIA_FEES_REGULATIONS
    )


def cost_limit_for(case) -> CostLimit | None:
    """The cost limit that applies to a case, or None where the regime has none (the EIR,
    where an excessive burden is handled under regulation 12(4)(b)).

    FOIA: the authority's limit (£600 for FOIA Schedule 1 Part I bodies, £450 for the rest)
    at £25 an hour. FOISA: the prescribed £600 at a capped £15 an hour.
    """
    code = case.regime.code
    if code == Regime.FOIA:
        return CostLimit(case.authority.cost_limit_pounds, 25, FOIA_FEES_REGULATIONS)
    if code == Regime.FOISA:
        return CostLimit(600, 15, FOISA_FEES_REGULATIONS)
    return None


def clause_used_in(clause: Clause) -> str:
    """Where a clause sits, in words: "section 27(4) harm", or the clause title."""
    if clause.exemption_id:
        mode = clause.mode or WITHHOLD
        try:
            provision = provision_label(clause.exemption, mode).lower()
        except ValueError:
            provision = provision_label(clause.exemption, WITHHOLD).lower()
        return f"{provision} {KIND_WORDS.get(clause.kind, clause.get_kind_display().lower())}"
    return clause.title.lower() if clause.title else clause.code
