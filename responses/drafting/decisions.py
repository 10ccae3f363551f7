"""Decisions on a case's questions: saving and deleting them, section 12 estimates, and
tables pasted from a spreadsheet."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from exemptions.models import Exemption
from responses.drafting.figures import standard_cell
from responses.drafting.outcome_wording import COST_DRIVER_LABELS, OWN_DATA_PROVISIONS
from responses.drafting.wording import (
    MAX_DECISIONS_PER_CASE,
    NCND,
    DraftingError,
    StaleDecisionError,
    is_revision,
)
from responses.models import Case, CaseEvent, Citation, Decision, Letter, Question
from responses.workflow.record import DECISIONS, TransitionError, before_record_change

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_TABLE_ROWS = 500
MAX_TABLE_COLUMNS = 30

# Section 12: the only activities the Fees Regulations (SI 2004/3244 reg 4(3)) let us count.
COST_ACTIVITIES = [
    ("determining", "Determining whether the information is held"),
    ("locating", "Locating the information"),
    ("retrieving", "Retrieving the information"),
    ("extracting", "Extracting the information"),
]


def parse_table(text: str) -> list[list[str]]:
    """Rows of cells from text pasted from a spreadsheet (tab-separated); first row the header.

    Read as Excel writes it to the clipboard: a cell holding a line break or a double quote
    comes wrapped in double quotes (``"line one\\nline two"``, inner quotes doubled), and stays
    one cell. Blank lines at either end are dropped and short rows padded, so the table is
    rectangular.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    try:
        rows = [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text), dialect="excel-tab")
        ]
    except csv.Error as error:
        raise DraftingError(f"The table could not be read ({error}): paste it again.") from None
    # The csv reader gives a blank line as [] and a line of spaces as [""].
    while rows and not "".join(rows[-1]):
        rows.pop()
    while rows and not "".join(rows[0]):
        rows.pop(0)
    width = max((len(row) for row in rows), default=0)
    if len(rows) > MAX_TABLE_ROWS:
        raise DraftingError(
            f"The table has {len(rows)} rows; the most a letter can hold is {MAX_TABLE_ROWS}."
        )
    if width > MAX_TABLE_COLUMNS:
        raise DraftingError(
            f"The table has {width} columns; the most a letter can hold is {MAX_TABLE_COLUMNS}."
        )
    # "NR", "n/a", "not recorded." are stored in the standard words the letter explains.
    return [[standard_cell(cell) for cell in row] + [""] * (width - len(row)) for row in rows]


def table_text(rows: Sequence[Sequence[str]]) -> str:
    """A stored table as the officer would paste it again: parse_table reads it back as it was.

    Only cells that need it are quoted (a line break or tab inside, or a leading quote), so a
    plain table reads as the officer pasted it.
    """
    return "\n".join("\t".join(_pasted_cell(cell) for cell in row) for row in rows)


def _pasted_cell(cell: str) -> str:
    if "\n" in cell or "\t" in cell or cell.startswith('"'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def cost_estimate_from_hours(hours_by_activity: Mapping[str, object]) -> list[dict]:
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
    case: Case,
    *,
    actor: User | None,
    questions: Iterable[Question],
    outcome: str,
    answer: str = "",
    table: Sequence[Sequence[str]] = (),
    cost_estimate: Sequence[dict] = (),
    advice: str = "",
    citations: Sequence[tuple[Exemption, str]] = (),
    decision: Decision | None = None,
    revision: int | None = None,
    rest_reason: str = "",
    depends_on: Question | None = None,
    part_label: str = "",
    signpost: str = "",
    as_at: datetime.date | None = None,
    cost_minimum_hours: Decimal | float | None = None,
    cost_drivers: Sequence[str] = (),
    cost_drivers_detail: str = "",
    discretionary_release: bool = False,
    advice_questions: Iterable[Question] = (),
    advice_action: str = "",
) -> Decision:
    """Create or update a decision; ``citations`` is a list of (Exemption, mode) pairs.

    The requester's own personal data is always cited under the regime's own provision
    (FOIA 40(1) to neither confirm nor deny, i.e. 40(5A); FOISA 38(1)(a) under section 18;
    EIR regulation 5(3)), whatever else was ticked.

    Changing a ``decision`` needs the ``revision`` the officer's form was loaded with: if
    the decision has been saved since, StaleDecisionError is raised and nothing is written.
    """
    if decision is not None and not is_revision(revision):
        raise DraftingError(
            "Say which revision of the decision this change started from: without it, the "
            "change could overwrite someone else's."
        )
    for exemption, mode in citations:
        if exemption.regime_id != case.regime_id:
            raise DraftingError(f"{exemption} belongs to another regime than this case.")
        if mode == NCND and not exemption.has_ncnd_provision:
            raise DraftingError(
                f"Section {exemption.section} has no neither-confirm-nor-deny provision, "
                "so it cannot be cited to neither confirm nor deny."
            )
    questions = list(questions)
    advice_questions = list(advice_questions)
    for question in [*([depends_on] if depends_on else []), *advice_questions]:
        if question.case_id != case.pk:
            raise DraftingError(f"Q{question.number} belongs to another case.")
    if depends_on is not None and depends_on in questions:
        raise DraftingError(
            f"A question cannot depend on itself: Q{depends_on.number} is one of the questions "
            "this decision answers."
        )
    unknown = [key for key in cost_drivers if key not in COST_DRIVER_LABELS]
    if unknown:
        raise DraftingError(f"Unknown reason for the cost: {', '.join(unknown)}.")
    if outcome == Decision.Outcome.OWN_DATA:
        citations = own_data_citations(case)
    created = decision is None
    reopened = _before_change(case, actor)
    if created:
        if case.decisions.count() >= MAX_DECISIONS_PER_CASE:
            raise DraftingError(
                f"This case already has {MAX_DECISIONS_PER_CASE} decisions, the most one "
                "letter can carry. Put questions that have the same answer into one decision."
            )
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
        if revision != decision.revision:
            raise StaleDecisionError(decision)
        decision.revision += 1
    decision.outcome = outcome
    decision.answer = answer
    decision.table = [[standard_cell(str(cell)) for cell in row] for row in table]
    decision.cost_estimate = list(cost_estimate)
    decision.advice = advice
    decision.rest_reason = rest_reason if outcome == Decision.Outcome.PROVIDED_IN_PART else ""
    decision.depends_on = depends_on if outcome == Decision.Outcome.NOT_APPLICABLE else None
    decision.part_label = part_label
    decision.signpost = signpost
    decision.as_at = as_at
    cost_limit = outcome == Decision.Outcome.COST_LIMIT
    decision.cost_minimum_hours = cost_minimum_hours if cost_limit else None
    decision.cost_drivers = list(cost_drivers) if cost_limit else []
    decision.cost_drivers_detail = cost_drivers_detail if cost_limit else ""
    decision.discretionary_release = discretionary_release and cost_limit
    decision.advice_action = advice_action if cost_limit and advice_questions else ""
    decision.save()
    decision.questions.set(questions)
    decision.advice_questions.set(advice_questions if cost_limit else [])
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
    decision.reopened = reopened
    return decision


def _before_change(case: Case, actor: User | None) -> list[Letter]:
    """Letters written from the decisions go back to draft, or the change is refused."""
    try:
        return before_record_change(case, actor=actor, part=DECISIONS)
    except TransitionError as error:
        raise DraftingError(str(error)) from None


def own_data_citations(case: Case) -> list[tuple[Exemption, str]]:
    """The provision for the requester's own personal data under the case's regime."""
    section, mode = OWN_DATA_PROVISIONS.get(case.regime.code, (None, None))
    exemption = Exemption.objects.filter(regime=case.regime, section=section).first()
    if exemption is None:
        raise DraftingError(
            f"The {case.regime.code} catalogue has no provision for a requester's own personal "
            "data; run load_catalogue."
        )
    return [(exemption, mode)]


@transaction.atomic
def delete_decision(decision: Decision, *, actor: User | None) -> list[Letter]:
    """Delete a decision; returns the letters that went back to draft because of it."""
    case = decision.case
    reopened = _before_change(case, actor)
    numbers = sorted(q.number for q in decision.questions.all())
    pk = decision.pk
    decision.delete()
    CaseEvent.objects.record(
        case, CaseEvent.Action.DECISION_DELETED, actor, decision=pk, questions=numbers
    )
    return reopened
