"""Decisions on a case's questions: saving and deleting them, section 12 estimates, and
tables pasted from a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from exemptions.models import Exemption
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
    return [row + [""] * (width - len(row)) for row in rows]


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
) -> Decision:
    """Create or update a decision; ``citations`` is a list of (Exemption, mode) pairs.

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
    decision.reopened = reopened
    return decision


def _before_change(case: Case, actor: User | None) -> list[Letter]:
    """Letters written from the decisions go back to draft, or the change is refused."""
    try:
        return before_record_change(case, actor=actor, part=DECISIONS)
    except TransitionError as error:
        raise DraftingError(str(error)) from None


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
