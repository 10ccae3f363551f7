"""A letter through review: submitted, approved or returned, reopened, corrected; the
outcome of an internal review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from responses import checks, enclosures, notifications, permissions, snapshots
from responses.drafting import editing
from responses.drafting.letter_kinds import original_answer
from responses.models import (
    Case,
    CaseEvent,
    InternalReviewOutcome,
    Letter,
    LetterParagraph,
    LetterSection,
    LetterVersion,
    Question,
    ReviewComment,
    ReviewDecision,
    ReviewQuestionFinding,
)
from responses.workflow.issue import expire_lapsed_issue_attempts
from responses.workflow.transitions import (
    ISSUING,
    latest_version,
    lock_letter,
    move_letter,
    require,
    require_not_withdrawn,
    required_text,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def submit_letter(
    letter: Letter, *, actor: User, acknowledged_warnings: Sequence[str] = ()
) -> LetterVersion:
    """Freeze the letter's text as a new version and put it in the review queue."""
    letter = lock_letter(letter)
    require(permissions.can_edit_case(actor, letter.case), "Only a disclosure officer can submit.")
    require(
        letter.status == Letter.Status.DRAFT,
        f"This letter is {letter.get_status_display().lower()}; only a draft can be submitted.",
    )
    require_not_withdrawn(letter.case)
    if letter.kind == Letter.Kind.REVIEW_OUTCOME:
        require(
            hasattr(letter, "review_outcome"),
            "Record the review's outcome and reasons before submitting.",
        )
    if letter.kind == Letter.Kind.FRESH_RESPONSE:
        require(
            hasattr(letter, "decision_notice"),
            "Record the decision notice this fresh response answers before submitting.",
        )
    require(letter.sections.exists(), "The letter has no text yet.")
    problems = checks.letter_findings(letter)
    errors = [problem.message for problem in problems if problem.is_error]
    require(not errors, "Put these right before submitting: " + " ".join(errors))
    # Submitting with warnings on screen is acknowledging them; the history shows which.
    warnings = [problem.message for problem in problems if not problem.is_error]
    previous = latest_version(letter)
    version = LetterVersion.objects.create(
        letter=letter,
        number=previous.number + 1 if previous else 1,
        sections=snapshots.section_snapshot(letter),
        layout=letter.layout,
        include_outcome_summary=letter.include_outcome_summary,
        clause_ids=snapshots.clause_ids(letter),
        record=snapshots.record_snapshot(letter.case),
        **snapshots.frozen_letter(letter),
        author=actor,
        editor_ids=snapshots.editor_ids(letter, actor),
    )
    enclosures.freeze(letter, version)
    move_letter(
        letter,
        actor,
        Letter.Status.IN_REVIEW,
        CaseEvent.Action.LETTER_SUBMITTED,
        case_status=Case.Status.IN_REVIEW,
        version=version.number,
        acknowledged_warnings=sorted({*warnings, *acknowledged_warnings}),
    )
    notifications.letter_submitted(letter, version, actor)
    return version


def _require_version_number(number):
    require(
        isinstance(number, int) and not isinstance(number, bool) and number > 0,
        "Say which version of the letter you read: a decision on an unnamed version could "
        "land on text nobody reviewed.",
    )


def _pending_version(letter):
    version = latest_version(letter)
    require(
        version is not None and not hasattr(version, "decision"),
        "This version has already been decided.",
    )
    return version


@transaction.atomic
def approve_letter(letter: Letter, *, actor: User, version_number: int) -> LetterVersion:
    """Approve the version under review; nobody approves text they wrote or edited.

    ``version_number`` is the version the reviewer read: if the letter has moved on
    since (returned and resubmitted), the approval is refused rather than landing on
    text nobody reviewed.
    """
    _require_version_number(version_number)
    letter = lock_letter(letter)
    require(permissions.is_reviewer(actor), "Only a reviewer can approve a letter.")
    require_not_withdrawn(letter.case)
    require(
        letter.status == Letter.Status.IN_REVIEW,
        f"This letter is {letter.get_status_display().lower()}, not awaiting review: "
        "someone may have decided on it already.",
    )
    version = _pending_version(letter)
    require(
        version_number == version.number,
        f"You were approving version {version_number}, but version {version.number} is now "
        "under review. Read it before approving.",
    )
    require(
        actor.pk not in version.editor_ids,
        "You wrote or edited this letter, or the decisions or request behind it, so another "
        "reviewer must approve it.",
    )
    if version.record:  # versions frozen before the record was kept have none to compare
        changed = snapshots.record_changes(version.record, snapshots.record_snapshot(letter.case))
        require(
            not changed,
            f"The {' and '.join(changed)} behind this letter changed after version "
            f"{version.number} was submitted, so the letter you read may no longer say what "
            "the case record says. The officer must update the letter and submit it again.",
        )
    errors = [f.message for f in checks.letter_findings(letter) if f.is_error]
    require(
        not errors, "This letter cannot be approved until these are put right: " + " ".join(errors)
    )
    ReviewDecision.objects.create(
        version=version, outcome=ReviewDecision.Outcome.APPROVED, reviewer=actor
    )
    move_letter(
        letter,
        actor,
        Letter.Status.APPROVED,
        CaseEvent.Action.LETTER_APPROVED,
        case_status=Case.Status.APPROVED,
        version=version.number,
    )
    notifications.letter_approved(letter, version, actor)
    return version


@transaction.atomic
def return_letter(
    letter: Letter, *, actor: User, version_number: int, comment: str
) -> LetterVersion:
    """Send the version the reviewer read back to the officer, saying why."""
    _require_version_number(version_number)
    letter = lock_letter(letter)
    require(permissions.is_reviewer(actor), "Only a reviewer can return a letter.")
    require_not_withdrawn(letter.case)
    comment = required_text(comment, "Say what needs to change before returning the letter.")
    require(
        letter.status == Letter.Status.IN_REVIEW,
        f"This letter is {letter.get_status_display().lower()}, not awaiting review.",
    )
    version = _pending_version(letter)
    require(
        version_number == version.number,
        f"You were returning version {version_number}, but version {version.number} is now "
        "under review. Read it before returning it.",
    )
    ReviewDecision.objects.create(
        version=version, outcome=ReviewDecision.Outcome.RETURNED, reviewer=actor, comment=comment
    )
    ReviewComment.objects.create(version=version, author=actor, text=comment)
    move_letter(
        letter,
        actor,
        Letter.Status.DRAFT,
        CaseEvent.Action.LETTER_RETURNED,
        case_status=Case.Status.OPEN,
        comment=comment,
        version=version.number,
    )
    notifications.letter_returned(letter, version, actor)
    return version


@transaction.atomic
def add_review_comment(
    version: LetterVersion, *, actor: User, text: str, section_key: str = ""
) -> ReviewComment:
    """A reviewer's (or officer's) comment on a frozen version, on one section or the whole."""
    require(permissions.can_view_case(actor, version.letter.case), "You cannot comment here.")
    text = required_text(text, "Write a comment first.")
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
    letter = lock_letter(letter)
    require(permissions.can_edit_case(actor, letter.case), "Only an officer can reopen a letter.")
    require_not_withdrawn(letter.case)
    require(
        letter.status != Letter.Status.ISSUED,
        "This letter has been issued and cannot be changed; start a correction instead.",
    )
    require(
        letter.status == Letter.Status.APPROVED,
        f"This letter is {letter.get_status_display().lower()}; only an approved letter "
        "can be reopened.",
    )
    reason = required_text(reason, "Say why the letter is being reopened.")
    version = latest_version(letter)
    expire_lapsed_issue_attempts(letter)  # a worker that died does not hold the letter
    require(
        not version.attempts.filter(status__in=ISSUING).exists(),
        "The letter is being issued right now; wait for that to finish.",
    )
    move_letter(
        letter,
        actor,
        Letter.Status.DRAFT,
        CaseEvent.Action.LETTER_REOPENED,
        case_status=Case.Status.OPEN,
        comment=reason,
    )
    return letter


@transaction.atomic
def start_correction(letter: Letter, *, actor: User, reason: str) -> Letter:
    """A new draft that corrects an issued letter, starting from the issued text."""
    letter = lock_letter(letter)
    require(permissions.can_edit_case(actor, letter.case), "Only an officer can correct a letter.")
    require_not_withdrawn(letter.case)
    require(letter.status == Letter.Status.ISSUED, "Only an issued letter needs a correction.")
    reason = required_text(reason, "Say what the correction is for.")
    version = latest_version(letter)
    correction = Letter.objects.create(
        case=letter.case,
        kind=letter.kind,
        slot_values=letter.slot_values,
        removed_sources=letter.removed_sources,
        corrects=letter,
        correction_reason=reason,
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
                personal=paragraph.get("personal", False),
            )
    enclosures.carry_into(version, correction)
    if hasattr(letter, "review_outcome"):
        outcome = letter.review_outcome
        copy = InternalReviewOutcome.objects.create(
            letter=correction, outcome=outcome.outcome, reasons=outcome.reasons
        )
        for finding in outcome.findings.all():
            finding.pk, finding.outcome = None, copy
            finding.save()
    if hasattr(letter, "decision_notice"):
        notice = letter.decision_notice
        notice.pk, notice.letter = None, correction
        notice.save()
    CaseEvent.objects.record(
        letter.case,
        CaseEvent.Action.CORRECTION_STARTED,
        actor,
        comment=reason,
        letter=correction.pk,
        corrects=letter.pk,
    )
    return correction


def derived_outcome(findings: Sequence[str]) -> str:
    """The review's overall outcome from its findings on each disputed answer."""
    Finding = ReviewQuestionFinding.Finding
    if all(finding == Finding.UPHELD for finding in findings):
        return InternalReviewOutcome.Outcome.UPHELD
    if all(finding == Finding.OVERTURNED for finding in findings):
        return InternalReviewOutcome.Outcome.OVERTURNED
    return InternalReviewOutcome.Outcome.UPHELD_IN_PART


@transaction.atomic
def record_review_outcome(
    letter: Letter,
    *,
    actor: User,
    outcome: str = "",
    reasons: str = "",
    findings: Sequence[tuple[Question, str, str]] = (),
) -> InternalReviewOutcome:
    """Record (or change) the finding an internal review outcome letter carries.

    ``findings`` are (question of the reviewed case, finding, reasons) for each answer the
    requester disputed: the overall outcome is then derived from them and the overall
    reasons are optional. Without findings, the officer's ``outcome`` and ``reasons`` stand.
    The letter's wording follows the outcome, so it is rebuilt in the same transaction;
    paragraphs the officer edited or wrote are kept.
    """
    letter = lock_letter(letter)
    require(
        permissions.can_edit_case(actor, letter.case),
        "Only a disclosure officer can record the outcome.",
    )
    require(
        letter.kind == Letter.Kind.REVIEW_OUTCOME,
        "Only an internal review outcome letter has an outcome.",
    )
    require(
        letter.status == Letter.Status.DRAFT,
        "The outcome can only be changed while the letter is a draft.",
    )
    original = letter.case.reviewed_case
    checked = []
    for question, found, why in findings:
        require(
            original is not None and question.case_id == original.pk,
            "A finding can only be about a question of the request under review.",
        )
        require(
            found in ReviewQuestionFinding.Finding.values,
            f"Choose a finding for Q{question.number}.",
        )
        why = required_text(why, f"Give the reasons for the finding on Q{question.number}.")
        checked.append((question, found, why))
    require(
        len({question.pk for question, _, _ in checked}) == len(checked),
        "Give one finding per question.",
    )
    if checked:
        outcome = derived_outcome([found for _, found, _ in checked])
        reasons = (reasons or "").strip()
    else:
        reasons = required_text(reasons, "Give the reasons for the review's outcome.")
    require(outcome in InternalReviewOutcome.Outcome.values, "Choose the review's outcome.")
    finding, _ = InternalReviewOutcome.objects.update_or_create(
        letter=letter, defaults={"outcome": outcome, "reasons": reasons}
    )
    finding.findings.all().delete()
    for question, found, why in checked:
        ReviewQuestionFinding.objects.create(
            outcome=finding,
            question=question,
            original_answer=original_answer(question),
            finding=found,
            reasons=why,
        )
    CaseEvent.objects.record(
        letter.case,
        CaseEvent.Action.REVIEW_OUTCOME_RECORDED,
        actor,
        comment=reasons,
        letter=letter.pk,
        outcome=outcome,
        findings={f"Q{question.number}": found for question, found, _ in checked},
    )
    # The letter is locked above, so its revision is the one being rebuilt.
    editing.rebuild_letter(letter, actor=actor, revision=letter.revision)
    return finding
