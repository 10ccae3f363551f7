"""Drafting: decisions on questions, and letters assembled from them and the clause library.

Pure service functions: views, commands and tests call them the same way. A letter is a
list of sections, each a list of paragraphs of plain text with light markup. Paragraphs
that came from the library record the clause version used (``LetterParagraph.clause``)
and what generated them (``LetterParagraph.source``), so that a rebuild after the
decisions change can put fresh library text where the officer has not typed, and keep
every paragraph the officer edited or wrote.

Clause slots the case can fill are filled automatically; the others come from
``Letter.slot_values``. An empty slot leaves a visible placeholder ("[Fill in: ...]") in
the text and a problem in ``letter_problems`` until the officer fills it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.dateformat import format as format_date

from exemptions.clauses import ClauseTemplateError, render_clause_text
from exemptions.models import Clause, Exemption, Regime
from responses.models import (
    Case,
    CaseEvent,
    Citation,
    Decision,
    Letter,
    LetterParagraph,
    LetterSection,
)
from responses.rendering.html import render_letter_html

MAX_PARAGRAPH_CHARS = 20_000
MAX_TABLE_ROWS = 500
MAX_TABLE_COLUMNS = 30

NCND = Citation.Mode.NCND
WITHHOLD = Citation.Mode.WITHHOLD

# Slots the drafting code fills from the case; the officer never types them.
AUTOMATIC_SLOTS = {
    "authority_name": "the authority's name",
    "reference": "the case reference",
    "subject": "a subject for the case (e.g. 'facial recognition technology')",
    "received_date": "the date the request was received",
    "cost_limit_pounds": "the authority's cost limit",
    "cost_limit_hours": "the authority's cost limit in hours",
    "response_days": "the regime's response time",
    "review_deadline_days": "the time allowed to ask for a review",
    "requester_name": "the requester's name",
}
REVIEW_DEADLINE_DAYS = 40

# Section 12: the only activities the Fees Regulations (SI 2004/3244 reg 4(3)) let us count.
COST_ACTIVITIES = [
    ("determining", "Determining whether the information is held"),
    ("locating", "Locating the information"),
    ("retrieving", "Retrieving the information"),
    ("extracting", "Extracting the information"),
]

CLOSING_RIGHTS = {
    Regime.FOIA: ["letter-internal-review", "letter-ico-complaint"],
    Regime.EIR: ["letter-internal-review-eir", "letter-ico-complaint-eir"],
    Regime.FOISA: ["letter-internal-review-foisa", "letter-complaint-foisa"],
}

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


class DraftingError(Exception):
    """An edit that cannot be applied; the message is meant for the officer."""


class StaleDecisionError(DraftingError):
    """Someone else saved the decision since this form was loaded."""

    def __init__(self, decision):
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


@dataclass(frozen=True)
class Problem:
    where: str  # a section key ("harm", "decision-4"), or "decisions", "slots", "questions"
    message: str
    severity: str = "error"  # "error" blocks submission for review; "warning" does not

    @property
    def is_error(self):
        return self.severity == "error"


@dataclass(frozen=True)
class Slot:
    name: str
    label: str
    help: str = ""
    used_in: tuple[str, ...] = ()


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


# --------------------------------------------------------------------------- helpers


def placeholder(label):
    return f"[Fill in: {label}]"


def question_label(numbers):
    """ "Q1 & 2", "Q1, 2 & 4", "Q3"; "" for no questions."""
    numbers = sorted(numbers)
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"Q{numbers[0]}"
    return "Q" + ", ".join(str(n) for n in numbers[:-1]) + f" & {numbers[-1]}"


def join_words(items):
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def provision_label(exemption, mode):
    word = "regulation" if exemption.regime.code == Regime.EIR else "section"
    return f"{word.title()} {exemption.provision_for(mode)}"


def format_hours(hours):
    value = Decimal(str(hours)).normalize()
    text = f"{value:f}"
    return text


def parse_table(text):
    """Rows of cells from text pasted from a spreadsheet (tab-separated); first row the header.

    Blank lines at either end are dropped and short rows padded, so the table is rectangular.
    """
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    rows = [[cell.strip() for cell in line.split("\t")] for line in lines]
    width = max((len(row) for row in rows), default=0)
    if len(rows) > MAX_TABLE_ROWS:
        raise DraftingError(
            f"The table has {len(rows)} rows; the most a letter can hold is {MAX_TABLE_ROWS}."
        )
    if width > MAX_TABLE_COLUMNS:
        raise DraftingError(
            f"The table has {width} columns; the most a letter can hold is {MAX_TABLE_COLUMNS}."
        )
    return [row + [""] * (width - len(row)) for row in rows]


def table_text(rows):
    return "\n".join("\t".join(row) for row in rows)


def cost_total(decision):
    total = Decimal(0)
    for item in decision.cost_estimate or []:
        try:
            total += Decimal(str(item.get("hours") or 0))
        except InvalidOperation:
            continue
    return total


def automatic_slot_values(case):
    authority = case.authority
    values = {
        "authority_name": authority.name,
        "reference": case.reference,
        "subject": case.subject,
        "received_date": format_date(case.received_on, "j F Y"),
        "cost_limit_pounds": str(authority.cost_limit_pounds),
        "cost_limit_hours": str(authority.cost_limit_hours),
        "response_days": str(case.regime.response_days),
        "review_deadline_days": str(REVIEW_DEADLINE_DAYS),
        "requester_name": case.requester.name,
    }
    return {name: value for name, value in values.items() if value}


def provisions_considered(case):
    """The qualified exemptions cited on a case, in words, for an extension notice."""
    citations = Citation.objects.filter(decision__case=case).select_related("exemption__regime")
    considered = []
    for citation in citations.order_by("decision__position", "position"):
        if not citation.exemption.pit_applies or citation.exemption.procedural:
            continue
        provision = provision_label(citation.exemption, citation.mode).lower()
        label = f"{provision} ({citation.exemption.title.lower()})"
        if label not in considered:
            considered.append(label)
    return join_words(considered)


def slot_values_for(letter):
    values = {
        name: value
        for name, value in (letter.slot_values or {}).items()
        if name not in AUTOMATIC_SLOTS and str(value or "").strip()
    }
    values.update(automatic_slot_values(letter.case))
    if letter.kind == Letter.Kind.REVIEW_OUTCOME:
        values.update(review_slot_values(letter))
    return values


def slot_label(clause, name):
    for slot in clause.slots:
        if slot["name"] == name:
            return slot.get("label") or name.replace("_", " ")
    return AUTOMATIC_SLOTS.get(name, name.replace("_", " "))


def render_with_placeholders(clause, values):
    """The clause's text as plain text, a visible placeholder in place of each empty slot."""
    filled = {}
    for name in clause.slot_names:
        value = str(values.get(name, "") or "").strip()
        filled[name] = value or placeholder(slot_label(clause, name))
    try:
        # render_clause_text escapes slot values for HTML; paragraphs are plain text (escaped
        # whenever shown), so undo it here to avoid showing "&amp;" to the requester.
        return render_clause_text(clause.code, clause.body, clause.slot_names, filled).unescape()
    except ClauseTemplateError as error:
        return f"[The library text {clause.code} could not be used: {error}]"


def clause_used_in(clause):
    """Where a clause sits, in words: "section 27(4) harm", or the clause title."""
    if clause.exemption_id:
        mode = clause.mode or WITHHOLD
        try:
            provision = provision_label(clause.exemption, mode).lower()
        except ValueError:
            provision = provision_label(clause.exemption, WITHHOLD).lower()
        return f"{provision} {KIND_WORDS.get(clause.kind, clause.get_kind_display().lower())}"
    return clause.title.lower() if clause.title else clause.code


class ClauseFinder:
    """Current clause versions, looked up once per assembly."""

    def __init__(self):
        self.clauses = list(Clause.objects.current().select_related("exemption__regime"))
        self.by_code = {}
        for clause in self.clauses:
            # current() may hold two versions on a change-over day; the higher wins.
            if (
                clause.code not in self.by_code
                or clause.version > self.by_code[clause.code].version
            ):
                self.by_code[clause.code] = clause

    def code(self, code):
        return self.by_code.get(code)

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


# --------------------------------------------------------------------------- decisions


def cost_estimate_from_hours(hours_by_activity):
    """[{"activity": label, "key": key, "hours": float}] for the activities given."""
    estimate = []
    for key, label in COST_ACTIVITIES:
        hours = hours_by_activity.get(key)
        if hours is None or hours == "":
            continue
        estimate.append({"key": key, "activity": label, "hours": float(hours)})
    return estimate


@transaction.atomic
def save_decision(
    case,
    *,
    actor,
    questions,
    outcome,
    answer="",
    table=(),
    cost_estimate=(),
    advice="",
    citations=(),
    decision=None,
    revision=None,
):
    """Create or update a decision; ``citations`` is a list of (Exemption, mode) pairs.

    ``revision`` is the one the officer's form was loaded with: if the decision has been
    saved since, StaleDecisionError is raised and nothing is written.
    """
    for exemption, mode in citations:
        if exemption.regime_id != case.regime_id:
            raise DraftingError(f"{exemption} belongs to another regime than this case.")
        if mode == NCND and not exemption.has_ncnd_provision:
            raise DraftingError(
                f"Section {exemption.section} has no neither-confirm-nor-deny provision, "
                "so it cannot be cited to neither confirm nor deny."
            )
    created = decision is None
    if created:
        last = case.decisions.order_by("-position").first()
        decision = Decision(case=case, position=(last.position + 1) if last else 1)
    else:
        try:
            decision = Decision.objects.select_for_update().get(pk=decision.pk)
        except Decision.DoesNotExist:
            raise DraftingError(
                "Someone else deleted this decision while you were editing it. Add it again "
                "from the decisions page if it is still needed."
            ) from None
        if revision is not None and int(revision) != decision.revision:
            raise StaleDecisionError(decision)
        decision.revision += 1
    decision.outcome = outcome
    decision.answer = answer
    decision.table = [list(row) for row in table]
    decision.cost_estimate = list(cost_estimate)
    decision.advice = advice
    decision.save()
    decision.questions.set(questions)
    decision.citations.all().delete()
    for position, (exemption, mode) in enumerate(citations, start=1):
        Citation.objects.create(
            decision=decision, exemption=exemption, mode=mode, position=position
        )
    CaseEvent.objects.record(
        case,
        CaseEvent.Action.DECISION_ADDED if created else CaseEvent.Action.DECISION_CHANGED,
        actor,
        decision=decision.pk,
        outcome=outcome,
        questions=sorted(q.number for q in decision.questions.all()),
        citations=[f"{c.provision} ({c.mode})" for c in decision.citations.all()],
    )
    return decision


@transaction.atomic
def delete_decision(decision, *, actor):
    case = decision.case
    numbers = sorted(q.number for q in decision.questions.all())
    pk = decision.pk
    decision.delete()
    CaseEvent.objects.record(
        case, CaseEvent.Action.DECISION_DELETED, actor, decision=pk, questions=numbers
    )


# --------------------------------------------------------------------------- planning


class LetterPlanner:
    """Works out the sections and paragraphs a letter should have; writes nothing."""

    def __init__(self, case, kind, slot_values):
        self.case = case
        self.kind = kind
        self.values = slot_values
        self.clauses = ClauseFinder()
        self.letter_outcome = None  # an internal review's InternalReviewOutcome, if recorded
        self.decisions = list(
            case.decisions.prefetch_related("questions", "citations__exemption__regime")
        )
        self.sections = []

    # -- small builders

    def section(self, key, heading=None, level=1):
        section = PlannedSection(key=key, heading=heading or SECTION_HEADINGS[key], level=level)
        self.sections.append(section)
        return section

    def clause_paragraph(self, section, clause, source=None):
        if clause is None:
            return
        text = render_with_placeholders(clause, self.values)
        section.paragraphs.append(
            PlannedParagraph(source=source or f"clause:{clause.code}", text=text, clause=clause)
        )

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
        }
        if self.kind not in builders:
            raise DraftingError(f"Letters of kind {self.kind!r} are not drafted here.")
        builders[self.kind]()
        return self.sections

    def plan_request(self):
        # The letter template quotes the request itself (scope, numbered questions and
        # prioritisation note, verbatim, from the case) after this section's paragraphs, so
        # the quotation cannot be edited by accident.
        section = self.section("request")
        received = format_date(self.case.received_on, "j F Y")
        self.text_paragraph(
            section, "request:intro", f"We received your request on {received}. You asked:"
        )

    def plan_response(self):
        self.plan_request()
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
        for decision in self.decisions:
            numbers = [q.number for q in decision.questions.all()]
            heading = question_label(numbers) or "Decision without a question"
            section = self.section(f"decision-{decision.pk}", heading, level=2)
            self.plan_one_decision(section, decision)

    def plan_one_decision(self, section, decision):
        pk = decision.pk
        outcome = decision.outcome
        if decision.answer.strip():
            self.text_paragraph(section, f"decision:{pk}:answer", decision.answer.strip())
        # The table (Decision.table) is drawn by the letter template, not kept as a paragraph.
        if outcome == Decision.Outcome.NOT_HELD:
            self.clause_paragraph(
                section, self.clauses.code("letter-not-held"), f"decision:{pk}:not-held"
            )
        elif outcome == Decision.Outcome.COST_LIMIT:
            self.plan_cost_limit(section, decision)
        elif outcome in (Decision.Outcome.VEXATIOUS, Decision.Outcome.REPEATED):
            repeated = outcome == Decision.Outcome.REPEATED
            ground = self.procedural("14(2)" if repeated else "14(1)")
            if ground:
                clause = self.clauses.for_exemption(ground, Clause.Kind.REFUSAL_STATEMENT, WITHHOLD)
                self.clause_paragraph(section, clause, f"decision:{pk}:s14")
        citations = [c for c in decision.citations.all() if not c.exemption.procedural]
        if citations:
            self.plan_citations(section, decision, citations)

    def plan_citations(self, section, decision, citations):
        act = self.case.regime.statute
        for citation in citations:
            mode = citation.mode
            if mode == NCND:
                kind = Clause.Kind.NCND_STATEMENT
            else:
                kind = Clause.Kind.REFUSAL_STATEMENT
            source = f"decision:{decision.pk}:{mode}:{citation.exemption.pk}"
            provision = provision_label(citation.exemption, mode)
            first = self.explained.setdefault((citation.exemption.pk, mode), section.heading)
            if first != section.heading:
                # Explained once already: refer back rather than repeat the whole statement.
                text = (
                    f"{provision} also applies to this part, for the reasons given under {first}."
                )
                self.text_paragraph(section, source, text)
                continue
            clause = self.clauses.for_exemption(citation.exemption, kind, mode)
            if clause is not None:
                self.clause_paragraph(section, clause, source)
                continue
            # No library wording yet: still name the provision, as section 17(1)(b) requires.
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

    def plan_cost_limit(self, section, decision):
        pk = decision.pk
        authority = self.case.authority
        ground = self.procedural("12")
        if ground:
            clause = self.clauses.for_exemption(ground, Clause.Kind.REFUSAL_STATEMENT, WITHHOLD)
            self.clause_paragraph(section, clause, f"decision:{pk}:s12")
        if decision.cost_estimate:
            lines = [
                f"- {item['activity']}: {format_hours(item['hours'])} hours"
                for item in decision.cost_estimate
            ]
            total = format_hours(cost_total(decision))
            text = (
                f"We estimate that answering this part of your request would take {total} hours "
                f"of staff time:\n\n" + "\n".join(lines) + "\n\n"
                f"The cost limit for {authority.name} is £{authority.cost_limit_pounds}, which is "
                f"{authority.cost_limit_hours} hours of work."
            )
            self.text_paragraph(section, f"decision:{pk}:estimate", text)
        advice = self.clauses.code(f"{self.case.regime.code.lower()}-s12-advice")
        self.clause_paragraph(section, advice, f"decision:{pk}:advice")
        if decision.advice.strip():
            self.text_paragraph(section, f"decision:{pk}:advice-text", decision.advice.strip())

    def plan_harm(self):
        harmful = [
            (exemption, mode)
            for exemption, mode in self.citations
            if exemption.is_prejudice_based and not exemption.procedural
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
            self.clause_paragraph(section, self.clauses.code("letter-balance-ncnd"))
        if any(mode == WITHHOLD for _, mode in qualified):
            self.clause_paragraph(section, self.clauses.code("letter-balance-withhold"))

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
        self.clause_paragraph(section, self.clauses.code("letter-clarification"))

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
            self.clause_paragraph(section, clause, "review:outcome")
        closing = self.section("closing")
        complaint = CLOSING_RIGHTS.get(self.case.regime.code, [])[-1:]
        for code in [*complaint, "letter-copyright"]:
            self.clause_paragraph(closing, self.clauses.code(code))


RECORD_OUTCOME = "Record the review's outcome and reasons"
# Filled from the recorded outcome, not typed into the letter editor.
REVIEW_SLOTS = {"review_findings"}
REVIEW_OUTCOME_CLAUSES = {
    "upheld": "letter-review-upheld",
    "upheld_in_part": "letter-review-upheld-in-part",
    "overturned": "letter-review-overturned",
}


def review_slot_values(letter):
    """An outcome letter speaks of the original request and carries the reviewer's reasons."""
    values = {}
    original = letter.case.reviewed_case
    if original is not None:
        values["reference"] = original.reference
        values["received_date"] = format_date(original.received_on, "j F Y")
    outcome = getattr(letter, "review_outcome", None)
    if outcome is not None and outcome.reasons.strip():
        values["review_findings"] = outcome.reasons.strip()
    return values


def plan_letter(letter):
    planner = LetterPlanner(letter.case, letter.kind, slot_values_for(letter))
    planner.letter_outcome = getattr(letter, "review_outcome", None)
    return planner.plan()


# --------------------------------------------------------------------------- writing letters


def _write_sections(letter, planned_sections, carried=None):
    """Create the letter's sections from a plan.

    ``carried`` maps a section key to the officer's paragraphs to keep there:
    [(anchor_source or None, paragraph_fields)], placed after the paragraph whose
    source is ``anchor_source`` (or first in the section).
    """
    carried = dict(carried or {})
    for position, planned in enumerate(planned_sections, start=1):
        section = LetterSection.objects.create(
            letter=letter,
            key=planned.key,
            heading=planned.heading,
            level=planned.level,
            position=position,
        )
        paragraphs = [
            dict(source=p.source, text=p.text, clause=p.clause, edited=False)
            for p in planned.paragraphs
        ]
        placed_after = {}  # anchor -> officer paragraphs already put after it, to keep order
        for anchor, fields in carried.pop(planned.key, {}).get("paragraphs", []):
            sources = [p["source"] for p in paragraphs]
            if fields["source"] and fields["source"] in sources:
                # An edited paragraph replaces the library text it came from, in place.
                paragraphs[sources.index(fields["source"])] = fields
                continue
            if anchor is None:
                base = 0
            elif anchor in sources:
                base = sources.index(anchor) + 1
            else:
                base = len(paragraphs)
            paragraphs.insert(base + placed_after.get(anchor, 0), fields)
            placed_after[anchor] = placed_after.get(anchor, 0) + 1
        _create_paragraphs(section, paragraphs)
    # Officer text whose section is no longer planned: keep it, in a section of its own.
    position = len(planned_sections)
    for key, leftover in carried.items():
        position += 1
        section = LetterSection.objects.create(
            letter=letter,
            key=key,
            heading=leftover["heading"],
            level=leftover["level"],
            position=position,
        )
        _create_paragraphs(section, [fields for _, fields in leftover["paragraphs"]])


def _create_paragraphs(section, paragraphs):
    LetterParagraph.objects.bulk_create(
        LetterParagraph(section=section, position=position, **fields)
        for position, fields in enumerate(paragraphs, start=1)
    )


@transaction.atomic
def assemble_letter(case, *, actor, kind=Letter.Kind.RESPONSE, slot_values=None):
    """A new draft letter of ``kind`` for the case, every paragraph from the library."""
    slot_values = dict(slot_values or {})
    if kind == Letter.Kind.EXTENSION:
        # A starting point the officer can change: the qualified exemptions already cited.
        slot_values.setdefault("provisions_considered", provisions_considered(case))
    letter = Letter.objects.create(
        case=case, kind=kind, slot_values=slot_values, updated_by=_user(actor)
    )
    _write_sections(letter, plan_letter(letter))
    CaseEvent.objects.record(
        case, CaseEvent.Action.LETTER_CREATED, actor, letter=letter.pk, kind=kind
    )
    return letter


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _officer_paragraphs(letter):
    """{section key: {"heading", "level", "paragraphs": [(anchor, fields)]}} to keep."""
    carried = {}
    for section in letter.sections.prefetch_related("paragraphs"):
        anchor = None
        for paragraph in section.paragraphs.all():
            officers = paragraph.edited or (paragraph.clause_id is None and not paragraph.source)
            if officers:
                entry = carried.setdefault(
                    section.key,
                    {"heading": section.heading, "level": section.level, "paragraphs": []},
                )
                fields = dict(
                    source=paragraph.source,
                    text=paragraph.text,
                    clause=paragraph.clause,
                    edited=True,
                )
                entry["paragraphs"].append((anchor, fields))
            anchor = paragraph.source or anchor
    return carried


def _lock(letter, revision=None):
    locked = Letter.objects.select_for_update().get(pk=letter.pk)
    if revision is not None and int(revision) != locked.revision:
        raise StaleLetterError(locked)
    if locked.status != Letter.Status.DRAFT:
        raise DraftingError("Only a draft letter can be changed.")
    return locked


def _saved(letter, actor, operation, **details):
    letter.revision += 1
    letter.updated_by = _user(actor)
    letter.save(update_fields=["revision", "updated_by", "updated_at", "slot_values"])
    CaseEvent.objects.record(
        letter.case,
        CaseEvent.Action.LETTER_SAVED,
        actor,
        letter=letter.pk,
        revision=letter.revision,
        operation=operation,
        **details,
    )
    return letter


@transaction.atomic
def rebuild_letter(letter, *, actor, revision=None):
    """Re-assemble after the decisions changed; paragraphs the officer edited or wrote stay."""
    letter = _lock(letter, revision)
    carried = _officer_paragraphs(letter)
    planned = plan_letter(letter)
    letter.sections.all().delete()
    _write_sections(letter, planned, carried)
    return _saved(letter, actor, "rebuild")


# --------------------------------------------------------------------------- editing


@dataclass
class Operation:
    """One structural change submitted with a save: move, add, delete or reset."""

    name: str  # "up", "down", "delete", "add", "reset", ""
    target: int | None = None  # paragraph pk (up/down/delete/add-after) or section pk
    section: int | None = None  # for "add": the section pk

    @classmethod
    def parse(cls, value):
        """From a button value: "up:12", "delete:12", "add:3:12", "add:3:0", "reset:3"."""
        parts = (value or "").split(":")
        name = parts[0]
        if name not in ("up", "down", "delete", "add", "reset") or len(parts) < 2:
            return cls("")
        try:
            numbers = [int(part) for part in parts[1:]]
        except ValueError:
            return cls("")
        if name == "add":
            return cls(name, target=numbers[1] if len(numbers) > 1 else 0, section=numbers[0])
        return cls(name, target=numbers[0])


@transaction.atomic
def save_letter(
    letter,
    *,
    actor,
    revision,
    texts=None,
    slot_values=None,
    operation=None,
    lost_paragraphs=None,
):
    """The one way a letter is changed by its editor.

    ``texts`` maps paragraph pks to the submitted text; ``slot_values`` maps officer slots
    to values; ``operation`` is a structural change applied after the texts. A stale
    ``revision`` raises StaleLetterError before anything is written. ``lost_paragraphs``
    ([(section key, text)]) re-creates text whose paragraph someone else deleted meanwhile.
    """
    letter = _lock(letter, revision)
    changed = _apply_texts(letter, texts or {})
    for key, text in lost_paragraphs or []:
        section = letter.sections.filter(key=key).first() or letter.sections.last()
        if section and text.strip():
            _append_paragraph(section, text)
            changed += 1
    if slot_values is not None:
        _apply_slot_values(letter, slot_values)
    operation = operation or Operation("")
    if operation.name:
        _apply_operation(letter, operation)
    return _saved(letter, actor, operation.name or "edit", paragraphs_changed=changed)


def _apply_texts(letter, texts):
    changed = 0
    paragraphs = LetterParagraph.objects.filter(section__letter=letter, pk__in=list(texts))
    for paragraph in paragraphs:
        text = texts[paragraph.pk].replace("\r\n", "\n")
        if len(text) > MAX_PARAGRAPH_CHARS:
            raise DraftingError(
                f"A paragraph is {len(text):,} characters long; the limit is "
                f"{MAX_PARAGRAPH_CHARS:,}."
            )
        if text != paragraph.text:
            paragraph.text = text
            paragraph.edited = True
            paragraph.save(update_fields=["text", "edited"])
            changed += 1
    return changed


def _append_paragraph(section, text, after=None):
    paragraphs = list(section.paragraphs.all())
    index = len(paragraphs)  # after=None: at the end; after=0: at the start
    if after is not None:
        index = next((i + 1 for i, p in enumerate(paragraphs) if p.pk == after), 0)
    new = LetterParagraph(section=section, text=text, edited=True)
    paragraphs.insert(index, new)
    for position, paragraph in enumerate(paragraphs, start=1):
        paragraph.position = position
        paragraph.save()
    return new


def _apply_slot_values(letter, submitted):
    """Store the officer's slot values and refresh the paragraphs that use them.

    Library paragraphs the officer has not touched are rendered again with the values;
    in edited ones only the placeholder is replaced, so their edits stay.
    """
    previous = dict(letter.slot_values or {})
    cleaned = {name: str(value or "").strip() for name, value in submitted.items()}
    letter.slot_values = {**previous, **cleaned}
    values = slot_values_for(letter)
    paragraphs = LetterParagraph.objects.filter(
        section__letter=letter, clause__isnull=False
    ).select_related("clause__exemption__regime")
    for paragraph in paragraphs:
        clause = paragraph.clause
        if not set(clause.slot_names) & set(cleaned):
            continue
        if not paragraph.edited:
            text = render_with_placeholders(clause, values)
        else:
            text = paragraph.text
            for name in set(clause.slot_names) & set(cleaned):
                if cleaned[name]:
                    text = text.replace(placeholder(slot_label(clause, name)), cleaned[name])
        if text != paragraph.text:
            paragraph.text = text
            paragraph.save(update_fields=["text"])


def _apply_operation(letter, operation):
    if operation.name in ("up", "down", "delete"):
        paragraph = LetterParagraph.objects.filter(
            section__letter=letter, pk=operation.target
        ).first()
        if paragraph is None:
            raise DraftingError("That paragraph is no longer in the letter.")
        siblings = list(paragraph.section.paragraphs.all())
        index = next(i for i, p in enumerate(siblings) if p.pk == paragraph.pk)
        if operation.name == "delete":
            siblings.pop(index).delete()
        else:
            other = index - 1 if operation.name == "up" else index + 1
            if 0 <= other < len(siblings):
                siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])
    elif operation.name == "add":
        section = letter.sections.filter(pk=operation.section).first()
        if section is None:
            raise DraftingError("That section is no longer in the letter.")
        _append_paragraph(section, "", after=operation.target or 0)
    elif operation.name == "reset":
        reset_section(letter, operation.target)


def reset_section(letter, section_pk):
    """Put a section back to the library text: edits and officer paragraphs there go."""
    section = letter.sections.filter(pk=section_pk).first()
    if section is None:
        raise DraftingError("That section is no longer in the letter.")
    planned = next((s for s in plan_letter(letter) if s.key == section.key), None)
    if planned is None:
        raise DraftingError(
            f"“{section.heading}” is no longer needed by the decisions, so there is no library "
            "text to go back to. Delete its paragraphs instead."
        )
    section.paragraphs.all().delete()
    section.heading = planned.heading
    section.save(update_fields=["heading"])
    _create_paragraphs(
        section,
        [
            dict(source=p.source, text=p.text, clause=p.clause, edited=False)
            for p in planned.paragraphs
        ],
    )


# --------------------------------------------------------------------------- checks


def required_slots(letter):
    """The slots the officer fills for this letter, with labels, in order of first use."""
    slots = {}
    paragraphs = LetterParagraph.objects.filter(
        section__letter=letter, clause__isnull=False
    ).select_related("clause__exemption__regime", "section")
    for paragraph in paragraphs.order_by("section__position", "position"):
        clause = paragraph.clause
        for slot in clause.slots:
            name = slot["name"]
            if name in AUTOMATIC_SLOTS or (
                letter.kind == Letter.Kind.REVIEW_OUTCOME and name in REVIEW_SLOTS
            ):
                continue
            used_in = clause_used_in(clause)
            if name not in slots:
                slots[name] = Slot(
                    name,
                    slot.get("label") or name.replace("_", " "),
                    slot.get("help", ""),
                    (used_in,),
                )
            elif used_in not in slots[name].used_in:
                existing = slots[name]
                slots[name] = Slot(
                    name, existing.label, existing.help, existing.used_in + (used_in,)
                )
    return list(slots.values())


def _case_problems(case):
    problems = []
    decisions = list(case.decisions.prefetch_related("questions", "citations__exemption__regime"))
    answered = {q.pk for d in decisions for q in d.questions.all()}
    for question in case.questions.all():
        if question.pk not in answered:
            problems.append(Problem("decisions", f"Q{question.number} has no decision yet."))
    seen = {}
    for decision in decisions:
        where = f"decision-{decision.pk}"
        label = question_label([q.number for q in decision.questions.all()])
        if not label:
            problems.append(
                Problem(where, f"Decision {decision.position} does not cover any question.")
            )
        citations = list(decision.citations.all())
        outcome = decision.outcome
        if outcome in (Decision.Outcome.NCND, Decision.Outcome.WITHHELD) and not citations:
            problems.append(
                Problem(where, f"{label or 'A decision'}: cite the exemptions relied on.")
            )
        if outcome == Decision.Outcome.NCND and not any(c.mode == NCND for c in citations):
            problems.append(
                Problem(
                    where,
                    f"{label}: a neither confirm nor deny decision needs an exemption "
                    "cited to neither confirm nor deny.",
                )
            )
        for citation in citations:
            if citation.mode == NCND and not citation.exemption.has_ncnd_provision:
                problems.append(
                    Problem(
                        where,
                        f"Section {citation.exemption.section} has no neither-confirm-"
                        "nor-deny provision; cite it to withhold or remove it.",
                    )
                )
                continue
            key = (citation.exemption_id, citation.mode)
            doing = "neither confirm nor deny" if citation.mode == NCND else "withhold"
            # The same exemption in two decisions is normal (the reference letter cites
            # 23(5), 24(2) and 31(3) for Q1 & 2 and again for Q3): the later part refers
            # back to the earlier one. Twice in one decision is a mistake.
            if key in seen and seen[key][0] == decision.pk:
                problems.append(
                    Problem(where, f"{label}: {citation.provision} is cited twice to {doing}.")
                )
            seen.setdefault(key, (decision.pk, label))
        if outcome == Decision.Outcome.COST_LIMIT:
            limit = case.authority.cost_limit_hours
            total = cost_total(decision)
            if not decision.cost_estimate:
                problems.append(
                    Problem(where, f"{label}: give the hours estimated for each activity.")
                )
            elif total <= limit:
                problems.append(
                    Problem(
                        where,
                        f"{label}: the estimate of {format_hours(total)} hours does not exceed "
                        f"the limit of {limit} hours, so section 12 does not apply.",
                    )
                )
        if outcome in (Decision.Outcome.PROVIDED, Decision.Outcome.PROVIDED_IN_PART):
            if not decision.answer.strip() and not decision.table:
                problems.append(
                    Problem(where, f"{label}: give the information provided (answer or table).")
                )
    return problems


def _letter_problems(letter):
    problems = []
    exemptions = {e.pk: e for e in Exemption.objects.filter(regime=letter.case.regime)}
    planned = {s.key: s for s in plan_letter(letter)}
    values = slot_values_for(letter)
    sections = list(letter.sections.prefetch_related("paragraphs__clause__exemption__regime"))
    existing_keys = [s.key for s in sections]
    if is_stale(letter, planned.values(), sections):
        problems.append(
            Problem(
                "letter",
                "The decisions have changed since this letter was put together. Use “Update "
                "from decisions”: your edits are kept.",
                "warning",
            )
        )
    for section in sections:
        paragraphs = list(section.paragraphs.all())
        if section.key not in planned and paragraphs:
            problems.append(
                Problem(
                    section.key,
                    f"“{section.heading}” is no longer needed by the decisions; it holds text "
                    "you wrote or edited. Check it or delete it.",
                    "warning",
                )
            )
        if section.key.startswith("pit-"):
            exemption = exemptions.get(int(section.key.split("-")[1]))
            if exemption is not None and (exemption.absolute or not exemption.pit_applies):
                problems.append(
                    Problem(
                        section.key,
                        f"Section {exemption.section} is absolute: it takes no public interest "
                        "test. Delete this part.",
                    )
                )
            elif not any(p.text.strip() for p in paragraphs):
                problems.append(
                    Problem(
                        section.key,
                        f"“{section.heading}” is empty: a qualified exemption needs its public "
                        "interest reasons.",
                    )
                )
        for paragraph in paragraphs:
            if len(paragraph.text) > MAX_PARAGRAPH_CHARS:
                problems.append(
                    Problem(
                        section.key,
                        f"A paragraph in “{section.heading}” is over "
                        f"{MAX_PARAGRAPH_CHARS:,} characters.",
                    )
                )
            clause = paragraph.clause
            if clause is None:
                continue
            for name in clause.slot_names:
                if values.get(name):
                    continue
                label = slot_label(clause, name)
                if placeholder(label) not in paragraph.text:
                    continue
                used_in = clause_used_in(clause)
                if name in AUTOMATIC_SLOTS:
                    message = f"Add {label} on the case page (used in {used_in})"
                else:
                    message = f"Fill in '{label}' (used in {used_in})"
                problems.append(Problem(section.key, message))
    if letter.kind == Letter.Kind.REVIEW_OUTCOME and not hasattr(letter, "review_outcome"):
        problems.append(Problem("body", f"{RECORD_OUTCOME}."))
    if letter.kind == Letter.Kind.RESPONSE and not letter.case.searches.strip():
        if "searches" in existing_keys and not any(
            p.text.strip() for s in sections if s.key == "searches" for p in s.paragraphs.all()
        ):
            problems.append(
                Problem("searches", "Describe the searches made (on the case page).", "warning")
            )
    return problems


def is_stale(letter, planned_sections, sections):
    """True when the decisions now call for sections or library paragraphs the letter lacks."""
    existing = {s.key: s for s in sections}
    for planned in planned_sections:
        section = existing.get(planned.key)
        if section is None:
            return True
        have = {p.source for p in section.paragraphs.all()}
        if any(p.source not in have for p in planned.paragraphs):
            return True
    planned_keys = {p.key for p in planned_sections}
    for section in sections:
        if section.key not in planned_keys and not any(
            p.edited or not p.source for p in section.paragraphs.all()
        ):
            return True
    return False


def letter_problems(case_or_letter):
    """Everything that stops a case's decisions or a letter going for review.

    Errors block submission; warnings are shown but do not.
    """
    if isinstance(case_or_letter, Letter):
        letter = case_or_letter
        problems = _case_problems(letter.case) if letter.kind == Letter.Kind.RESPONSE else []
        return problems + _letter_problems(letter)
    if isinstance(case_or_letter, Case):
        return _case_problems(case_or_letter)
    raise TypeError("letter_problems takes a Case or a Letter.")


def can_submit(letter):
    return letter.status == Letter.Status.DRAFT and not any(
        problem.is_error for problem in letter_problems(letter)
    )


def preview_letter_html(letter, *, texts=None, slot_values=None):
    """The letter as it would look with unsaved edits; nothing is kept.

    The edits are written inside a savepoint that is always rolled back, so the preview
    goes through exactly the renderer the PDF uses.
    """
    with transaction.atomic():
        draft = Letter.objects.get(pk=letter.pk)
        texts = {pk: text[:MAX_PARAGRAPH_CHARS] for pk, text in (texts or {}).items()}
        _apply_texts(draft, texts)
        if slot_values is not None:
            _apply_slot_values(draft, slot_values)
            Letter.objects.filter(pk=draft.pk).update(slot_values=draft.slot_values)
        html = render_letter_html(Letter.objects.get(pk=draft.pk), draft=True)
        transaction.set_rollback(True)
    return html
