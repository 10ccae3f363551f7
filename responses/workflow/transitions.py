"""What every status change shares: the error it raises, the row locks, and moving a
letter or case while writing its audit row."""

from __future__ import annotations

from responses.models import (
    Case,
    CaseEvent,
    IssueAttempt,
    Letter,
)


class TransitionError(Exception):
    """A status change that is not allowed from the current state."""


# Issue attempts that may still produce a PDF: nothing else may move the letter meanwhile.
ISSUING = (IssueAttempt.Status.PENDING, IssueAttempt.Status.RUNNING)
# The letters that answer a case: issuing one marks the case responded.
FINAL_KINDS = (Letter.Kind.RESPONSE, Letter.Kind.REVIEW_OUTCOME, Letter.Kind.FRESH_RESPONSE)
# A request can be closed without a letter (withdrawn, lapsed, a duplicate) while we are
# still working on it, not once a reply is on its way.
CLOSABLE = (Case.Status.OPEN, Case.Status.ON_HOLD)
WITHDRAWABLE = CLOSABLE

CLOSED_MESSAGES = {
    Case.Status.WITHDRAWN: "The request was withdrawn",
    Case.Status.LAPSED: "The request lapsed",
    Case.Status.DUPLICATE: "The request was closed as a duplicate",
}


def require_not_withdrawn(case: Case) -> None:
    """No letter of a case closed without a letter moves on (until the case is reopened)."""
    require(
        not case.closed_without_letter,
        f"{CLOSED_MESSAGES.get(case.status, 'The request was closed')}; its letters can no "
        "longer be sent for review, approved or issued.",
    )


# --- Review, approval and issue -------------------------------------------------------
#
# A letter moves draft -> in_review -> approved -> issued; a return goes back to draft,
# and so does a reopen before issue. A final letter (the response, or an internal review
# outcome) keeps its case's status in step: in_review, approved, responded.


def lock_letter(letter: Letter) -> Letter:
    """Re-read the letter under a row lock so two people cannot move it at once.

    The case row is locked with it (select_related), so a withdrawal waits for the move.
    """
    return Letter.objects.select_for_update().select_related("case").get(pk=letter.pk)


def _moves_case(letter):
    final = letter.kind in FINAL_KINDS
    # A correction of a letter already sent leaves the case responded.
    return final and letter.case.status != Case.Status.RESPONDED


def move_letter(letter, actor, to_status, action, *, case_status, comment="", **details):
    """Change the letter's status, write the audit row, and keep a final letter's case in step."""
    from_status = letter.status
    letter.status = to_status
    letter.save(update_fields=["status", "updated_at"])
    CaseEvent.objects.record(
        letter.case,
        action,
        actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        letter=letter.pk,
        **details,
    )
    if _moves_case(letter):
        set_case_status(letter.case, actor, case_status, CaseEvent.Action.CASE_STATUS_CHANGED)


def set_case_status(case, actor, new_status, action, **details):
    old = case.status
    if old == new_status:
        return
    case.status = new_status
    case.save(update_fields=["status", "updated_at"])
    CaseEvent.objects.record(case, action, actor, from_status=old, to_status=new_status, **details)


def required_text(value, message):
    """The text a person typed, trimmed; refused with ``message`` when there is none."""
    value = (value or "").strip()
    require(value, message)
    return value


def require(check, message):
    if not check:
        raise TransitionError(message)


def latest_version(letter):
    return letter.versions.order_by("-number").first()
