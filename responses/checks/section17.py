"""The section 17 checklist (foia_domain.md §7) on a response or an extension notice.

Each check follows one row of the checklist, as far as the data allows, and says which row
it is. A finding names the section it concerns so the editor can show it in place.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from exemptions.models import Regime
from responses import deadlines
from responses.checks.letter_kinds import apology_note
from responses.checks.registry import Severity, Subject, check
from responses.checks.text import (
    BALANCE,
    CLOSING,
    DECISION,
    HARM,
    PUBLIC_INTEREST,
    REQUEST,
    SEARCHES,
    section_group,
)
from responses.drafting.planning import reasons_source, signposted_source
from responses.drafting.slots import BROKEN_LIBRARY_TEXT
from responses.drafting.wording import (
    ADVICE_DUTY,
    cost_limit_for,
    provision_label,
    question_label,
)
from responses.models import Citation, Decision, Letter

ERROR, WARNING = Severity.ERROR, Severity.WARNING
RESPONSE = [Letter.Kind.RESPONSE]
EVERY_LETTER = tuple(Letter.Kind)
EXTENSION = [Letter.Kind.EXTENSION]
NCND = Citation.Mode.NCND

Found = Iterator[tuple[str, str]]

REFUSALS = (
    Decision.Outcome.NCND,
    Decision.Outcome.WITHHELD,
    Decision.Outcome.COST_LIMIT,
    Decision.Outcome.VEXATIOUS,
    Decision.Outcome.REPEATED,
    Decision.Outcome.OWN_DATA,
)
PROVIDED = (Decision.Outcome.PROVIDED, Decision.Outcome.PROVIDED_IN_PART)

RELIANCE_PATTERN = re.compile(
    r"neither confirms? nor den(?:y|ies)|exempt|withh[oe]ld|not obliged|\bappl(?:y|ies)\b|"
    r"\brel(?:y|ies|ying)\b|refus",
    re.IGNORECASE,
)
LIKELIHOOD_PATTERN = re.compile(r"\bwould(?: be likely to)?\b", re.IGNORECASE)

# Wording that gives away, in an NCND part, whether anything is held.
# "whether we hold ..." is how an NCND is phrased, so those are not counted.
NOT_AFTER_WHETHER = r"(?<!whether )(?<!whether or not )(?<!if )"
CONFIRMING_PHRASES = [
    NOT_AFTER_WHETHER + r"\b(?:the )?information (?:is|was) held\b",
    NOT_AFTER_WHETHER + r"\bwe (?:do )?hold\b",
    r"\bwe (?:have|hold) (?:located|found|identified)\b",
    r"\bsearches (?:have )?(?:located|found|identified|returned)\b",
    r"\b(?:records|documents|files|items) (?:were|have been) (?:found|located|identified)\b",
    r"\b(?:we|the force|the authority) (?:does|do) not hold\b",
    r"\bis not held\b",
    r"\b\d+ (?:records?|documents?|files?|deployments?|occasions?|cases?|results?)\b",
]
CONFIRMING_PATTERN = re.compile("|".join(CONFIRMING_PHRASES), re.IGNORECASE)

STOPWORDS = set(
    "about after also been does from have into more other over such than that their there these "
    "they this those under were what when which with would please force police information "
    "held hold year years period request".split()
)


def _named(citation: Citation) -> str:
    """The provision as its own law calls it: "section 31(3)", "regulation 12(5)(a)"."""
    return f"{citation.exemption.provision_word} {citation.provision}"


def _named_capitalised(citation: Citation) -> str:
    named = _named(citation)
    return named[0].upper() + named[1:]


def _numbers(decision: Decision) -> str:
    return " & ".join(str(q.number) for q in decision.questions.all())


def _key_terms(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{5,}", text.lower()) if w not in STOPWORDS}


def _ncnd_decisions(subject: Subject) -> list[Decision]:
    return [d for d in subject.decisions if any(c.mode == NCND for c in d.citations.all())]


# --------------------------------------------------------------------------- row 1: in time


@check("late", WARNING, letters=RESPONSE, row=1)
def late(subject: Subject) -> Found:
    """The notice is due by the deadline; past it, say so (it cannot be undone)."""
    explanation = deadlines.case_deadline(subject.case)
    if explanation.deadline is None or subject.today <= explanation.deadline:
        return
    days = deadlines.working_days_between(explanation.deadline, subject.today, explanation.calendar)
    message = (
        f"The deadline was {explanation.deadline:%-d %B %Y}: sent today, this response is "
        f"late by {days} working day{'s' if days != 1 else ''}."
    )
    yield REQUEST, message + apology_note(subject, "response:apology")


# --------------------------------------------------------------------------- rows 2-5: refusal


@check("reliance", ERROR, letters=RESPONSE, row=2)
def reliance(subject: Subject) -> Found:
    """A refusal says that it is one (NCND, exemption, s12 or s14)."""
    refusing = [d for d in subject.decisions if d.citations.all() or d.outcome in REFUSALS]
    if refusing and not RELIANCE_PATTERN.search(subject.text.section(DECISION)):
        yield (
            DECISION,
            "Say that the authority relies on an exemption, on neither confirming nor "
            "denying, or on section 12 or 14.",
        )


@check("provision-named", ERROR, letters=RESPONSE, row=3)
def provision_named(subject: Subject) -> Found:
    """Each provision is named with its subsection: "section 22(1)", not "section 22"."""
    for citation in subject.citations:
        provision = citation.provision
        if "(" not in provision and not citation.exemption.procedural:
            if not subject.text.mentions_provision(f"{provision}(", DECISION):
                yield (
                    DECISION,
                    f"The decision names section {provision} without its subsection: say "
                    "which subsection applies.",
                )
            continue
        if not subject.text.mentions_provision(provision, DECISION):
            ncnd = " (the neither-confirm-nor-deny provision)" if citation.mode == NCND else ""
            yield DECISION, f"The decision does not name {_named(citation)}{ncnd}."


@check("reasons-missing", ERROR, letters=RESPONSE, row=4)
def reasons_missing(subject: Subject) -> Found:
    """Each provision relied on comes with its reasons (section 17(1)(c)): library wording
    for it, or the officer's own. A statement that only names the provision is not enough."""
    paragraphs = [(s, p) for s in subject.sections for p in s.paragraphs.all()]
    reported = set()
    for decision in subject.decisions:
        if decision.outcome == Decision.Outcome.OWN_DATA:
            continue  # its standard wording names the provision and gives the reasons
        for citation in decision.citations.all():
            exemption, mode = citation.exemption, citation.mode
            if exemption.procedural or (exemption.pk, mode) in reported:
                continue
            if not _has_reasons(subject, paragraphs, citation):
                reported.add((exemption.pk, mode))
                provision = provision_label(exemption, mode)
                yield (
                    f"decision-{decision.pk}",
                    f"{provision} is cited without reasons: say why it applies to this "
                    "information (section 17(1)(c)).",
                )


def _has_reasons(subject: Subject, paragraphs, citation: Citation) -> bool:
    exemption, mode = citation.exemption, citation.mode
    citing = {
        d.pk
        for d in subject.decisions
        if any(c.exemption_id == exemption.pk and c.mode == mode for c in d.citations.all())
    }
    statements = {f"decision:{pk}:{mode}:{exemption.pk}" for pk in citing}
    for section, paragraph in paragraphs:
        text = paragraph.text.strip()
        if not text or "[Fill in:" in text or BROKEN_LIBRARY_TEXT.search(text):
            continue
        clause = paragraph.clause
        if clause is not None and clause.exemption_id == exemption.pk:
            return True  # the library's wording for this provision
        if paragraph.source in {reasons_source(s) for s in statements}:
            return True  # the officer filled in the reasons
        if paragraph.source in {signposted_source(s) for s in statements}:
            return True  # the library's wording, with the decision's own link
        own_words = not paragraph.source or (paragraph.source in statements and paragraph.edited)
        if not own_words:
            continue
        if section.key in {f"decision-{pk}" for pk in citing}:
            return True  # the officer's own words in the part that cites it
        if section_group(section.key) in (DECISION, HARM) and _names(text, citation.provision):
            return True  # the officer's own words about it, elsewhere in the decision or harm
    return False


def _names(text: str, provision: str) -> bool:
    return provision.replace(" ", "").lower() in text.replace(" ", "").lower()


@check("harm-missing", ERROR, letters=RESPONSE, row=4)
def harm_missing(subject: Subject) -> Found:
    if not subject.text.is_empty(HARM):
        return
    for citation in subject.citations:
        if citation.exemption.is_prejudice_based:
            yield (
                HARM,
                f"{_named_capitalised(citation)} is prejudice-based: the letter must explain the "
                "harm (or say that section 17(4) applies).",
            )


@check("pit-missing", ERROR, letters=RESPONSE, row=5)
def pit_missing(subject: Subject) -> Found:
    """A qualified exemption needs its public interest factors, for and against."""
    for citation in subject.citations:
        exemption = citation.exemption
        if exemption.procedural or not exemption.pit_applies:
            continue
        if not subject.text.mentions_provision(citation.provision, PUBLIC_INTEREST):
            yield (
                PUBLIC_INTEREST,
                f"{_named_capitalised(citation)} is qualified: give the public interest factors "
                "for and against, and the balance.",
            )
    for section, exemption in _public_interest_parts(subject):
        qualified = not exemption.absolute and exemption.pit_applies
        if qualified and not any(p.text.strip() for p in section.paragraphs.all()):
            yield (
                section.key,
                f"“{section.heading}” is empty: a qualified exemption needs its public "
                "interest reasons.",
            )


@check("balance-missing", ERROR, letters=RESPONSE, row=5)
def balance_missing(subject: Subject) -> Found:
    if any(c.exemption.pit_applies for c in subject.citations) and subject.text.is_empty(BALANCE):
        yield BALANCE, "A public interest test was carried out: state the overall balance."


@check("pit-absolute", ERROR, letters=RESPONSE, row=13)
def pit_absolute(subject: Subject) -> Found:
    """An absolute exemption takes no public interest test: a part that gives it one is wrong
    in law, not a matter of style (an error, so the letter cannot go out with it)."""
    reported = set()
    for section, exemption in _public_interest_parts(subject):
        if exemption.absolute or not exemption.pit_applies:
            reported.add(exemption.pk)
            yield (
                section.key,
                f"{exemption.provision_word.title()} {exemption.section} is absolute: it takes no "
                "public interest test. "
                "Delete this part.",
            )
    if subject.text.is_empty(PUBLIC_INTEREST):
        return
    for citation in subject.citations:
        exemption = citation.exemption
        if (
            exemption.absolute
            and exemption.pk not in reported
            and subject.text.mentions_provision(citation.provision, PUBLIC_INTEREST)
        ):
            yield (
                PUBLIC_INTEREST,
                f"{_named_capitalised(citation)} is absolute: a public interest test must not be "
                "presented as deciding it.",
            )


def _public_interest_parts(subject: Subject):
    """(section, exemption) for each "pit-<exemption pk>-..." part of the letter."""
    for section in subject.sections:
        if section.key.startswith("pit-"):
            exemption = subject.exemptions.get(int(section.key.split("-")[1]))
            if exemption is not None:
                yield section, exemption


# --------------------------------------------------------------------------- row 6: extension


@check("extension-date-format", WARNING, letters=EXTENSION, row=6)
def extension_date_format(subject: Subject) -> Found:
    estimate = _extension_estimate(subject)
    if estimate and _parse_date(estimate) is None:
        yield (
            "body",
            f"Give the estimated date as a date, such as \u201c19 February 2026\u201d, "
            f"not \u201c{estimate}\u201d.",
        )


@check("extension-too-long", WARNING, letters=EXTENSION, row=6)
def extension_too_long(subject: Subject) -> Found:
    """A section 17(2) notice gives an estimated date, normally within 20 more working days
    of the original deadline."""
    estimate = _extension_estimate(subject)
    day = _parse_date(estimate)
    if day is None:
        return  # empty (slot-unfilled says so) or not a date (extension-date-format)
    explanation = deadlines.case_deadline(subject.case)
    if explanation.deadline is None:
        return
    further = deadlines.working_days_between(
        explanation.statutory_deadline, day, explanation.calendar
    )
    if further > deadlines.PIT_EXTENSION_NORMAL_MAX:
        yield (
            "body",
            f"{estimate} is {further} working days after the original deadline; the ICO "
            f"expects no more than {deadlines.PIT_EXTENSION_NORMAL_MAX}.",
        )


def _extension_estimate(subject: Subject) -> str:
    return (subject.letter.slot_values or {}).get("extension_date", "").strip()


def _parse_date(text: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(text, "%d %B %Y").date()
    except ValueError:
        return None


# --------------------------------------------------------------------------- rows 7, 8, 17, 18


@check("review-rights", ERROR, letters=RESPONSE, row=7)
def review_rights(subject: Subject) -> Found:
    if not re.search(r"internal review|review", subject.text.section(CLOSING), re.I):
        yield CLOSING, "Tell the requester how to ask for an internal review."


@check("section-50", ERROR, letters=RESPONSE, row=8)
def section_50(subject: Subject) -> Found:
    closing = subject.text.section(CLOSING).lower()
    if subject.case.regime.code != Regime.FOISA and "information commissioner" not in closing:
        yield (
            CLOSING,
            "Tell the requester of the right to complain to the Information Commissioner "
            "under section 50.",
        )


@check("ico-contact", WARNING, letters=RESPONSE, row=8)
def ico_contact(subject: Subject) -> Found:
    closing = subject.text.section(CLOSING)
    if (
        subject.case.regime.code != Regime.FOISA
        and "information commissioner" in closing.lower()
        and not re.search(r"ico\.org\.uk|wilmslow|belfast|0303 123 1113", closing, re.I)
    ):
        yield (
            CLOSING,
            "Give the Information Commissioner's contact details or online complaint address.",
        )


@check("eir-reg11", ERROR, letters=RESPONSE, row=17)
def eir_regulation_11(subject: Subject) -> Found:
    closing = subject.text.section(CLOSING).lower()
    if subject.case.regime.code == Regime.EIR and (
        "regulation 11" not in closing and "representations" not in closing
    ):
        yield (
            CLOSING,
            "An EIR refusal must tell the requester they can make representations under "
            "regulation 11 within 40 working days.",
        )


# Provisions of FOIA an EIR letter must not rest on: its procedure (1(3), 10, 12, 14, 16, 17)
# and Part II exemptions. Section 39 (which sends environmental information to the EIR) and
# section 50 (which regulation 18 applies) may be explained in an EIR letter.
FOIA_PROVISIONS_IN_EIR = re.compile(
    r"\bsections? (?:1\([13]\)|1[02467]|2[1-9]|22A|3[0-8]|4[0-4])(?![\dA-Z])", re.IGNORECASE
)
# What a FOISA letter must never send the requester to: the UK Act, its section 50, the ICO.
FOIA_IN_FOISA = re.compile(
    r"Freedom of Information Act 2000|\bsection 50\b|Information Commissioner'?s Office|"
    r"ico\.org\.uk|\bsection 10\(3\)",
    re.IGNORECASE,
)
# Paragraphs that explain FOIA's place on purpose: why the EIR apply instead (section 39).
EXPLAINS_FOIA = {"letter-eir-switch"}


def _foreign_citations(subject: Subject, pattern: re.Pattern) -> Found:
    """Each section with a paragraph that cites another law, with the first match."""
    for section in subject.sections:
        for paragraph in section.paragraphs.all():
            if paragraph.clause is not None and paragraph.clause.code in EXPLAINS_FOIA:
                continue
            match = pattern.search(paragraph.text)
            if match:
                yield section.key, match.group(0)
                break


@check("eir-cites-foia", ERROR, letters=EVERY_LETTER, row=17)
def eir_cites_foia(subject: Subject) -> Found:
    if subject.case.regime.code != Regime.EIR:
        return
    for where, found in _foreign_citations(subject, FOIA_PROVISIONS_IN_EIR):
        yield (
            where,
            f"This is an EIR case: \u201c{found}\u201d is a provision of FOIA. Cite the "
            "regulation instead (the regulation 12 or 13 exception, regulation 9 for advice, "
            "11 for reconsideration, 14 for the refusal notice).",
        )


@check("foisa-cites-foia", ERROR, letters=EVERY_LETTER, row=18)
def foisa_cites_foia(subject: Subject) -> Found:
    if subject.case.regime.code != Regime.FOISA:
        return
    for where, found in _foreign_citations(subject, FOIA_IN_FOISA):
        yield (
            where,
            f"This is a FOISA case: \u201c{found}\u201d belongs to the UK Freedom of Information "
            "Act. Cite the Freedom of Information (Scotland) Act 2002, and the Scottish "
            "Information Commissioner for appeals.",
        )


@check("foisa-commissioner", ERROR, letters=RESPONSE, row=18)
def foisa_commissioner(subject: Subject) -> Found:
    closing = subject.text.section(CLOSING).lower()
    scottish = subject.case.regime.code == Regime.FOISA
    if scottish and "scottish information commissioner" not in closing:
        yield (
            CLOSING,
            "Under FOISA the right of appeal is to the Scottish Information Commissioner.",
        )


# --------------------------------------------------------------------------- rows 9-11


def _cost_limit_decisions(subject: Subject) -> list[Decision]:
    return [d for d in subject.decisions if d.outcome == Decision.Outcome.COST_LIMIT]


@check("s12-statement", ERROR, letters=RESPONSE, row=9)
def section_12_statement(subject: Subject) -> Found:
    if _cost_limit_decisions(subject) and not subject.text.mentions("section 12", DECISION):
        yield DECISION, "State that section 12 (cost limit) applies."


@check("s12-limit", WARNING, letters=RESPONSE, row=9)
def section_12_limit(subject: Subject) -> Found:
    limit = cost_limit_for(subject.case)
    if limit is None or not _cost_limit_decisions(subject):
        return
    text = subject.text.all
    if f"£{limit.pounds}" not in text and f"{limit.hours} hours" not in text:
        yield DECISION, f"Give the appropriate limit (£{limit.pounds}, {limit.hours} hours)."


@check("s12-advice", WARNING, letters=RESPONSE, row=9)
def section_12_advice(subject: Subject) -> Found:
    for decision in _cost_limit_decisions(subject):
        if not decision.advice.strip() and "advice" not in subject.text.all.lower():
            yield (
                DECISION,
                "Offer advice and assistance under "
                f"{ADVICE_DUTY.get(subject.case.regime.code, 'section 16')} (how the request "
                "could be "
                "narrowed), or say why none can be given.",
            )


@check("s14-statement", ERROR, letters=RESPONSE, row=10)
def section_14_statement(subject: Subject) -> Found:
    section_14 = (Decision.Outcome.VEXATIOUS, Decision.Outcome.REPEATED)
    if any(d.outcome in section_14 for d in subject.decisions) and not re.search(
        r"14\s*\(\s*[12]\s*\)", subject.text.section(DECISION)
    ):
        yield DECISION, "State whether section 14(1) (vexatious) or 14(2) (repeated) applies."


@check("held-confirmed", ERROR, letters=RESPONSE, row=11)
def held_confirmed(subject: Subject) -> Found:
    confirmed = re.search(r"\bheld\b|\bhold\b", subject.text.section(DECISION), re.I)
    for decision in subject.decisions:
        withheld = [c for c in decision.citations.all() if c.mode == Citation.Mode.WITHHOLD]
        if withheld and not confirmed:
            yield (
                DECISION,
                "Information is withheld without NCND: confirm that it is held (section 1(1)(a)).",
            )


# --------------------------------------------------------------------------- row 12: NCND


@check("ncnd-leak", WARNING, letters=RESPONSE, row=12)
def ncnd_leak(subject: Subject) -> Found:
    """NCND parts must not confirm or deny.

    A mixed decision (provided in part, NCND for the rest) may confirm its overt part in its
    answer, so only wholly-NCND answers are read, together with the harm and public interest
    text, which must argue the effect of confirming or denying.
    """
    ncnd_decisions = _ncnd_decisions(subject)
    for decision in ncnd_decisions:
        match = decision.outcome == Decision.Outcome.NCND and CONFIRMING_PATTERN.search(
            decision.answer
        )
        if match:
            yield (
                DECISION,
                f"The NCND answer to question {_numbers(decision)} says \u201c{match.group(0)}"
                "\u201d, which may confirm or deny that information is held.",
            )
    if not ncnd_decisions:
        return
    sections = [HARM, PUBLIC_INTEREST, BALANCE]
    if all(d in ncnd_decisions for d in subject.decisions):
        sections.append(SEARCHES)
    for key in sections:
        match = CONFIRMING_PATTERN.search(subject.text.section(key))
        if match:
            yield (
                key,
                f"This section says \u201c{match.group(0)}\u201d, which may confirm or deny "
                "that information is held.",
            )


# A caveat that speaks of the whole reply: "nothing in this response shows whether we hold
# any of the information". In a letter that also answers, it must say what it covers.
CAVEAT_PATTERN = re.compile(r"\bwhether\b.*\b(?:hold|holds|held|exists?)\b", re.I | re.S)
WHOLE_REPLY_PATTERN = re.compile(
    r"\bnothing in (?:this|our) (?:response|reply|letter)\b|"
    r"\bthis (?:response|reply|letter) (?:does not|doesn't|should not|cannot|neither)\b|"
    r"\bany (?:of the )?information\b|\ball (?:of )?the information\b",
    re.I,
)
SCOPE_PATTERN = re.compile(r"\bQ\s?\d+|\bquestions? \d+|\bpart of\b", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
CONFIRMING_OUTCOMES = (
    Decision.Outcome.PROVIDED,
    Decision.Outcome.PROVIDED_IN_PART,
    Decision.Outcome.NOT_HELD,
    Decision.Outcome.WITHHELD,
)


@check("caveat-contradicts", ERROR, letters=RESPONSE, row=12)
def caveat_contradicts(subject: Subject) -> Found:
    """An NCND caveat must not say that nothing in the letter shows whether anything is held
    when other answers confirm or deny it: it names the questions or parts it covers."""
    confirming = [
        d
        for d in subject.decisions
        if d.outcome in CONFIRMING_OUTCOMES
        or any(c.mode == Citation.Mode.WITHHOLD for c in d.citations.all())
    ]
    if not confirming or not _ncnd_decisions(subject):
        return
    answered = ", ".join(question_label(q.number for q in d.questions.all()) for d in confirming)
    for section in subject.sections:
        if section_group(section.key) in (DECISION, REQUEST):
            continue
        for paragraph in section.paragraphs.all():
            for sentence in SENTENCE_END.split(paragraph.text):
                if (
                    CAVEAT_PATTERN.search(sentence)
                    and WHOLE_REPLY_PATTERN.search(sentence)
                    and not SCOPE_PATTERN.search(sentence)
                ):
                    yield (
                        section.key,
                        f"“{sentence.strip()}” speaks of the whole response, but the answers "
                        f"to {answered} confirm or deny whether information is held. Say "
                        "which questions or parts the caveat covers.",
                    )
                    break


@check("ncnd-related", WARNING, letters=RESPONSE, row=12)
def ncnd_related(subject: Subject) -> Found:
    """Another answer in the same case must not confirm what an NCND protects."""
    for decision in _ncnd_decisions(subject):
        protected = _key_terms(" ".join(q.text for q in decision.questions.all()))
        for other in subject.decisions:
            if other is decision or other.outcome not in PROVIDED:
                continue
            shared = protected & _key_terms(other.answer)
            if len(shared) >= 2 and CONFIRMING_PATTERN.search(other.answer):
                numbers = ", ".join(str(q.number) for q in other.questions.all())
                yield (
                    DECISION,
                    f"The answer to question {numbers} may confirm what the NCND for "
                    f"question {_numbers(decision)} protects (shared terms: "
                    f"{', '.join(sorted(shared)[:4])}).",
                )


# --------------------------------------------------------------------------- rows 14-16, 19, 20


@check("harm-likelihood", WARNING, letters=RESPONSE, row=14)
def harm_likelihood(subject: Subject) -> Found:
    prejudice_based = any(c.exemption.is_prejudice_based for c in subject.citations)
    harm = subject.text.section(HARM)
    if prejudice_based and not subject.text.is_empty(HARM) and not LIKELIHOOD_PATTERN.search(harm):
        yield (
            HARM,
            "The harm section does not say whether the harm 'would' or 'would be likely to' occur.",
        )


@check("s21-where", WARNING, letters=RESPONSE, row=15)
def section_21_where(subject: Subject) -> Found:
    cites_21 = any(
        c.exemption.section == "21" and c.exemption.regime.code == Regime.FOIA
        for c in subject.citations
    )
    if cites_21 and not re.search(
        r"https?://|www\.|available", subject.text.section(DECISION), re.I
    ):
        yield DECISION, "Section 21: say where or how the information is reasonably accessible."


@check("partial-release", ERROR, letters=RESPONSE, row=16)
def partial_release(subject: Subject) -> Found:
    """What is held back from a partial release is tied to an exemption, unless the rest is
    not held or not recorded in the form asked for."""
    without_exemption = (Decision.RestReason.NOT_HELD, Decision.RestReason.NOT_RECORDED)
    for decision in subject.decisions:
        if (
            decision.outcome == Decision.Outcome.PROVIDED_IN_PART
            and decision.rest_reason not in without_exemption
            and not decision.citations.all()
        ):
            yield (
                f"decision-{decision.pk}",
                f"Question {_numbers(decision)} is answered in part: cite the "
                f"{'exception' if subject.case.regime.code == Regime.EIR else 'exemption'} "
                "that covers what is held back, or say that the rest is not held or not "
                "recorded in that form.",
            )


@check("s40-limb", WARNING, letters=RESPONSE, row=19)
def section_40_limb(subject: Subject) -> Found:
    cites_40 = any(c.exemption.section.startswith("40") for c in subject.citations)
    if cites_40 and not re.search(r"40\s*\(\s*(?:1|2|5A|5B)", subject.text.section(DECISION), re.I):
        yield DECISION, "Section 40: say which limb applies (40(1), 40(2), 40(5A) or 40(5B))."


@check("request-section", WARNING, letters=RESPONSE, row=20)
def request_section(subject: Subject) -> Found:
    """The letter template quotes the questions from the case, with reference and date."""
    if REQUEST not in subject.text.by_section:
        yield REQUEST, "The letter has no Request section, so the request is not quoted."


@check("request-questions", WARNING, letters=RESPONSE, row=20)
def request_questions(subject: Subject) -> Found:
    if REQUEST in subject.text.by_section and not any(
        question.text.strip() for question in subject.questions
    ):
        yield REQUEST, "Confirm the request's questions so the letter can quote them."
