"""The only place a case or letter changes status.

Every function here checks the current state, changes it and writes the audit
event in one transaction, and is called the same way from views, commands, the
admin and tests. An illegal move raises ``TransitionError`` with a message meant
for the person who tried it.

The functions live in cases.py, letters.py and issue.py, by what they move, and share the
helpers in transitions.py; callers use them from here: ``workflow.submit_letter(...)``.
"""

from responses.workflow.cases import (
    hold_case,
    open_case,
    request_internal_review,
    resume_case,
    reveal_requester,
    withdraw_case,
)
from responses.workflow.issue import (
    claim_issue_attempt,
    expire_lapsed_issue_attempts,
    mark_issue_failed,
    mark_issued,
    request_issue,
)
from responses.workflow.letters import (
    add_review_comment,
    approve_letter,
    record_review_outcome,
    reopen_letter,
    return_letter,
    start_correction,
    submit_letter,
)
from responses.workflow.transitions import ISSUING, WITHDRAWABLE, TransitionError, latest_version

__all__ = [
    "ISSUING",
    "WITHDRAWABLE",
    "TransitionError",
    "add_review_comment",
    "approve_letter",
    "claim_issue_attempt",
    "expire_lapsed_issue_attempts",
    "hold_case",
    "latest_version",
    "mark_issue_failed",
    "mark_issued",
    "open_case",
    "record_review_outcome",
    "reopen_letter",
    "request_internal_review",
    "request_issue",
    "resume_case",
    "return_letter",
    "reveal_requester",
    "start_correction",
    "submit_letter",
    "withdraw_case",
]
