"""The case record behind letters under review: a change to it never happens silently.

A letter submitted for review or approved was written from the request, questions and
decisions as they were. When one of those changes, each such letter goes back to draft
(the reviewer's approval no longer holds) with an event saying why; an issued response
cannot be contradicted by the record, so the change is refused until a correction of the
letter has been started. Called by the services that change the record, inside their
transaction, before they write anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from responses.models import Case, CaseEvent, IssueAttempt, Letter
from responses.workflow.transitions import ISSUING, TransitionError, move_letter, require

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# What each part of the record feeds: decisions build the response (and the extension notice
# names the exemptions considered); the request and questions are quoted by every letter.
DECISIONS, REQUEST = "decisions", "request"
BUILT_FROM = {
    DECISIONS: {Letter.Kind.RESPONSE, Letter.Kind.FRESH_RESPONSE, Letter.Kind.EXTENSION},
    REQUEST: set(Letter.Kind),
}
# Letters that answer the request: once issued, the record must keep agreeing with them.
# An issued acknowledgement or clarification request quoted the request as it stood then.
FINAL = {Letter.Kind.RESPONSE, Letter.Kind.REVIEW_OUTCOME, Letter.Kind.FRESH_RESPONSE}
UNDER_REVIEW = (Letter.Status.IN_REVIEW, Letter.Status.APPROVED)
OPEN_CORRECTION = (Letter.Status.DRAFT, Letter.Status.IN_REVIEW, Letter.Status.APPROVED)

PART_WORDS = {DECISIONS: "decisions", REQUEST: "request and its questions"}


def before_record_change(case: Case, *, actor: User | None, part: str) -> list[Letter]:
    """Reopen the letters written from ``part`` of the record, or refuse the change.

    Returns the letters reopened. Raises TransitionError, before changing anything, when an
    issued response has no correction under way or a letter is being issued right now.
    """
    kinds = BUILT_FROM[part]
    letters = list(
        Letter.objects.select_for_update().filter(case=case, kind__in=kinds).order_by("pk")
    )
    words = PART_WORDS[part]
    for letter in letters:
        if letter.status == Letter.Status.ISSUED and letter.kind in FINAL:
            corrected = letter.corrections.filter(status__in=OPEN_CORRECTION).exists()
            # A decision notice's fresh response replaces the issued one, on new grounds.
            replaced = any(
                other.kind == Letter.Kind.FRESH_RESPONSE and other.status in OPEN_CORRECTION
                for other in letters
            )
            require(
                corrected or replaced,
                f"The {letter.get_kind_display().lower()} was issued from these {words}, so "
                "they cannot be changed on their own: the letter and the case record would no "
                "longer agree. Start a correction of the letter first, then change them.",
            )
        if letter.status in UNDER_REVIEW:
            require(
                not IssueAttempt.objects.filter(
                    version__letter=letter, status__in=ISSUING
                ).exists(),
                f"The {letter.get_kind_display().lower()} is being issued right now; wait for "
                f"that to finish before changing the {words}.",
            )
    reopened = []
    for letter in letters:
        if letter.status not in UNDER_REVIEW:
            continue
        was = letter.get_status_display().lower()
        move_letter(
            letter,
            actor,
            Letter.Status.DRAFT,
            CaseEvent.Action.LETTER_REOPENED,
            case_status=Case.Status.OPEN,
            comment=f"Reopened because the {words} changed while the letter was {was}; "
            "it must be checked and submitted again.",
            reason="record_changed",
            part=part,
        )
        reopened.append(letter)
    return reopened


__all__ = ["DECISIONS", "REQUEST", "TransitionError", "before_record_change"]
