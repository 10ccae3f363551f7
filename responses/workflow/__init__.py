"""The only place a case or letter changes status.

Every function here checks the current state, changes it and writes the audit
event in one transaction, and is called the same way from views, commands, the
admin and tests. An illegal move raises ``TransitionError`` with a message meant
for the person who tried it.

The functions live in cases.py, letters.py and issue.py, by what they move, and share the
helpers in transitions.py (publication.py moves the disclosure log's entries); callers use
them from here: ``workflow.submit_letter(...)``.
"""

from responses.workflow.cases import (
    hold_case,
    open_case,
    request_internal_review,
    resume_case,
    reveal_requester,
)
from responses.workflow.closing import (
    close_as_duplicate,
    lapse_case,
    reopen_case,
    withdraw_case,
)
from responses.workflow.issue import (
    claim_issue_attempt,
    expire_lapsed_issue_attempts,
    mark_issue_failed,
    mark_issued,
    request_issue,
)
from responses.workflow.letter_kinds import record_decision_notice, switch_regime
from responses.workflow.letters import (
    add_review_comment,
    approve_letter,
    record_review_outcome,
    reopen_letter,
    return_letter,
    start_correction,
    submit_letter,
)
from responses.workflow.publication import (
    PUBLISHABLE,
    choose_publication,
    decline_publication,
    public_copy_parts,
    publish_when_due,
    record_public_copy,
    republish_publication,
    withdraw_publication,
)
from responses.workflow.publication import (
    WAITING as PUBLICATION_WAITING,
)
from responses.workflow.transitions import (
    CLOSABLE,
    ISSUING,
    WITHDRAWABLE,
    TransitionError,
    latest_version,
    require,
)

__all__ = [
    "PUBLISHABLE",
    "PUBLICATION_WAITING",
    "choose_publication",
    "decline_publication",
    "public_copy_parts",
    "publish_when_due",
    "record_public_copy",
    "republish_publication",
    "withdraw_publication",
    "CLOSABLE",
    "ISSUING",
    "close_as_duplicate",
    "lapse_case",
    "reopen_case",
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
    "require",
    "request_internal_review",
    "request_issue",
    "resume_case",
    "return_letter",
    "reveal_requester",
    "start_correction",
    "submit_letter",
    "record_decision_notice",
    "switch_regime",
    "withdraw_case",
]
