"""Section 17 checks on a draft letter.

Each check follows one row of the checklist in foia_domain.md §7, as far as the
data allows. A finding names the section it concerns so the editor can show it
in place. Errors block submission and approval; warnings must be acknowledged
(the acknowledgement is an audit event); notices are for information.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

from exemptions.models import Regime
from responses.models import Citation, Decision, Letter

ERROR = "error"
WARNING = "warning"

# Section keys used by responses.drafting when it assembles a response letter.
REQUEST, SEARCHES, DECISION, HARM, PUBLIC_INTEREST, BALANCE, CLOSING = (
    "request",
    "searches",
    "decision",
    "harm",
    "public-interest",
    "balance",
    "closing",
)

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
LIKELIHOOD_PATTERN = re.compile(r"\bwould(?: be likely to)?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    where: str  # the section key the editor shows it beside
    message: str
    check: int | None  # the row of the §7 checklist; None for drafting's own checks

    @property
    def is_error(self):
        return self.severity == ERROR


def section_group(key):
    """The main section a part belongs to: "decision-12" is part of the decision."""
    if key.startswith("decision"):
        return DECISION
    if key.startswith("pit-"):
        return PUBLIC_INTEREST
    return key


class LetterText:
    """The letter's words (headings included), by main section, for searching."""

    def __init__(self, letter):
        parts, bodies = {}, {}
        for section in letter.sections.prefetch_related("paragraphs"):
            group = section_group(section.key)
            body = [p.text for p in section.paragraphs.all() if p.text.strip()]
            parts.setdefault(group, []).extend([section.heading, *body])
            bodies.setdefault(group, []).extend(body)
        self.by_section = {key: "\n\n".join(texts) for key, texts in parts.items()}
        self.bodies = {key: "\n\n".join(texts) for key, texts in bodies.items()}
        self.all = "\n\n".join(self.by_section.values())

    def is_empty(self, key):
        return not self.bodies.get(key, "").strip()

    def section(self, key):
        return self.by_section.get(key, "")

    def mentions(self, needle, key=None):
        haystack = self.section(key) if key else self.all
        return needle.lower() in haystack.lower()

    def mentions_provision(self, provision, key=None):
        # "23(5)" should match "section 23(5)", "s23(5)" and "Section 23 (5)".
        compact = provision.replace(" ", "")
        haystack = (self.section(key) if key else self.all).replace(" ", "").lower()
        return compact.lower() in haystack


def check_letter(letter, today=None):
    """All findings for a response letter, most serious first."""
    case = letter.case
    if letter.kind == Letter.Kind.EXTENSION:
        return check_extension_notice(letter, today)
    text = LetterText(letter)
    decisions = list(
        case.decisions.prefetch_related("questions", "citations__exemption__regime").order_by(
            "position", "pk"
        )
    )
    citations = [citation for decision in decisions for citation in decision.citations.all()]
    findings = []
    findings += check_in_time(case, today)
    findings += check_reliance_stated(decisions, text)
    findings += check_request_quoted(case, text)
    findings += check_provisions_named(citations, text)
    findings += check_reasons(citations, text)
    findings += check_public_interest(citations, text)
    findings += check_rights(case, text)
    findings += check_cost_limit(letter, decisions, text)
    findings += check_vexatious(decisions, text)
    findings += check_held_confirmed(decisions, text)
    findings += check_partial_release(decisions)
    findings += check_ncnd_leaks(decisions, text)
    findings += check_section_21(citations, text)
    findings += check_personal_data_limb(citations, text)
    return sorted(findings, key=lambda finding: (finding.severity != ERROR, finding.check))


def check_in_time(case, today=None):
    """Row 1: the notice is due by the deadline; past it, say so (it cannot be undone)."""
    from responses import deadlines

    today = today or timezone.localdate()
    explanation = deadlines.case_deadline(case)
    if explanation.deadline is None or today <= explanation.deadline:
        return []
    late = deadlines.working_days_between(explanation.deadline, today, explanation.calendar)
    return [
        Finding(
            "late",
            WARNING,
            REQUEST,
            f"The deadline was {explanation.deadline:%-d %B %Y}: sent today, this response is "
            f"late by {late} working day{'s' if late != 1 else ''}. Consider apologising in "
            "the letter.",
            1,
        )
    ]


RELIANCE_PATTERN = re.compile(
    r"neither confirms? nor den(?:y|ies)|exempt|withh[oe]ld|not obliged|\bappl(?:y|ies)\b|"
    r"\brel(?:y|ies|ying)\b|refus",
    re.IGNORECASE,
)


def check_reliance_stated(decisions, text):
    """Row 2: a refusal says that it is one (NCND, exemption, s12 or s14)."""
    refusing = [d for d in decisions if d.citations.all() or d.outcome in REFUSALS]
    if refusing and not RELIANCE_PATTERN.search(text.section(DECISION)):
        return [
            Finding(
                "reliance",
                ERROR,
                DECISION,
                "Say that the authority relies on an exemption, on neither confirming nor "
                "denying, or on section 12 or 14.",
                2,
            )
        ]
    return []


def check_extension_notice(letter, today=None):
    """Row 6: a section 17(2) notice gives an estimated date, normally within 20 more
    working days of the original deadline."""
    from responses import deadlines

    estimate = letter.slot_values.get("extension_date", "").strip()
    if not estimate:
        return []  # drafting already reports the empty slot as an error
    try:
        day = datetime.datetime.strptime(estimate, "%d %B %Y").date()
    except ValueError:
        return [
            Finding(
                "extension-date-format",
                WARNING,
                "body",
                f"Give the estimated date as a date, such as \u201c19 February 2026\u201d, "
                f"not \u201c{estimate}\u201d.",
                6,
            )
        ]
    case = letter.case
    explanation = deadlines.case_deadline(case)
    if explanation.deadline is None:
        return []
    further = deadlines.working_days_between(
        explanation.statutory_deadline, day, explanation.calendar
    )
    if further > deadlines.PIT_EXTENSION_NORMAL_MAX:
        return [
            Finding(
                "extension-too-long",
                WARNING,
                "body",
                f"{estimate} is {further} working days after the original deadline; the ICO "
                f"expects no more than {deadlines.PIT_EXTENSION_NORMAL_MAX}.",
                6,
            )
        ]
    return []


def check_request_quoted(case, text):
    """The letter template quotes the questions from the case, with reference and date."""
    if REQUEST not in text.by_section:
        return [
            Finding(
                "request-section",
                WARNING,
                REQUEST,
                "The letter has no Request section, so the request is not quoted.",
                20,
            )
        ]
    if not any(question.text.strip() for question in case.questions.all()):
        return [
            Finding(
                "request-questions",
                WARNING,
                REQUEST,
                "Confirm the request's questions so the letter can quote them.",
                20,
            )
        ]
    return []


def check_provisions_named(citations, text):
    findings = []
    for citation in citations:
        provision = citation.provision
        if not text.mentions_provision(provision, DECISION):
            findings.append(
                Finding(
                    f"provision-{citation.pk}",
                    ERROR,
                    DECISION,
                    f"The decision does not name section {provision}"
                    + (
                        " (the neither-confirm-nor-deny provision)."
                        if citation.mode == "ncnd"
                        else "."
                    ),
                    3,
                )
            )
    return findings


def check_reasons(citations, text):
    findings = []
    for citation in citations:
        exemption = citation.exemption
        if not exemption.is_prejudice_based:
            continue
        harm = text.section(HARM)
        if text.is_empty(HARM):
            findings.append(
                Finding(
                    f"harm-missing-{exemption.pk}",
                    ERROR,
                    HARM,
                    f"Section {citation.provision} is prejudice-based: the letter must explain the "
                    "harm (or say that section 17(4) applies).",
                    4,
                )
            )
        elif not LIKELIHOOD_PATTERN.search(harm):
            findings.append(
                Finding(
                    "harm-likelihood",
                    WARNING,
                    HARM,
                    "The harm section does not say whether the harm 'would' or "
                    "'would be likely to' occur.",
                    14,
                )
            )
    return _unique(findings)


def check_public_interest(citations, text):
    findings = []
    for citation in citations:
        exemption = citation.exemption
        if exemption.procedural:
            continue
        provision = citation.provision
        if exemption.pit_applies and not text.mentions_provision(provision, PUBLIC_INTEREST):
            findings.append(
                Finding(
                    f"pit-missing-{citation.pk}",
                    ERROR,
                    PUBLIC_INTEREST,
                    f"Section {provision} is qualified: give the public interest factors for and "
                    "against, and the balance.",
                    5,
                )
            )
        if (
            exemption.absolute
            and not text.is_empty(PUBLIC_INTEREST)
            and text.mentions_provision(provision, PUBLIC_INTEREST)
        ):
            findings.append(
                Finding(
                    f"pit-absolute-{citation.pk}",
                    WARNING,
                    PUBLIC_INTEREST,
                    f"Section {provision} is absolute: a public interest test must not be "
                    "presented as deciding it.",
                    13,
                )
            )
    if any(c.exemption.pit_applies for c in citations) and text.is_empty(BALANCE):
        findings.append(
            Finding(
                "balance-missing",
                ERROR,
                BALANCE,
                "A public interest test was carried out: state the overall balance.",
                5,
            )
        )
    return findings


def check_rights(case, text):
    findings = []
    closing = text.section(CLOSING)
    regime = case.regime.code
    if regime == Regime.EIR:
        if "regulation 11" not in closing.lower() and "representations" not in closing.lower():
            findings.append(
                Finding(
                    "eir-reg11",
                    ERROR,
                    CLOSING,
                    "An EIR refusal must tell the requester they can make representations under "
                    "regulation 11 within 40 working days.",
                    17,
                )
            )
        if re.search(r"\bsection (?:2[1-9]|3\d|4[0-4])\b", text.section(DECISION), re.I):
            findings.append(
                Finding(
                    "eir-cites-foia",
                    ERROR,
                    DECISION,
                    "This is an EIR case: cite the regulation 12 or 13 exception, "
                    "not a FOIA section.",
                    17,
                )
            )
    if not re.search(r"internal review|review", closing, re.I):
        findings.append(
            Finding(
                "review-rights",
                ERROR,
                CLOSING,
                "Tell the requester how to ask for an internal review.",
                7,
            )
        )
    if regime == Regime.FOISA:
        if "scottish information commissioner" not in closing.lower():
            findings.append(
                Finding(
                    "foisa-commissioner",
                    ERROR,
                    CLOSING,
                    "Under FOISA the right of appeal is to the Scottish Information Commissioner.",
                    18,
                )
            )
    elif "information commissioner" not in closing.lower():
        findings.append(
            Finding(
                "section-50",
                ERROR,
                CLOSING,
                "Tell the requester of the right to complain to the Information Commissioner "
                "under section 50.",
                8,
            )
        )
    elif not re.search(r"ico\.org\.uk|wilmslow|0303 123 1113", closing, re.I):
        findings.append(
            Finding(
                "ico-contact",
                WARNING,
                CLOSING,
                "Give the Information Commissioner's contact details or online complaint address.",
                8,
            )
        )
    return findings


def check_cost_limit(letter, decisions, text):
    findings = []
    authority = letter.case.authority
    for decision in decisions:
        if decision.outcome != Decision.Outcome.COST_LIMIT:
            continue
        if not text.mentions("section 12", DECISION):
            findings.append(
                Finding(
                    f"s12-statement-{decision.pk}",
                    ERROR,
                    DECISION,
                    "State that section 12 (cost limit) applies.",
                    9,
                )
            )
        limit_named = f"£{authority.cost_limit_pounds}" in text.all or (
            f"{authority.cost_limit_hours} hours" in text.all
        )
        if not limit_named:
            findings.append(
                Finding(
                    f"s12-limit-{decision.pk}",
                    WARNING,
                    DECISION,
                    f"Give the appropriate limit (£{authority.cost_limit_pounds}, "
                    f"{authority.cost_limit_hours} hours).",
                    9,
                )
            )
        if not decision.cost_estimate:
            findings.append(
                Finding(
                    f"s12-estimate-{decision.pk}",
                    WARNING,
                    DECISION,
                    "Break the estimate down by activity (determining, locating, retrieving, "
                    "extracting).",
                    9,
                )
            )
        if not decision.advice.strip() and "advice" not in text.all.lower():
            findings.append(
                Finding(
                    f"s12-advice-{decision.pk}",
                    WARNING,
                    DECISION,
                    "Offer advice and assistance under section 16 (how the request could be "
                    "narrowed), or say why none can be given.",
                    9,
                )
            )
    return findings


def check_vexatious(decisions, text):
    section_14 = (Decision.Outcome.VEXATIOUS, Decision.Outcome.REPEATED)
    if any(d.outcome in section_14 for d in decisions) and not re.search(
        r"14\s*\(\s*[12]\s*\)", text.section(DECISION)
    ):
        return [
            Finding(
                "s14-statement",
                ERROR,
                DECISION,
                "State whether section 14(1) (vexatious) or 14(2) (repeated) applies.",
                10,
            )
        ]
    return []


def check_held_confirmed(decisions, text):
    findings = []
    for decision in decisions:
        withheld = [c for c in decision.citations.all() if c.mode == Citation.Mode.WITHHOLD]
        if withheld and not re.search(r"\bheld\b|\bhold\b", text.section(DECISION), re.I):
            findings.append(
                Finding(
                    f"held-confirmed-{decision.pk}",
                    ERROR,
                    DECISION,
                    "Information is withheld without NCND: confirm that it is held "
                    "(section 1(1)(a)).",
                    11,
                )
            )
    return findings


def check_partial_release(decisions):
    """Row 16: what is held back from a partial release is tied to an exemption."""
    findings = []
    for decision in decisions:
        if decision.outcome == Decision.Outcome.PROVIDED_IN_PART and not decision.citations.all():
            findings.append(
                Finding(
                    f"partial-{decision.pk}",
                    ERROR,
                    f"decision-{decision.pk}",
                    f"Question {_numbers(decision)} is answered in part: cite the exemption "
                    "that covers what is held back.",
                    16,
                )
            )
    return findings


def check_ncnd_leaks(decisions, text):
    """NCND parts must not confirm or deny; nor may another answer in the same case.

    A mixed decision (provided in part, NCND for the rest) may confirm its overt part
    in its answer, so only wholly-NCND answers are read, together with the harm and
    public interest text, which must argue the effect of confirming or denying.
    """
    findings = []
    ncnd_decisions = [
        d for d in decisions if any(c.mode == Citation.Mode.NCND for c in d.citations.all())
    ]
    for decision in ncnd_decisions:
        match = decision.outcome == Decision.Outcome.NCND and CONFIRMING_PATTERN.search(
            decision.answer
        )
        if match:
            findings.append(_leak_finding(f"ncnd-leak-{decision.pk}", decision, match.group(0)))
    if ncnd_decisions:
        sections = [HARM, PUBLIC_INTEREST, BALANCE]
        if all(d in ncnd_decisions for d in decisions):
            sections.append(SEARCHES)
        for key in sections:
            match = CONFIRMING_PATTERN.search(text.section(key))
            if match:
                findings.append(
                    Finding(
                        f"ncnd-leak-{key}",
                        WARNING,
                        key,
                        f"This section says \u201c{match.group(0)}\u201d, which may confirm "
                        "or deny that information is held.",
                        12,
                    )
                )
    for decision in ncnd_decisions:
        protected = _key_terms(" ".join(q.text for q in decision.questions.all()))
        for other in decisions:
            if other is decision or other.outcome not in (
                Decision.Outcome.PROVIDED,
                Decision.Outcome.PROVIDED_IN_PART,
            ):
                continue
            shared = protected & _key_terms(other.answer)
            if len(shared) >= 2 and CONFIRMING_PATTERN.search(other.answer):
                numbers = ", ".join(str(q.number) for q in other.questions.all())
                findings.append(
                    Finding(
                        f"ncnd-related-{decision.pk}-{other.pk}",
                        WARNING,
                        DECISION,
                        f"The answer to question {numbers} may confirm what the NCND for "
                        f"question {_numbers(decision)} protects (shared terms: "
                        f"{', '.join(sorted(shared)[:4])}).",
                        12,
                    )
                )
    return findings


def check_section_21(citations, text):
    for citation in citations:
        if citation.exemption.section == "21" and citation.exemption.regime.code == Regime.FOIA:
            if not re.search(r"https?://|www\.|available", text.section(DECISION), re.I):
                return [
                    Finding(
                        "s21-where",
                        WARNING,
                        DECISION,
                        "Section 21: say where or how the information is reasonably accessible.",
                        15,
                    )
                ]
    return []


def check_personal_data_limb(citations, text):
    for citation in citations:
        if citation.exemption.section.startswith("40") and not re.search(
            r"40\s*\(\s*(?:1|2|5A|5B)", text.section(DECISION), re.I
        ):
            return [
                Finding(
                    "s40-limb",
                    WARNING,
                    DECISION,
                    "Section 40: say which limb applies (40(1), 40(2), 40(5A) or 40(5B)).",
                    19,
                )
            ]
    return []


REFUSALS = (
    Decision.Outcome.NCND,
    Decision.Outcome.WITHHELD,
    Decision.Outcome.COST_LIMIT,
    Decision.Outcome.VEXATIOUS,
    Decision.Outcome.REPEATED,
)


def letter_findings(letter):
    """Everything wrong with a draft: drafting's structural problems (a question with
    no decision, an unfilled slot ...) and, for a response, the section 17 checks.

    Errors block submission and approval; warnings are shown on the submit page,
    and sending the letter records that the officer read them.
    """
    from responses.drafting import letter_problems

    findings = [
        Finding(f"drafting-{index}", problem.severity, problem.where, problem.message, None)
        for index, problem in enumerate(letter_problems(letter))
    ]
    if letter.kind in (Letter.Kind.RESPONSE, Letter.Kind.EXTENSION):
        findings += check_letter(letter)
    return sorted(findings, key=lambda finding: not finding.is_error)


def _leak_finding(code, decision, phrase):
    return Finding(
        code,
        WARNING,
        DECISION,
        f"The NCND answer to question {_numbers(decision)} says \u201c{phrase}\u201d, which may "
        "confirm or deny that information is held.",
        12,
    )


def _numbers(decision):
    return " & ".join(str(q.number) for q in decision.questions.all())


STOPWORDS = set(
    "about after also been does from have into more other over such than that their there these "
    "they this those under were what when which with would please force police information "
    "held hold year years period request".split()
)


def _key_terms(text):
    return {w for w in re.findall(r"[a-z]{5,}", text.lower()) if w not in STOPWORDS}


def _unique(findings):
    seen, unique = set(), []
    for finding in findings:
        if finding.code not in seen:
            seen.add(finding.code)
            unique.append(finding)
    return unique
