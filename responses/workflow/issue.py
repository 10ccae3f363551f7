"""Issuing an approved letter: the attempt, claimed by exactly one worker, then done or
failed."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from responses import permissions, review_clock, tokens
from responses.models import (
    Case,
    CaseEvent,
    IssueAttempt,
    IssuedDocument,
    Letter,
)
from responses.workflow.transitions import (
    ISSUING,
    latest_version,
    lock_letter,
    move_letter,
    require,
    require_not_withdrawn,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def request_issue(letter: Letter, *, actor: User) -> IssueAttempt:
    """Record an attempt to issue the approved version; issuing.issue_letter queues its task."""
    letter = lock_letter(letter)
    require(permissions.can_edit_case(actor, letter.case), "Only an officer can issue a letter.")
    require_not_withdrawn(letter.case)
    require(
        letter.status == Letter.Status.APPROVED,
        f"This letter is {letter.get_status_display().lower()}; only an approved letter "
        "can be issued.",
    )
    version = latest_version(letter)
    # An attempt nobody finished in 15 minutes is taken to be dead (its worker crashed).
    stale = timezone.now() - timedelta(minutes=15)
    require(
        not version.attempts.filter(status__in=ISSUING, created_at__gt=stale).exists(),
        "This letter is already being issued.",
    )
    attempt = IssueAttempt.objects.create(version=version, requested_by=actor)
    CaseEvent.objects.record(
        letter.case,
        CaseEvent.Action.ISSUE_REQUESTED,
        actor,
        letter=letter.pk,
        version=version.number,
    )
    return attempt


def _attempt_event(attempt: IssueAttempt, action: str, **details) -> None:
    version = attempt.version
    CaseEvent.objects.record(
        version.letter.case,
        action,
        attempt.requested_by,
        letter=version.letter_id,
        version=version.number,
        **details,
    )


@transaction.atomic
def claim_issue_attempt(attempt: IssueAttempt) -> IssueAttempt | None:
    """Take a waiting (or failed) attempt for this worker, or None if another has it.

    The conditional UPDATE is the lock: of two workers given the same attempt, only
    one changes the row, so only one renders the PDF.
    """
    claimed = IssueAttempt.objects.filter(
        pk=attempt.pk, status__in=[IssueAttempt.Status.PENDING, IssueAttempt.Status.FAILED]
    ).update(status=IssueAttempt.Status.RUNNING, error="", finished_at=None)
    if not claimed:
        return None
    attempt = IssueAttempt.objects.select_related("version__letter__case").get(pk=attempt.pk)
    _attempt_event(attempt, CaseEvent.Action.ISSUE_STARTED)
    return attempt


def _finish_attempt(attempt: IssueAttempt, to_status: str, *, error: str = "") -> None:
    """Move a running attempt to done or failed; refuses one this worker no longer holds."""
    finished = IssueAttempt.objects.filter(
        pk=attempt.pk, status=IssueAttempt.Status.RUNNING
    ).update(status=to_status, error=error, finished_at=timezone.now())
    require(finished, "This issue attempt is not running: another worker may have taken it.")
    attempt.refresh_from_db(fields=["status", "error", "finished_at"])


@transaction.atomic
def mark_issued(attempt: IssueAttempt, *, pdf_bytes: bytes) -> IssuedDocument:
    """Store the PDF and mark the letter issued; the requester is emailed their link."""
    version = attempt.version
    letter = lock_letter(version.letter)
    require_not_withdrawn(letter.case)
    require(
        letter.status == Letter.Status.APPROVED,
        f"The letter is {letter.get_status_display().lower()}, no longer approved to issue.",
    )
    require(latest_version(letter).pk == version.pk, "A newer version replaced this one.")
    _finish_attempt(attempt, IssueAttempt.Status.DONE)
    now = timezone.now()
    timeliness, days_late = review_clock.timeliness(letter.case, timezone.localdate(now))
    document = IssuedDocument.objects.create(
        version=version,
        pdf=bytes(pdf_bytes),
        sha256=IssuedDocument.digest(pdf_bytes),
        issued_at=now,
        issued_by=attempt.requested_by,
        timeliness=timeliness,
        working_days_late=days_late,
    )
    move_letter(
        letter,
        attempt.requested_by,
        Letter.Status.ISSUED,
        CaseEvent.Action.LETTER_ISSUED,
        case_status=Case.Status.RESPONDED,
        version=version.number,
        sha256=document.sha256,
        timeliness=timeliness,
        working_days_late=days_late,
    )
    link, token = tokens.issue_link(letter.case, actor=attempt.requested_by, revoke_others=False)
    case = letter.case
    transaction.on_commit(
        lambda: tokens.email_link(
            case, token, reason=f"We have sent you a letter about your request {case.reference}."
        )
    )
    return document


@transaction.atomic
def mark_issue_failed(attempt: IssueAttempt, *, error: str | Exception) -> None:
    """Record why issuing failed; the letter stays approved so the officer can retry."""
    message = str(error)[:2000] or error.__class__.__name__
    _finish_attempt(attempt, IssueAttempt.Status.FAILED, error=message)
    _attempt_event(attempt, CaseEvent.Action.ISSUE_FAILED, comment=message)
