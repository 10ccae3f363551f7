"""What a letter should contain: its sections and the library paragraphs in each.

Planning reads the case, its decisions and the clause library and writes nothing; editing
turns a plan into a letter, and the checks compare a letter with its plan.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.dateformat import format as format_date

from exemptions.models import Clause, Exemption, Regime
from responses.drafting import layouts, outcome_wording
from responses.drafting.letter_kinds import LetterKindsPlanning, is_late
from responses.drafting.slots import (
    render_with_placeholders,
    slot_values_for,
    values_for_paragraph,
)
from responses.drafting.wording import (
    NCND,
    RECORD_OUTCOME,
    SECTION_HEADINGS,
    WITHHOLD,
    DraftingError,
    cost_limit_for,
    placeholder,
    provision_label,
    question_label,
    regime_offers_letter,
    where_to_find,
)
from responses.models import Decision, InternalReviewOutcome, Letter, LetterSection

CLOSING_RIGHTS = {
    Regime.FOIA: ["letter-internal-review", "letter-ico-complaint"],
    Regime.EIR: ["letter-internal-review-eir", "letter-ico-complaint-eir"],
    Regime.FOISA: ["letter-internal-review-foisa", "letter-complaint-foisa"],
}

REVIEW_OUTCOME_CLAUSES = {
    InternalReviewOutcome.Outcome.UPHELD: "letter-review-upheld",
    InternalReviewOutcome.Outcome.UPHELD_IN_PART: "letter-review-upheld-in-part",
    InternalReviewOutcome.Outcome.OVERTURNED: "letter-review-overturned",
}


def reasons_source(statement_source: str) -> str:
    """Where the officer's reasons go for a provision the library has no wording for."""
    return f"{statement_source}:reasons"


def reasons_label(provision: str) -> str:
    return f"why {provision[0].lower()}{provision[1:]} applies to this information"


@dataclass
class PlannedParagraph:
    source: str
    text: str
    clause: Clause | None = None


@dataclass
class PlannedSection:
    key: str
    heading: str
    level: int = 1
    paragraphs: list[PlannedParagraph] = field(default_factory=list)


def decision_groups(decisions):
    """[(question numbers, [decisions])]: the decisions on exactly the same questions are
    parts of one answer; groups follow the order of the questions, parts their order of
    creation."""
    groups = {}
    for decision in decisions:
        numbers = tuple(sorted(q.number for q in decision.questions.all()))
        groups.setdefault(numbers, []).append(decision)
    return sorted(groups.items(), key=lambda item: (not item[0], item[0][:1] or (0,)))


def group_key(numbers, group):
    """The key of the heading above several parts: "decision-q1" or "decision-q1-2"."""
    if numbers:
        return "decision-q" + "-".join(str(n) for n in numbers)
    return f"decision-none-{group[0].pk}"


# How long the clause library is remembered between letters. A new clause or version is
# seen at once (clauses are never rewritten: a change is a new row, which the key counts);
# this bounds only an edit to an exemption or regime the clauses name.
LIBRARY_CACHE_SECONDS = 300


def current_clauses() -> dict[str, Clause]:
    """The clause versions in force today, by code, with their exemptions and regimes."""
    today = timezone.localdate()
    rows = Clause.objects.aggregate(newest=Max("pk"), count=Count("pk"))
    key = f"clause-library:{today.isoformat()}:{rows['newest']}:{rows['count']}"
    by_code = cache.get(key)
    if by_code is None:
        by_code = {}
        for clause in Clause.objects.current(today).select_related("exemption__regime"):
            # current() may hold two versions on a change-over day; the higher wins.
            if clause.code not in by_code or clause.version > by_code[clause.code].version:
                by_code[clause.code] = clause
        cache.set(key, by_code, LIBRARY_CACHE_SECONDS)
    return by_code


class ClauseFinder:
    """Current clause versions, looked up once per assembly."""

    def __init__(self):
        self.by_code = current_clauses()

    def code(self, code):
        return self.by_code.get(code)

    def for_regime(self, code, regime_code):
        """The regime's own wording ("letter-not-held-eir"), else FOIA's ("letter-not-held")."""
        return self.code(f"{code}-{regime_code.lower()}") or self.code(code)

    def for_exemption(self, exemption, kind, mode):
        """The clause for an exemption, kind and mode; a clause with no mode serves both."""
        candidates = [
            clause
            for clause in self.by_code.values()
            if clause.exemption_id == exemption.pk
            and clause.kind == kind
            and clause.mode in (mode, "")
        ]
        candidates.sort(key=lambda clause: (clause.mode != mode, clause.code))
        return candidates[0] if candidates else None


def signposted_source(statement_source: str) -> str:
    """The source of a library statement given with the decision's own signpost (the
    library wording, so its reasons, with this part's link)."""
    return f"{statement_source}:signposted"


def decisions_for_planning(case):
    """The case's decisions with everything the planner reads of them."""
    return case.decisions.select_related("depends_on").prefetch_related(
        "questions", "advice_questions", "citations__exemption__regime"
    )


def question_order(decision: Decision) -> tuple:
    """Decisions in the order of the questions they answer, not the order they were made:
    the letter follows the request. A decision without a question goes last."""
    numbers = [question.number for question in decision.questions.all()]
    return (min(numbers) if numbers else float("inf"), decision.position, decision.pk)


class LetterPlanner(LetterKindsPlanning):
    """Works out the sections and paragraphs a letter should have; writes nothing."""

    def __init__(self, case, kind, slot_values, *, decisions=None):
        self.case = case
        self.kind = kind
        self.values = slot_values
        self.clauses = ClauseFinder()
        self.letter_outcome = None  # an internal review's InternalReviewOutcome, if recorded
        self.decision_notice = None  # a fresh response's DecisionNotice
        if decisions is None:
            decisions = decisions_for_planning(case)
        self.decisions = sorted(decisions, key=question_order)
        self.sections = []
        self.layout = Letter.Layout.SECTIONS

    # -- small builders

    @property
    def question_by_question(self):
        return self.layout == Letter.Layout.QUESTIONS and self.kind in layouts.LAID_OUT_KINDS

    def section(self, key, heading=None, level=1):
        section = PlannedSection(key=key, heading=heading or SECTION_HEADINGS[key], level=level)
        self.sections.append(section)
        return section

    def clause_paragraph(self, section, clause, source=None):
        if clause is None:
            return
        source = source or f"clause:{clause.code}"
        text = render_with_placeholders(clause, values_for_paragraph(self.values, clause, source))
        section.paragraphs.append(PlannedParagraph(source=source, text=text, clause=clause))

    def text_paragraph(self, section, source, text):
        section.paragraphs.append(PlannedParagraph(source=source, text=text))

    @property
    def citations(self):
        """Distinct (exemption, mode) cited, in order of first appearance."""
        seen = []
        for decision in self.decisions:
            for citation in decision.citations.all():
                pair = (citation.exemption, citation.mode)
                if all((e.pk, m) != (pair[0].pk, pair[1]) for e, m in seen):
                    seen.append(pair)
        return seen

    @property
    def any_ncnd(self):
        return any(mode == NCND for _, mode in self.citations)

    @property
    def all_ncnd(self):
        return bool(self.decisions) and all(
            decision.outcome == Decision.Outcome.NCND
            or any(c.mode == NCND for c in decision.citations.all())
            for decision in self.decisions
        )

    def procedural(self, section):
        return Exemption.objects.filter(
            regime=self.case.regime, section=section, procedural=True
        ).first()

    # -- the letters

    def plan(self):
        builders = {
            Letter.Kind.RESPONSE: self.plan_response,
            Letter.Kind.ACKNOWLEDGEMENT: self.plan_acknowledgement,
            Letter.Kind.CLARIFICATION: self.plan_clarification,
            Letter.Kind.EXTENSION: self.plan_extension,
            Letter.Kind.REVIEW_OUTCOME: self.plan_review_outcome,
            Letter.Kind.FRESH_RESPONSE: self.plan_fresh_response,
        }
        if self.kind not in builders:
            raise DraftingError(f"Letters of kind {self.kind!r} are not drafted here.")
        regime = self.case.regime.code
        if not regime_offers_letter(regime, self.kind):
            label = Letter.Kind(self.kind).label
            raise DraftingError(f"A {label.lower()} letter is not part of {regime} procedure.")
        builders[self.kind]()
        if self.kind in layouts.LAID_OUT_KINDS:
            layouts.arrange(self, self.layout)
        return self.sections

    def plan_request(self, *, apologise_if_late=False):
        # The letter template quotes the request itself (scope, numbered questions and
        # prioritisation note, verbatim, from the case) after this section's paragraphs, so
        # the quotation cannot be edited by accident.
        section = self.section("request")
        if apologise_if_late and is_late(self.case)[1]:
            # First: the last paragraph here leads into the quoted request ("You asked:").
            self.text_paragraph(
                section,
                "response:apology",
                "We are sorry that this response is late, and for the delay this has caused you.",
            )
        received = format_date(self.case.received_on, "j F Y")
        if self.question_by_question and not self.case.scope.strip():
            # Each question is quoted with its answer below, not after this sentence.
            then = "We give each of your questions below, with our answer."
        else:
            then = "You asked:"
        self.text_paragraph(
            section, "request:intro", f"We received your request on {received}. {then}"
        )

    def plan_response(self):
        # A response sent after its deadline says sorry (the "late" check says it does).
        self.plan_request(apologise_if_late=True)
        self.plan_regime_switch()
        self.plan_searches()
        self.plan_decisions()
        self.plan_harm()
        self.plan_public_interest()
        self.plan_closing()

    def plan_searches(self):
        section = self.section("searches")
        if self.all_ncnd:
            # Describing searches would itself confirm or deny that anything is held.
            self.clause_paragraph(section, self.clauses.code("letter-searches-ncnd"))
        elif self.case.searches.strip():
            self.text_paragraph(section, "case:searches", self.case.searches.strip())

    def plan_decisions(self):
        self.section("decision")
        # (exemption pk, mode) -> the heading of the part that first explained it.
        self.explained = {}
        self.section_12_explained = None  # the label of the part that stated section 12
        for numbers, group in decision_groups(self.decisions):
            # The label refers back to an answer in the reasons ("Q1"); the heading is the
            # layout's ("Question 1" when the letter goes question by question).
            label = question_label(numbers) or "Decision without a question"
            heading = (self.question_by_question and layouts.question_heading(numbers)) or label
            if len(group) == 1:
                decision = group[0]
                if part := decision.part_label.strip():
                    label, heading = f"{label}: {part}", f"{heading}: {part}"
                section = self.section(f"decision-{decision.pk}", heading, level=2)
                self.plan_one_decision(section, decision, label)
                continue
            # Several parts of one answer ("published names", "the rest"): printed together
            # under the question, each part stated and argued once.
            self.section(group_key(numbers, group), heading, level=2)
            for index, decision in enumerate(group, start=1):
                part = decision.part_label.strip() or f"Part {index}"
                section = self.section(f"decision-{decision.pk}", part, level=3)
                self.plan_one_decision(section, decision, f"{label} ({part})")

    def plan_one_decision(self, section, decision, label):
        pk = decision.pk
        outcome = decision.outcome
        if outcome == Decision.Outcome.COST_LIMIT:
            self.plan_cost_limit(section, decision, label)
            return
        if decision.answer.strip():
            self.text_paragraph(section, f"decision:{pk}:answer", decision.answer.strip())
        # The table (Decision.table) is drawn by the letter template, not kept as a paragraph.
        as_at = outcome_wording.figures_as_at(decision)
        if as_at:
            self.text_paragraph(section, f"decision:{pk}:as-at", as_at)
        if outcome == Decision.Outcome.NOT_HELD:
            self.clause_paragraph(
                section, self.regime_clause("letter-not-held"), f"decision:{pk}:not-held"
            )
        elif outcome == Decision.Outcome.PROVIDED_IN_PART:
            rest = outcome_wording.rest_not_provided(self.case, decision)
            if rest:
                self.text_paragraph(section, f"decision:{pk}:rest", rest)
        elif outcome == Decision.Outcome.NOT_APPLICABLE:
            self.text_paragraph(
                section, f"decision:{pk}:not-applicable", outcome_wording.not_applicable(decision)
            )
        elif outcome == Decision.Outcome.OWN_DATA:
            for index, text in enumerate(outcome_wording.own_personal_data(self.case), start=1):
                self.text_paragraph(section, f"decision:{pk}:own-data:{index}", text)
            return  # the wording names the provision itself
        elif outcome in (Decision.Outcome.VEXATIOUS, Decision.Outcome.REPEATED):
            repeated = outcome == Decision.Outcome.REPEATED
            ground = self.procedural("14(2)" if repeated else "14(1)")
            if ground:
                clause = self.clauses.for_exemption(ground, Clause.Kind.REFUSAL_STATEMENT, WITHHOLD)
                self.clause_paragraph(section, clause, f"decision:{pk}:s14")
        citations = [c for c in decision.citations.all() if not c.exemption.procedural]
        signposted = bool(citations) and self.plan_citations(section, decision, citations, label)
        if decision.signpost.strip() and not signposted:
            self.text_paragraph(
                section,
                f"decision:{pk}:signpost",
                f"You can find it {where_to_find(decision.signpost)}.",
            )
        if outcome != Decision.Outcome.COST_LIMIT and decision.advice.strip():
            self.plan_advice(section, decision)

    def regime_clause(self, code):
        return self.clauses.for_regime(code, self.case.regime.code)

    def plan_advice(self, section, decision):
        """Advice the officer gave is always printed, under the regime's own duty to advise
        (FOIA section 16, EIR regulation 9, FOISA section 15)."""
        pk = decision.pk
        self.clause_paragraph(section, self.regime_clause("letter-advice"), f"decision:{pk}:advice")
        self.text_paragraph(section, f"decision:{pk}:advice-text", decision.advice.strip())

    def plan_citations(self, section, decision, citations, label):
        """The statement for each citation; True if one of them carried the signpost."""
        act = self.case.regime.statute
        signposted = False
        for citation in citations:
            mode = citation.mode
            if mode == NCND:
                kind = Clause.Kind.NCND_STATEMENT
            else:
                kind = Clause.Kind.REFUSAL_STATEMENT
            source = f"decision:{decision.pk}:{mode}:{citation.exemption.pk}"
            provision = provision_label(citation.exemption, mode)
            clause = self.clauses.for_exemption(citation.exemption, kind, mode)
            # A clause asking something of each question (where its information can be
            # found) is given in full every time; others are explained once.
            per_question = clause is not None and any(s.get("per_question") for s in clause.slots)
            first = self.explained.setdefault((citation.exemption.pk, mode), label)
            if first != label and not per_question:
                # Explained once already: refer back rather than repeat the whole statement.
                text = (
                    f"{provision} also applies to this part, for the reasons given under {first}."
                )
                self.text_paragraph(section, source, text)
                continue
            if (
                clause is not None
                and decision.signpost.strip()
                and ("where_accessible" in clause.slot_names)
            ):
                # The decision's own signpost is this part's link (one per question), so the
                # paragraph does not follow the letter-wide slot: it is kept as generated text.
                values = {**self.values, "where_accessible": decision.signpost}
                text = render_with_placeholders(clause, values)
                self.text_paragraph(section, signposted_source(source), text)
                signposted = True
                continue
            if clause is not None:
                self.clause_paragraph(section, clause, source)
                continue
            # No library wording yet: still name the provision, as section 17(1)(b) requires,
            # and leave a visible gap for the reasons (section 17(1)(c)); the checks insist.
            if mode == NCND:
                text = (
                    f"We neither confirm nor deny whether we hold this information. "
                    f"{provision} of the {act} applies."
                )
            else:
                text = (
                    f"We hold this information and are withholding it under "
                    f"{provision[0].lower()}{provision[1:]} of the {act}."
                )
            self.text_paragraph(section, source, text)
            self.text_paragraph(
                section, reasons_source(source), placeholder(reasons_label(provision))
            )
        return signposted

    def plan_cost_limit(self, section, decision, label):
        """Section 12: stated once for the request as a whole, then per part what drives the
        cost, the estimate against the limit, anything released voluntarily, and advice."""
        pk = decision.pk
        if self.section_12_explained is None:
            self.section_12_explained = label
            ground = self.procedural("12")
            clause = ground and self.clauses.for_exemption(
                ground, Clause.Kind.REFUSAL_STATEMENT, WITHHOLD
            )
            if clause:
                self.clause_paragraph(section, clause, f"decision:{pk}:s12")
            else:  # no library wording for this regime yet: still say that section 12 applies
                self.text_paragraph(
                    section,
                    f"decision:{pk}:s12",
                    "We estimate that the cost of complying with your request would exceed the "
                    f"appropriate limit, so under section 12 of the {self.case.regime.statute} "
                    "we are not obliged to comply with it.",
                )
            answered = sorted(
                {
                    q.number
                    for other in self.decisions
                    if other.outcome != Decision.Outcome.COST_LIMIT
                    for q in other.questions.all()
                }
            )
            self.text_paragraph(
                section, f"decision:{pk}:whole", outcome_wording.request_as_a_whole(answered)
            )
        else:
            self.text_paragraph(
                section,
                f"decision:{pk}:s12",
                outcome_wording.refers_back_to_section_12(self.section_12_explained),
            )
        drivers = outcome_wording.cost_drivers(decision)
        if drivers:
            self.text_paragraph(section, f"decision:{pk}:drivers", drivers)
        estimate = outcome_wording.cost_estimate(
            decision, cost_limit_for(self.case), self.case.authority.name
        )
        if estimate:
            self.text_paragraph(section, f"decision:{pk}:estimate", estimate)
        if decision.discretionary_release:
            self.text_paragraph(
                section, f"decision:{pk}:release", outcome_wording.discretionary_release()
            )
            if decision.answer.strip():
                self.text_paragraph(section, f"decision:{pk}:answer", decision.answer.strip())
            as_at = outcome_wording.figures_as_at(decision)
            if as_at:
                self.text_paragraph(section, f"decision:{pk}:as-at", as_at)
            self.text_paragraph(
                section, f"decision:{pk}:complete", outcome_wording.completeness_caveat()
            )
        elif decision.answer.strip():
            self.text_paragraph(section, f"decision:{pk}:answer", decision.answer.strip())
        advice = self.clauses.code(f"{self.case.regime.code.lower()}-s12-advice")
        self.clause_paragraph(section, advice, f"decision:{pk}:advice")
        named = outcome_wording.section_16_named(
            decision, sorted(q.number for q in decision.advice_questions.all())
        )
        if named:
            self.text_paragraph(section, f"decision:{pk}:advice-named", named)
        if decision.advice.strip():
            self.text_paragraph(section, f"decision:{pk}:advice-text", decision.advice.strip())

    def plan_harm(self):
        # Prejudice-based exemptions need their harm argued; a class-based one whose
        # library has harm wording (why waiting for publication is reasonable, s22) gets it too.
        harmful = [
            (exemption, mode)
            for exemption, mode in self.citations
            if not exemption.procedural
            and (
                exemption.is_prejudice_based
                or self.clauses.for_exemption(exemption, Clause.Kind.HARM, mode)
            )
        ]
        if not harmful:
            return
        section = self.section("harm")
        for exemption, mode in harmful:
            clause = self.clauses.for_exemption(exemption, Clause.Kind.HARM, mode)
            self.clause_paragraph(section, clause, f"harm:{exemption.pk}:{mode}")

    def plan_public_interest(self):
        qualified = [
            (exemption, mode)
            for exemption, mode in self.citations
            if exemption.pit_applies and not exemption.absolute and not exemption.procedural
        ]
        if not qualified:
            return
        self.section("public-interest")
        for exemption, mode in qualified:
            provision = provision_label(exemption, mode)
            if mode == NCND:
                labels = (
                    "factors favouring confirmation or denial",
                    "factors against confirmation or denial",
                )
            else:
                labels = ("factors favouring disclosure", "factors against disclosure")
            for kind, which, label in (
                (Clause.Kind.FACTORS_FAVOURING, "favouring", labels[0]),
                (Clause.Kind.FACTORS_AGAINST, "against", labels[1]),
            ):
                section = self.section(
                    f"pit-{exemption.pk}-{mode}-{which}", f"{provision} – {label}", level=2
                )
                clause = self.clauses.for_exemption(exemption, kind, mode)
                self.clause_paragraph(section, clause, f"pit:{exemption.pk}:{mode}:{which}")
        section = self.section("balance")
        if any(mode == NCND for _, mode in qualified):
            self.clause_paragraph(section, self.regime_clause("letter-balance-ncnd"))
        if any(mode == WITHHOLD for _, mode in qualified):
            self.clause_paragraph(section, self.regime_clause("letter-balance-withhold"))

    def plan_closing(self, *, ncnd_notes=True, rights=True):
        section = self.section("closing")
        if ncnd_notes and self.any_ncnd:
            self.clause_paragraph(section, self.clauses.code("letter-ncnd-caveat"))
            self.clause_paragraph(section, self.clauses.code("letter-not-comparable"))
        if rights:
            for code in CLOSING_RIGHTS.get(self.case.regime.code, []):
                self.clause_paragraph(section, self.clauses.code(code))
        self.clause_paragraph(section, self.clauses.code("letter-copyright"))

    def plan_acknowledgement(self):
        self.plan_request()
        section = self.section("body")
        self.clause_paragraph(section, self.clauses.code("letter-acknowledgement"))

    def plan_clarification(self):
        self.plan_request()
        section = self.section("body")
        self.clause_paragraph(section, self.regime_clause("letter-clarification"))

    def plan_extension(self):
        self.plan_request()
        section = self.section("body")
        self.clause_paragraph(section, self.clauses.code("letter-extension"))
        # A section 17(2) notice is a refusal notice: it must give the review and complaint rights.
        self.plan_closing(ncnd_notes=False)

    def plan_review_outcome(self):
        """The outcome of an internal review: what the reviewer found, then the right to
        complain to the Commissioner (the review itself has now been done)."""
        section = self.section("body", "Outcome of the review")
        outcome = getattr(self.letter_outcome, "outcome", "")
        if not outcome:
            self.text_paragraph(section, "review:outcome", placeholder(RECORD_OUTCOME))
        else:
            clause = self.clauses.code(REVIEW_OUTCOME_CLAUSES[outcome])
            # The outcome speaks of the original request's reference; nothing else in the
            # letter (its copyright paragraph included) takes that as the letter's own.
            own, self.values = self.values, {**self.values, **self.reviewed_values()}
            self.clause_paragraph(section, clause, "review:outcome")
            self.values = own
        self.plan_review_findings(section)
        closing = self.section("closing")
        complaint = CLOSING_RIGHTS.get(self.case.regime.code, [])[-1:]
        for code in [*complaint, "letter-copyright"]:
            self.clause_paragraph(closing, self.clauses.code(code))


def plan_letter(
    letter: Letter, slot_values: dict | None = None, *, decisions: list[Decision] | None = None
) -> list[PlannedSection]:
    """The sections the letter should have now, from its case's decisions and the library
    (``slot_values``: the letter's ``slot_values_for``, and ``decisions``: the case's as
    ``decisions_for_planning`` loads them, when the caller has them)."""
    if slot_values is None:
        slot_values = slot_values_for(letter, decisions=decisions)
    planner = LetterPlanner(letter.case, letter.kind, slot_values, decisions=decisions)
    planner.letter_outcome = getattr(letter, "review_outcome", None)
    planner.decision_notice = getattr(letter, "decision_notice", None)
    planner.layout = letter.layout
    return planner.plan()


def is_stale(
    planned_sections: Sequence[PlannedSection],
    sections: Sequence[LetterSection],
    removed: Collection[str] = (),
) -> bool:
    """True when the decisions now call for sections or library paragraphs the letter lacks,
    a section nobody typed in is no longer called for, or the sections are out of order.

    ``removed`` holds the sources of library paragraphs the officer deleted: their absence
    is the officer's choice, not a change in the decisions.
    """
    existing = {s.key: s for s in sections}
    removed = set(removed)
    for planned in planned_sections:
        section = existing.get(planned.key)
        if section is None:
            return True
        have = {p.source for p in section.paragraphs.all()}
        if any(p.source not in have and p.source not in removed for p in planned.paragraphs):
            return True
    planned_keys = [p.key for p in planned_sections]
    for section in sections:
        if section.key not in planned_keys and not any(
            p.edited or not p.source for p in section.paragraphs.all()
        ):
            return True
    # Questions renumbered or decided in another order: the parts must follow the questions.
    planned_set = set(planned_keys)
    present = [s.key for s in sections if s.key in planned_set]
    return present != [key for key in planned_keys if key in existing]
