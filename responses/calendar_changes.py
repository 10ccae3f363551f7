"""A bank-holiday override can move deadlines: say so in each affected case's history.

The admin takes the open cases' deadlines before it saves or deletes an override,
then hands them here to compare with the deadlines after.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from responses.deadlines import case_deadline
from responses.models import Case, CaseEvent
from responses.working_days import format_day, load_overrides

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def open_deadlines() -> dict[int, datetime.date | None]:
    """{case pk: deadline} for every open case, counted with the overrides saved now."""
    overrides = load_overrides()
    cases = (
        Case.objects.open()
        .select_related("regime", "authority")
        .prefetch_related("clock_events", "decision_notices")
        .order_by("pk")
    )
    return {case.pk: case_deadline(case, overrides=overrides).deadline for case in cases}


def record_moved_deadlines(
    before: dict[int, datetime.date | None], *, actor: User, change: str
) -> list[Case]:
    """One event on each open case whose deadline is no longer what it was ``before``.

    ``change`` says what the administrator did, for example "Added 7 June 2027
    (Proclaimed holiday)". Returns the cases whose deadline moved.
    """
    after = open_deadlines()
    moved_pks = [pk for pk, deadline in after.items() if pk in before and before[pk] != deadline]
    moved = list(Case.objects.filter(pk__in=moved_pks).order_by("reference"))
    for case in moved:
        was, now = before[case.pk], after[case.pk]
        CaseEvent.objects.record(
            case,
            CaseEvent.Action.DEADLINE_MOVED_BY_CALENDAR,
            actor,
            comment=f"{change}. The deadline was {_day(was)} and is now {_day(now)}.",
            deadline_before=was.isoformat() if was else None,
            deadline_after=now.isoformat() if now else None,
        )
    return moved


def _day(day):
    return format_day(day) if day else "none (the clock is stopped)"
