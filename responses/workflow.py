"""The only place a case or letter changes status.

Every function here checks the current state, changes it and writes the audit
event in one transaction, and is called the same way from views, commands, the
admin and tests. An illegal move raises ``TransitionError`` with a message meant
for the person who tried it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from responses import checks, permissions, review_clock, snapshots, tokens
from responses.drafting import editing
from responses.models import (
    Case,
    CaseEvent,
    InternalReviewOutcome,
    IssueAttempt,
    IssuedDocument,
    Letter,
    LetterParagraph,
    LetterSection,
    LetterVersion,
    Question,
    ReviewComment,
    ReviewDecision,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class TransitionError(Exception):
    """A status change that is not allowed from the current state."""


# Issue attempts that may still produce a PDF: nothing else may move the letter meanwhile.
ISSUING = (IssueAttempt.Status.PENDING, IssueAttempt.Status.RUNNING)
# A request can be withdrawn while we are still working on it, not once a reply is on its way.
WITHDRAWABLE = (Case.Status.OPEN, Case.Status.ON_HOLD)


@transaction.atomic
def open_case(
    *, actor: User | None, authority, regime, requester, questions: Sequence[str] = (), **fields
) -> Case:
    """Log a new request: the case, its numbered questions and the audit row."""
    case = Case.objects.create(authority=authority, regime=regime, requester=requester, **fields)
    for number, text in enumerate(questions, start=1):
        Question.objects.create(case=case, number=number, text=text)
    CaseEvent.objects.record(
        case, CaseEvent.Action.CASE_OPENED, actor, to_status=case.status, reference=case.reference
    )
    return case


@transaction.atomic
def hold_case(case: Case, *, actor: User | None, reason: str) -> Case:
    """The clock stopped (clarification or fee awaited): the case waits on the requester."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Case.Status.OPEN:
        _set_case_status(
            case, actor, Case.Status.ON_HOLD, CaseEvent.Action.CASE_ON_HOLD, reason=reason
        )
    return case


@transaction.atomic
def resume_case(case: Case, *, actor: User | None) -> Case:
    """Nothing is awaited any more: the case is worked on again."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Case.Status.ON_HOLD:
        _set_case_status(case, actor, Case.Status.OPEN, CaseEvent.Action.CASE_RESUMED)
    return case


@transaction.atomic
def withdraw_case(case: Case, *, actor: User, reason: str) -> Case:
    """The requester withdrew their request: the case closes with no letter.

    Letters not yet issued stay as they are, so the history still shows how far they got,
    but nothing moves them on: every step below refuses a letter of a withdrawn case.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(
        permissions.can_edit_case(actor, case),
        "Only a disclosure officer can record that a request was withdrawn.",
    )
    _require(
        case.status in WITHDRAWABLE,
        f"This request is {case.get_status_display().lower()}; only an open or on-hold "
        "request can be withdrawn.",
    )
    reason = (reason or "").strip()
    _require(reason, "Say how and when the requester withdrew the request.")
    unsent = case.letters.exclude(status=Letter.Status.ISSUED).order_by("pk")
    stopped = list(unsent.values_list("pk", flat=True))
    _set_case_status(
        case,
        actor,
        Case.Status.WITHDRAWN,
        CaseEvent.Action.CASE_WITHDRAWN,
        comment=reason,
        stopped_letters=stopped,
    )
    return case


def _require_not_withdrawn(case: Case) -> None:
    _require(
        case.status != Case.Status.WITHDRAWN,
        "The request was withdrawn; its letters can no longer be sent for review, "
        "approved or issued.",
    )


# --- Review, approval and issue -------------------------------------------------------
#
# A letter moves draft -> in_review -> approved -> issued; a return goes back to draft,
# and so does a reopen before issue. A final letter (the response, or an internal review
# outcome) keeps its case's status in step: in_review, approved, responded.


def _lock_letter(letter: Letter) -> Letter:
    """Re-read the letter under a row lock so two people cannot move it at once.

    The case row is locked with it (select_related), so a withdrawal waits for the move.
    """
    return Letter.objects.select_for_update().select_related("case").get(pk=letter.pk)


def _moves_case(letter):
    final = letter.kind in (Letter.Kind.RESPONSE, Letter.Kind.REVIEW_OUTCOME)
    # A correction of a letter already sent leaves the case responded.
    return final and letter.case.status != Case.Status.RESPONDED


def _move_letter(letter, actor, to_status, action, *, case_status, comment="", **details):
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
        _set_case_status(letter.case, actor, case_status, CaseEvent.Action.CASE_STATUS_CHANGED)


def _set_case_status(case, actor, new_status, action, **details):
    old = case.status
    if old == new_status:
        return
    case.status = new_status
    case.save(update_fields=["status", "updated_at"])
    CaseEvent.objects.record(case, action, actor, from_status=old, to_status=new_status, **details)


def _require(check, message):
    if not check:
        raise TransitionError(message)


def latest_version(letter):
    return letter.versions.order_by("-number").first()


@transaction.atomic
def submit_letter(
    letter: Letter, *, actor: User, acknowledged_warnings: Sequence[str] = ()
) -> LetterVersion:
    """Freeze the letter's text as a new version and put it in the review queue."""
    letter = _lock_letter(letter)
    _require(permissions.can_edit_case(actor, letter.case), "Only a disclosure officer can submit.")
    _require(
        letter.status == Letter.Status.DRAFT,
        f"This letter is {letter.get_status_display().lower()}; only a draft can be submitted.",
    )
    _require_not_withdrawn(letter.case)
    if letter.kind == Letter.Kind.REVIEW_OUTCOME:
        _require(
            hasattr(letter, "review_outcome"),
            "Record the review's outcome and reasons before submitting.",
        )
    _require(letter.sections.exists(), "The letter has no text yet.")
    problems = checks.letter_findings(letter)
    errors = [problem.message for problem in problems if problem.is_error]
    _require(not errors, "Put these right before submitting: " + " ".join(errors))
    # Submitting with warnings on screen is acknowledging them; the history shows which.
    warnings = [problem.message for problem in problems if not problem.is_error]
    previous = latest_version(letter)
    html, pdf_metadata, pdf_attachments = snapshots.frozen_letter(letter)
    version = LetterVersion.objects.create(
        letter=letter,
        number=previous.number + 1 if previous else 1,
        sections=snapshots.section_snapshot(letter),
        clause_ids=snapshots.clause_ids(letter),
        html=html,
        pdf_metadata=pdf_metadata,
        pdf_attachments=pdf_attachments,
        author=actor,
        editor_ids=snapshots.editor_ids(letter, actor),
    )
    _move_letter(
        letter,
        actor,
        Letter.Status.IN_REVIEW,
        CaseEvent.Action.LETTER_SUBMITTED,
        case_status=Case.Status.IN_REVIEW,
        version=version.number,
        acknowledged_warnings=sorted({*warnings, *acknowledged_warnings}),
    )
    return version


def _pending_version(letter):
    version = latest_version(letter)
    _require(
        version is not None and not hasattr(version, "decision"),
        "This version has already been decided.",
    )
    return version


@transaction.atomic
def approve_letter(
    letter: Letter, *, actor: User, version_number: int | str | None = None
) -> LetterVersion:
    """Approve the version under review; nobody approves text they wrote or edited.

    ``version_number`` is the version the reviewer read: if the letter has moved on
    since (returned and resubmitted), the approval is refused rather than landing on
    text nobody reviewed.
    """
    letter = _lock_letter(letter)
    _require(permissions.is_reviewer(actor), "Only a reviewer can approve a letter.")
    _require_not_withdrawn(letter.case)
    _require(
        letter.status == Letter.Status.IN_REVIEW,
        f"This letter is {letter.get_status_display().lower()}, not awaiting review: "
        "someone may have decided on it already.",
    )
    version = _pending_version(letter)
    _require(
        version_number is None or int(version_number) == version.number,
        f"You were approving version {version_number}, but version {version.number} is now "
        "under review. Read it before approving.",
    )
    _require(
        actor.pk not in version.editor_ids,
        "You wrote or edited this letter, so another reviewer must approve it.",
    )
    errors = [f.message for f in checks.letter_findings(letter) if f.is_error]
    _require(
        not errors, "This letter cannot be approved until these are put right: " + " ".join(errors)
    )
    ReviewDecision.objects.create(
        version=version, outcome=ReviewDecision.Outcome.APPROVED, reviewer=actor
    )
    _move_letter(
        letter,
        actor,
        Letter.Status.APPROVED,
        CaseEvent.Action.LETTER_APPROVED,
        case_status=Case.Status.APPROVED,
        version=version.number,
    )
    return version


@transaction.atomic
def return_letter(letter: Letter, *, actor: User, comment: str) -> LetterVersion:
    """Send the version back to the officer, saying why."""
    letter = _lock_letter(letter)
    _require(permissions.is_reviewer(actor), "Only a reviewer can return a letter.")
    _require_not_withdrawn(letter.case)
    comment = (comment or "").strip()
    _require(comment, "Say what needs to change before returning the letter.")
    _require(
        letter.status == Letter.Status.IN_REVIEW,
        f"This letter is {letter.get_status_display().lower()}, not awaiting review.",
    )
    version = _pending_version(letter)
    ReviewDecision.objects.create(
        version=version, outcome=ReviewDecision.Outcome.RETURNED, reviewer=actor, comment=comment
    )
    ReviewComment.objects.create(version=version, author=actor, text=comment)
    _move_letter(
        letter,
        actor,
        Letter.Status.DRAFT,
        CaseEvent.Action.LETTER_RETURNED,
        case_status=Case.Status.OPEN,
        comment=comment,
        version=version.number,
    )
    return version


@transaction.atomic
def add_review_comment(
    version: LetterVersion, *, actor: User, text: str, section_key: str = ""
) -> ReviewComment:
    """A reviewer's (or officer's) comment on a frozen version, on one section or the whole."""
    _require(permissions.can_view_case(actor, version.letter.case), "You cannot comment here.")
    text = (text or "").strip()
    _require(text, "Write a comment first.")
    comment = ReviewComment.objects.create(
        version=version, author=actor, text=text, section_key=section_key
    )
    CaseEvent.objects.record(
        version.letter.case,
        CaseEvent.Action.REVIEW_COMMENT_ADDED,
        actor,
        comment=text,
        letter=version.letter_id,
        version=version.number,
        section=section_key,
    )
    return comment


@transaction.atomic
def reopen_letter(letter: Letter, *, actor: User, reason: str) -> Letter:
    """Take an approved letter back to draft; an issued letter can only be corrected."""
    letter = _lock_letter(letter)
    _require(permissions.can_edit_case(actor, letter.case), "Only an officer can reopen a letter.")
    _require_not_withdrawn(letter.case)
    _require(
        letter.status != Letter.Status.ISSUED,
        "This letter has been issued and cannot be changed; start a correction instead.",
    )
    _require(
        letter.status == Letter.Status.APPROVED,
        f"This letter is {letter.get_status_display().lower()}; only an approved letter "
        "can be reopened.",
    )
    reason = (reason or "").strip()
    _require(reason, "Say why the letter is being reopened.")
    version = latest_version(letter)
    _require(
        not version.attempts.filter(status__in=ISSUING).exists(),
        "The letter is being issued right now; wait for that to finish.",
    )
    _move_letter(
        letter,
        actor,
        Letter.Status.DRAFT,
        CaseEvent.Action.LETTER_REOPENED,
        case_status=Case.Status.OPEN,
        comment=reason,
    )
    return letter


@transaction.atomic
def request_issue(letter: Letter, *, actor: User) -> IssueAttempt:
    """Record an attempt to issue the approved version; issuing.issue_letter queues its task."""
    letter = _lock_letter(letter)
    _require(permissions.can_edit_case(actor, letter.case), "Only an officer can issue a letter.")
    _require_not_withdrawn(letter.case)
    _require(
        letter.status == Letter.Status.APPROVED,
        f"This letter is {letter.get_status_display().lower()}; only an approved letter "
        "can be issued.",
    )
    version = latest_version(letter)
    # An attempt nobody finished in 15 minutes is taken to be dead (its worker crashed).
    stale = timezone.now() - timedelta(minutes=15)
    _require(
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
    _require(finished, "This issue attempt is not running: another worker may have taken it.")
    attempt.refresh_from_db(fields=["status", "error", "finished_at"])


@transaction.atomic
def mark_issued(attempt: IssueAttempt, *, pdf_bytes: bytes) -> IssuedDocument:
    """Store the PDF and mark the letter issued; the requester is emailed their link."""
    version = attempt.version
    letter = _lock_letter(version.letter)
    _require_not_withdrawn(letter.case)
    _require(
        letter.status == Letter.Status.APPROVED,
        f"The letter is {letter.get_status_display().lower()}, no longer approved to issue.",
    )
    _require(latest_version(letter).pk == version.pk, "A newer version replaced this one.")
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
    _move_letter(
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
    link, token = tokens.issue_link(letter.case, attempt.requested_by, revoke_others=False)
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


@transaction.atomic
def start_correction(letter: Letter, *, actor: User, reason: str) -> Letter:
    """A new draft that corrects an issued letter, starting from the issued text."""
    letter = _lock_letter(letter)
    _require(permissions.can_edit_case(actor, letter.case), "Only an officer can correct a letter.")
    _require_not_withdrawn(letter.case)
    _require(letter.status == Letter.Status.ISSUED, "Only an issued letter needs a correction.")
    reason = (reason or "").strip()
    _require(reason, "Say what the correction is for.")
    version = latest_version(letter)
    correction = Letter.objects.create(
        case=letter.case,
        kind=letter.kind,
        slot_values=letter.slot_values,
        corrects=letter,
        updated_by=actor,
    )
    for position, section in enumerate(version.sections):
        new_section = LetterSection.objects.create(
            letter=correction,
            key=section["key"],
            heading=section["heading"],
            level=section.get("level", 1),
            position=position,
        )
        for index, paragraph in enumerate(section["paragraphs"]):
            LetterParagraph.objects.create(
                section=new_section,
                position=index,
                text=paragraph["text"],
                clause_id=paragraph.get("clause_id"),
                edited=paragraph.get("edited", False),
                source=paragraph.get("source", ""),
            )
    if hasattr(letter, "review_outcome"):
        outcome = letter.review_outcome
        InternalReviewOutcome.objects.create(
            letter=correction, outcome=outcome.outcome, reasons=outcome.reasons
        )
    CaseEvent.objects.record(
        letter.case,
        CaseEvent.Action.CORRECTION_STARTED,
        actor,
        comment=reason,
        letter=correction.pk,
        corrects=letter.pk,
    )
    return correction


@transaction.atomic
def record_review_outcome(
    letter: Letter, *, actor: User, outcome: str, reasons: str
) -> InternalReviewOutcome:
    """Record (or change) the finding an internal review outcome letter carries.

    The letter's wording follows the outcome, so it is rebuilt in the same transaction;
    paragraphs the officer edited or wrote are kept.
    """
    letter = _lock_letter(letter)
    _require(
        permissions.can_edit_case(actor, letter.case),
        "Only a disclosure officer can record the outcome.",
    )
    _require(
        letter.kind == Letter.Kind.REVIEW_OUTCOME,
        "Only an internal review outcome letter has an outcome.",
    )
    _require(
        letter.status == Letter.Status.DRAFT,
        "The outcome can only be changed while the letter is a draft.",
    )
    reasons = (reasons or "").strip()
    _require(reasons, "Give the reasons for the review's outcome.")
    _require(outcome in InternalReviewOutcome.Outcome.values, "Choose the review's outcome.")
    finding, _ = InternalReviewOutcome.objects.update_or_create(
        letter=letter, defaults={"outcome": outcome, "reasons": reasons}
    )
    CaseEvent.objects.record(
        letter.case,
        CaseEvent.Action.REVIEW_OUTCOME_RECORDED,
        actor,
        comment=reasons,
        letter=letter.pk,
        outcome=outcome,
    )
    editing.rebuild_letter(letter, actor=actor)
    return finding


def reveal_requester(case: Case, *, actor: User, reason: str) -> CaseEvent:
    """FOI is applicant-blind: seeing who asked takes a reason, and is logged."""
    _require(permissions.can_view_case(actor, case), "You cannot see this case.")
    reason = (reason or "").strip()
    _require(reason, "Say why you need to see who made the request.")
    return CaseEvent.objects.record(
        case, CaseEvent.Action.REQUESTER_REVEALED, actor, comment=reason
    )


@transaction.atomic
def request_internal_review(
    case: Case,
    *,
    text: str,
    review_deadline: date | None = None,
    actor: User | None = None,
    received_on: date | None = None,
    received_via: str | None = None,
) -> Case:
    """The requester asks for the response to be looked at again: from their page
    (no actor; the officer is emailed), or by email or post, logged by an officer."""
    _require(case.kind == Case.Kind.REQUEST, "An internal review cannot itself be reviewed here.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(case.status == Case.Status.RESPONDED, "We have not responded to this request yet.")
    _require(
        not case.internal_reviews.exists(), "An internal review of this request is already open."
    )
    today = timezone.localdate()
    received_on = received_on or today
    _require(
        review_deadline is None or received_on <= review_deadline,
        "The time for asking for an internal review has passed.",
    )
    text = (text or "").strip()
    _require(text, "Tell us what you would like us to look at again.")
    review = open_case(
        actor=actor,
        authority=case.authority,
        regime=case.regime,
        requester=case.requester,
        kind=Case.Kind.INTERNAL_REVIEW,
        reviewed_case=case,
        request_text=text,
        subject=case.subject,
        received_on=received_on,
        received_via=received_via or Case.Channel.WEB_FORM,
        assigned_to=case.assigned_to,
    )
    CaseEvent.objects.record(
        case, CaseEvent.Action.INTERNAL_REVIEW_REQUESTED, actor, review_case=review.reference
    )
    if actor is None:
        transaction.on_commit(lambda: _tell_officer_about_review(case, review))
    return review


def _tell_officer_about_review(case: Case, review: Case) -> None:
    officer = case.assigned_to
    address = (officer.email if officer else "") or case.authority.email
    if not address:
        return
    send_mail(
        subject=f"Internal review requested: {case.reference}",
        message=(
            f"The requester has asked for an internal review of {case.reference}.\n"
            f"The review is logged as {review.reference}:\n"
            f"{settings.SITE_URL}{reverse('case_detail', args=[review.pk])}\n"
        ),
        from_email=None,
        recipient_list=[address],
    )
