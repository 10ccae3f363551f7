"""Closing a case without a letter, and reopening it when that was a mistake.

A request can end with no response: the requester withdraws it, it lapses because the
clarification or fee we asked for never came, or it duplicates a request we are already
answering. Each closure takes a reason, leaves the work list, stops the case's unsent
letters where they are (every letter step refuses a closed case) and is counted apart
from answered requests in the statistics. The case keeps what it was closed as, so its
page and the requester's page can say so; the history keeps every closure and reopening.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from responses import permissions
from responses.models import Case, CaseEvent, ClockEvent, Letter
from responses.workflow.transitions import (
    CLOSABLE,
    require,
    required_text,
    set_case_status,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# What each lapse cause waits for on the clock: a request lapses only while we are waiting.
AWAITED_BY = {
    Case.LapsedBecause.CLARIFICATION: ClockEvent.Kind.CLARIFICATION,
    Case.LapsedBecause.FEE: ClockEvent.Kind.FEES_NOTICE,
}
CLOSING_ACTIONS = (
    CaseEvent.Action.CASE_WITHDRAWN,
    CaseEvent.Action.CASE_LAPSED,
    CaseEvent.Action.CASE_CLOSED_AS_DUPLICATE,
)


def _lock_closable(case: Case, actor, what: str) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(
        permissions.can_edit_case(actor, case),
        f"Only a disclosure officer can record that a request {what}.",
    )
    require(
        case.status in CLOSABLE,
        f"This request is {case.get_status_display().lower()}; only an open or on-hold "
        "request can be closed without a letter.",
    )
    return case


def _close(case, actor, status, action, reason, *, lapsed_because="", duplicate_of=None, **extra):
    stopped = list(
        case.letters.exclude(status=Letter.Status.ISSUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    case.closed_on = timezone.localdate()
    case.closure_reason = reason
    case.lapsed_because = lapsed_because
    case.duplicate_of = duplicate_of
    case.save(update_fields=["closed_on", "closure_reason", "lapsed_because", "duplicate_of"])
    set_case_status(case, actor, status, action, comment=reason, stopped_letters=stopped, **extra)
    return case


@transaction.atomic
def withdraw_case(case: Case, *, actor: User, reason: str) -> Case:
    """The requester withdrew their request: the case closes with no letter.

    Letters not yet issued stay as they are, so the history still shows how far they got,
    but nothing moves them on: every step below refuses a letter of a closed case.
    """
    case = _lock_closable(case, actor, "was withdrawn")
    reason = required_text(reason, "Say how and when the requester withdrew the request.")
    return _close(case, actor, Case.Status.WITHDRAWN, CaseEvent.Action.CASE_WITHDRAWN, reason)


@transaction.atomic
def lapse_case(case: Case, *, actor: User, because: str, reason: str) -> Case:
    """The clarification (section 1(3)) or fee (section 9) we asked for did not come in time."""
    case = _lock_closable(case, actor, "lapsed")
    require(
        because in AWAITED_BY,
        "Say whether the clarification or the fee did not arrive.",
    )
    awaited = AWAITED_BY[because]
    waiting = case.clock_events.filter(
        kind=awaited, undone_at__isnull=True, ends_on__isnull=True
    ).exists()
    awaited_name = "a clarification" if awaited == ClockEvent.Kind.CLARIFICATION else "a fee"
    require(
        waiting,
        f"The case is not waiting for {awaited_name}: record the request for it on the case "
        "first, or close the case another way.",
    )
    reason = required_text(reason, "Say what we asked for, when, and how long we waited.")
    return _close(
        case,
        actor,
        Case.Status.LAPSED,
        CaseEvent.Action.CASE_LAPSED,
        reason,
        lapsed_because=because,
    )


@transaction.atomic
def close_as_duplicate(case: Case, *, actor: User, original: Case | None, reason: str) -> Case:
    """The request repeats one we already have: it is answered there, not here."""
    case = _lock_closable(case, actor, "is a duplicate")
    require(original is not None, "Enter the reference of the case this request duplicates.")
    # Read again under a lock: the original must not be closed while we point at it.
    original = Case.objects.select_for_update().get(pk=original.pk)
    require(original.pk != case.pk, "A case cannot duplicate itself.")
    require(original.kind == case.kind, "A request can only duplicate another request.")
    require(
        original.status != Case.Status.DUPLICATE,
        f"{original.reference} is itself closed as a duplicate of "
        f"{original.duplicate_of.reference if original.duplicate_of else 'another case'}: "
        "link to the case that is being answered.",
    )
    require(
        original.status not in (Case.Status.WITHDRAWN, Case.Status.LAPSED),
        f"{original.reference} is {original.get_status_display().lower()}, so it will not "
        "be answered: this request cannot be closed as its duplicate.",
    )
    reason = required_text(reason, "Say why the two requests are the same.")
    return _close(
        case,
        actor,
        Case.Status.DUPLICATE,
        CaseEvent.Action.CASE_CLOSED_AS_DUPLICATE,
        reason,
        duplicate_of=original,
        duplicate_of_reference=original.reference,
    )


@transaction.atomic
def reopen_case(case: Case, *, actor: User, reason: str) -> Case:
    """A case closed without a letter by mistake goes back to where it was."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(
        permissions.can_edit_case(actor, case),
        "Only a disclosure officer can reopen a closed request.",
    )
    require(case.closed_without_letter, "This request is not closed without a letter.")
    reason = required_text(reason, "Say why the case is being reopened.")
    closing = (
        case.events.filter(action__in=CLOSING_ACTIONS, to_status=case.status)
        .order_by("-created_at", "-pk")
        .first()
    )
    back_to = closing.from_status if closing and closing.from_status in CLOSABLE else None
    previous = {
        "closed_as": case.status,
        "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        "closure_reason": case.closure_reason,
        "duplicate_of": case.duplicate_of.reference if case.duplicate_of else None,
    }
    case.closed_on = None
    case.closure_reason = ""
    case.lapsed_because = ""
    case.duplicate_of = None
    case.save(update_fields=["closed_on", "closure_reason", "lapsed_because", "duplicate_of"])
    set_case_status(
        case,
        actor,
        back_to or Case.Status.OPEN,
        CaseEvent.Action.CASE_REOPENED,
        comment=reason,
        **previous,
    )
    return case
