"""The work list: open cases with their deadlines, bucketed and sorted.

Deadlines are computed, not stored, so they always reflect the current calendar and
clock events. Every open case's deadline is needed to sort and count them, but only a
page of them is shown: the deadlines are worked out from the few columns they depend on
(one query for the open cases, found by a partial index among every case ever answered,
one each for their clock events and decision notices, one for the calendar overrides),
and the shown page's cases are then read in full (``attach_cases``). The cost stays flat
however many cases were ever answered, and small per open case.
"""

from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from exemptions.models import Regime
from responses import deadlines
from responses.models import Authority, Case

DUE_SOON_WORKING_DAYS = 5
# What a case's deadline and bucket depend on: all that is read for every open case.
CLOCK_FIELDS = ("pk", "kind", "status", "received_on", "regime_id", "authority_id")
# Not shown in the list: left out of the page's cases (read if something asks for them).
LONG_TEXT_FIELDS = (
    "request_text",
    "scope",
    "prioritisation_note",
    "searches",
    "closure_reason",
    "regime_switch_reason",
)


class Bucket(models.TextChoices):
    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due_soon", f"Due in the next {DUE_SOON_WORKING_DAYS} working days"
    ON_HOLD = "on_hold", "On hold"
    IN_REVIEW = "in_review", "Awaiting review"
    LATER = "later", "Due later"


@dataclass
class ClockedCase:
    """The columns of a case its deadline is worked out from (``deadlines.case_deadline``
    reads nothing else), without the cost of a whole Case per open case."""

    pk: int
    kind: str
    status: str
    received_on: object
    regime: Regime
    authority: Authority


@dataclass
class WorkItem:
    case: Case  # a ClockedCase until attach_cases reads the whole case
    deadline: object  # a date, or None while the clock is stopped
    working_days_left: int | None
    bucket: Bucket

    @property
    def bucket_label(self):
        return self.bucket.label

    @property
    def days_overdue(self):
        return -self.working_days_left if self.working_days_left is not None else 0


def bucket_for(case, deadline, days_left):
    if case.status == Case.Status.IN_REVIEW:
        return Bucket.IN_REVIEW
    if deadline is None or case.status == Case.Status.ON_HOLD:
        return Bucket.ON_HOLD
    if days_left < 0:
        return Bucket.OVERDUE
    if days_left <= DUE_SOON_WORKING_DAYS:
        return Bucket.DUE_SOON
    return Bucket.LATER


def work_items(*, officer=None, status=None, bucket=None, today=None, with_cases=True):
    """Open cases as WorkItems, soonest deadline first (on-hold cases last).

    ``with_cases=False`` leaves each item's ``case`` a ClockedCase, for a caller that
    shows only some of them and passes those to ``attach_cases``.
    """
    today = today or timezone.localdate()
    cases = Case.objects.open().order_by()
    if officer is not None:
        cases = cases.filter(assigned_to=officer)
    if status:
        cases = cases.filter(status=status)
    regimes = {regime.pk: regime for regime in Regime.objects.all()}
    authorities = {authority.pk: authority for authority in Authority.objects.all()}
    clocked = [
        ClockedCase(pk, kind, case_status, received_on, regimes[regime], authorities[authority])
        for pk, kind, case_status, received_on, regime, authority in cases.values_list(
            *CLOCK_FIELDS
        )
    ]
    explanations = deadlines.case_deadlines(clocked, queryset=cases)
    items = []
    for case in clocked:
        explanation = explanations[case.pk]
        deadline = explanation.deadline
        days_left = explanation.working_days_left(today)
        item = WorkItem(case, deadline, days_left, bucket_for(case, deadline, days_left))
        if bucket is None or item.bucket == bucket:
            items.append(item)
    items.sort(key=lambda item: (item.deadline is None, item.deadline or today, item.case.pk))
    if with_cases:
        attach_cases(items)
    return items


def attach_cases(items):
    """Replace the items' ClockedCases with their cases, read in one query."""
    items = list(items)
    regimes = {item.case.pk: (item.case.regime, item.case.authority) for item in items}
    cases = (
        Case.objects.select_related("assigned_to").defer(*LONG_TEXT_FIELDS).in_bulk(list(regimes))
    )
    for item in items:
        case = cases[item.case.pk]
        case.regime, case.authority = regimes[case.pk]
        item.case = case
