"""The deadline facts that review, issue and the requester's page need, from the clock."""

from dataclasses import dataclass, field
from datetime import date

from responses import deadlines, working_days


@dataclass
class DeadlineFacts:
    deadline: date | None
    # The deadline before any extension, to tell "within extension" from "in time".
    statutory_deadline: date | None = None
    reasons: list = field(default_factory=list)
    calendar: object = None


def deadline_facts(case):
    explained = deadlines.case_deadline(case)
    reasons = [effect.text for effect in explained.events]
    if explained.stopped_since:
        reasons.append(f"The clock is stopped: {explained.stopped_reason}.")
    return DeadlineFacts(
        explained.deadline, explained.statutory_deadline, reasons, explained.calendar
    )


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
    return "late", working_days.working_days_between(facts.deadline, issued_on, facts.calendar)


def review_request_deadline(case, responded_on, *, calendar=None):
    """The last day the requester can ask for an internal review of our response
    (``calendar``: the case's, from its ``deadline_facts``, when the caller has it)."""
    if calendar is None:
        calendar = deadline_facts(case).calendar
    return working_days.add_working_days(responded_on, deadlines.REVIEW_REQUEST_DAYS, calendar)
