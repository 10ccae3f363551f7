"""The deadline facts review, issue and the requester's page need.

responses.deadlines owns the working-day clock. This module asks it when it is
installed and otherwise falls back to a plain Monday-to-Friday count, so these
pages keep working while the clock is being built.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

REVIEW_REQUEST_WORKING_DAYS = 40


def _deadlines_module():
    try:
        from responses import deadlines
    except ImportError:
        return None
    return deadlines


@dataclass
class DeadlineFacts:
    deadline: date | None
    # The deadline before any extension, to tell "within extension" from "in time".
    statutory_deadline: date | None = None
    reasons: list = field(default_factory=list)
    calendar: object = None


def _weekday_add(start, days):
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _weekdays_between(start, end):
    """Working days after start up to and including end (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    return count


def deadline_facts(case):
    deadlines = _deadlines_module()
    if deadlines is not None:
        explained = deadlines.case_deadline(case)
        reasons = [effect.text for effect in explained.events]
        if explained.stopped_since:
            reasons.append(f"The clock is stopped: {explained.stopped_reason}.")
        return DeadlineFacts(
            explained.deadline, explained.statutory_deadline, reasons, explained.calendar
        )
    deadline = _weekday_add(case.received_on, 20)
    return DeadlineFacts(deadline, deadline, [])


def queue_sort_key(case):
    facts = deadline_facts(case)
    return (facts.deadline or case.received_on, case.received_on, case.pk)


def timeliness(case, issued_on):
    """(IssuedDocument.Timeliness value, working days late)."""
    facts = deadline_facts(case)
    if facts.deadline is None:
        return "", 0
    statutory = facts.statutory_deadline or facts.deadline
    if issued_on <= statutory:
        return "in_time", 0
    if issued_on <= facts.deadline:
        return "within_extension", 0
    if facts.calendar is not None:
        late = _deadlines_module().working_days_between(facts.deadline, issued_on, facts.calendar)
    else:
        late = _weekdays_between(facts.deadline, issued_on)
    return "late", late


def review_request_deadline(case, responded_on):
    """The last day the requester can ask for an internal review of our response."""
    deadlines = _deadlines_module()
    if deadlines is not None:
        return deadlines.review_request_deadline(responded_on, case.regime.code)
    return _weekday_add(responded_on, REVIEW_REQUEST_WORKING_DAYS)
