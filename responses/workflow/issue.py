"""Issuing an approved letter: the attempt, claimed by exactly one worker, then done or
failed.

Every waiting or running attempt holds a lease. Waiting, it has ``START_WITHIN`` to be
picked up by a task worker; once claimed, the render's own time limit plus a margin
(``RENDER_LEASE``). An attempt still waiting or running when its lease runs out belonged to
a worker that died (a web server timeout, a crash, a queue that lost it): it is marked
failed with the reason, so the officer can try again or reopen the letter. The issue page,
a retry, a reopen and ``manage.py expire_issue_attempts`` all look for such attempts.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from responses import permissions, review_clock, tokens
from responses.isolated_render import DEFAULT_TIMEOUT_SECONDS
from responses.models import (
    Case,
    CaseEvent,
    IssueAttempt,
    IssuedDocument,
    Letter,
)
from responses.statistics import recorded
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

# How long a queued attempt may wait for a task worker to pick it up.
START_WITHIN = timedelta(minutes=15)
# A claimed attempt: the render is stopped after its time limit; the margin covers starting
# the render process and storing the PDF.
RENDER_LEASE = timedelta(seconds=DEFAULT_TIMEOUT_SECONDS) + timedelta(minutes=1)


def _minutes(period: timedelta) -> str:
    minutes = round(period.total_seconds() / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def lapse_reason(attempt: IssueAttempt) -> str:
    """Why an attempt whose lease ran out was given up, for the issue page and the history."""
    if attempt.status == IssueAttempt.Status.PENDING:
        return (
            f"Producing the PDF did not start within {_minutes(START_WITHIN)}; the task "
            "worker may not be running. Nothing was issued."
        )
    return (
        f"The PDF was not produced within {_minutes(RENDER_LEASE)}; the worker may have "
        "stopped. Nothing was issued."
    )


def expire_lapsed_issue_attempts(letter: Letter | None = None) -> int:
    """Mark failed every waiting or running attempt (of ``letter``, or of every letter)
    whose lease has run out; returns how many."""
    lapsed = IssueAttempt.objects.filter(status__in=ISSUING, lease_expires_at__lt=timezone.now())
    if letter is not None:
        lapsed = lapsed.filter(version__letter=letter)
    return sum(
        _expire_attempt(attempt) for attempt in lapsed.select_related("version__letter__case")
    )


@transaction.atomic
def _expire_attempt(attempt: IssueAttempt) -> bool:
    """Fail one lapsed attempt, unless its worker renewed, claimed or finished it meanwhile:
    the conditional UPDATE decides, as in claim_issue_attempt."""
    now = timezone.now()
    reason = lapse_reason(attempt)
    expired = IssueAttempt.objects.filter(
        pk=attempt.pk, status=attempt.status, lease_expires_at__lt=now
    ).update(status=IssueAttempt.Status.FAILED, error=reason, finished_at=now)
    if expired:
        version = attempt.version
        CaseEvent.objects.record(
            version.letter.case,
            CaseEvent.Action.ISSUE_FAILED,
            None,  # nobody did this: the lease ran out
            comment=reason,
            letter=version.letter_id,
            version=version.number,
            lease_expired=True,
        )
    return bool(expired)


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
    expire_lapsed_issue_attempts(letter)
    require(
        not version.attempts.filter(status__in=ISSUING).exists(),
        "This letter is already being issued.",
    )
    attempt = IssueAttempt.objects.create(
        version=version, requested_by=actor, lease_expires_at=timezone.now() + START_WITHIN
    )
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
    """Take a waiting attempt for this worker, or None if another has it or it was given up.

    The conditional UPDATE is the lock: of two workers given the same attempt, only
    one changes the row, so only one renders the PDF. The claim starts the render's
    lease. A failed attempt is never claimed again (a retry is a new attempt), so a task
    that turns up after its attempt was given up renders nothing.
    """
    claimed = IssueAttempt.objects.filter(pk=attempt.pk, status=IssueAttempt.Status.PENDING).update(
        status=IssueAttempt.Status.RUNNING,
        error="",
        finished_at=None,
        lease_expires_at=timezone.now() + RENDER_LEASE,
    )
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
    require(
        finished,
        "This issue attempt is not running: it was given up, or another worker took it.",
    )
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
    recorded.record_at_issue(letter.case, letter, timeliness)
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
