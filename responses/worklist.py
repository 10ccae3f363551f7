"""The work list: open cases with their deadlines, bucketed and sorted.

Deadlines are computed, not stored, so they always reflect the current calendar and
clock events; one query for open cases (a partial index finds them among every case
ever answered), one each for their clock events and decision notices, and one for the
calendar overrides keep the cost flat however many rows there are.
"""

from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from exemptions.models import Regime
from responses import deadlines, working_days
from responses.models import Authority, Case

DUE_SOON_WORKING_DAYS = 5
LONG_TEXT_FIELDS = (
    "request_text",
    "scope",
    "prioritisation_note",
    "searches",
    "closure_reason",
    "regime_switch_reason",
    "statistics_citations",
)


class Bucket(models.TextChoices):
    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due_soon", f"Due in the next {DUE_SOON_WORKING_DAYS} working days"
    ON_HOLD = "on_hold", "On hold"
    IN_REVIEW = "in_review", "Awaiting review"
    LATER = "later", "Due later"


@dataclass
class WorkItem:
    case: Case
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


def work_items(*, officer=None, status=None, bucket=None, today=None):
    """Open cases as WorkItems, soonest deadline first (on-hold cases last)."""
    today = today or timezone.localdate()
    # The long texts are not shown here; the few regimes and authorities are read once.
    cases = Case.objects.open().select_related("assigned_to").defer(*LONG_TEXT_FIELDS)
    if officer is not None:
        cases = cases.filter(assigned_to=officer)
    if status:
        cases = cases.filter(status=status)
    cases = list(cases)
    regimes = {regime.pk: regime for regime in Regime.objects.all()}
    authorities = {authority.pk: authority for authority in Authority.objects.all()}
    for case in cases:
        case.regime, case.authority = regimes[case.regime_id], authorities[case.authority_id]
    explanations = deadlines.case_deadlines(cases)
    items = []
    for case in cases:
        explanation = explanations[case.pk]
        deadline = explanation.deadline
        days_left = None
        if deadline is not None:
            days_left = working_days.working_days_between(today, deadline, explanation.calendar)
        item = WorkItem(case, deadline, days_left, bucket_for(case, deadline, days_left))
        if bucket is None or item.bucket == bucket:
            items.append(item)
    items.sort(key=lambda item: (item.deadline is None, item.deadline or today, item.case.pk))
    return items
