"""Recording and undoing what moves a case's deadline.

Each function changes the ClockEvent and writes the audit row (with the deadline
before and after) in one transaction, so the trail always says who moved the
clock, why, and by how much.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from exemptions.models import Regime
from responses import deadlines
from responses.models import Case, CaseEvent, ClockEvent
from responses.workflow import hold_case, resume_case

Kind = ClockEvent.Kind

# Which events each regime knows on a request: s10(3) PIT extensions are FOIA's, reg 7
# the EIR's.
KINDS_BY_REGIME = {
    Regime.FOIA: {Kind.CLARIFICATION, Kind.FEES_NOTICE, Kind.PIT_EXTENSION},
    Regime.EIR: {Kind.CLARIFICATION, Kind.FEES_NOTICE, Kind.EIR_EXTENSION},
    Regime.FOISA: {Kind.CLARIFICATION, Kind.FEES_NOTICE},
}
# And on an internal review: the s45 Code allows a complex FOIA review 40 working days
# instead of 20; EIR reg 11(4) (40) and FOISA s21(1) (20) fix the period outright.
REVIEW_KINDS_BY_REGIME = {
    Regime.FOIA: {Kind.COMPLEX_REVIEW},
    Regime.EIR: set(),
    Regime.FOISA: set(),
}
# Events that stop the clock until something arrives (ends_on).
STOPPING_KINDS = {Kind.CLARIFICATION, Kind.FEES_NOTICE}
# Events a case can have only once (while not undone).
ONCE_ONLY_KINDS = {Kind.EIR_EXTENSION, Kind.COMPLEX_REVIEW}

# The audit row each kind of event writes when it is recorded.
START_ACTIONS = {
    Kind.CLARIFICATION: CaseEvent.Action.CLOCK_CLARIFICATION,
    Kind.FEES_NOTICE: CaseEvent.Action.CLOCK_FEES_NOTICE,
    Kind.PIT_EXTENSION: CaseEvent.Action.CLOCK_PIT_EXTENSION,
    Kind.EIR_EXTENSION: CaseEvent.Action.CLOCK_EIR_EXTENSION,
    Kind.COMPLEX_REVIEW: CaseEvent.Action.REVIEW_MARKED_COMPLEX,
}

Actor = AbstractBaseUser | AnonymousUser | None


class ClockEventError(Exception):
    """A clock change that does not make sense for this case; the message says why."""


def allowed_kinds(case: Case) -> set[str]:
    by_regime = (
        REVIEW_KINDS_BY_REGIME if case.kind == Case.Kind.INTERNAL_REVIEW else KINDS_BY_REGIME
    )
    return by_regime.get(case.regime.code, set())


def active_events(case):
    return case.clock_events.filter(undone_at__isnull=True)


def open_event(case, kind):
    """The clarification or fees notice still waiting for a reply, if any."""
    return active_events(case).filter(kind=kind, ends_on__isnull=True).first()


def pit_extension_days(case):
    return sum(
        event.extension_days or 0 for event in active_events(case).filter(kind=Kind.PIT_EXTENSION)
    )


def _iso(day):
    return day.isoformat() if day else None


def _current_deadline(case):
    return deadlines.case_deadline(case, events=list(active_events(case))).deadline


def _audit(case, actor, action, event, before, comment, **details):
    CaseEvent.objects.record(
        case,
        action,
        actor,
        comment=comment,
        clock_event=event.pk,
        kind=event.kind,
        deadline_before=_iso(before),
        deadline_after=_iso(_current_deadline(case)),
        **details,
    )


@transaction.atomic
def start_event(
    case: Case,
    *,
    actor: Actor,
    kind: str,
    starts_on: datetime.date,
    reason: str,
    extension_days: int | None = None,
) -> ClockEvent:
    """Record a clarification request, fees notice, extension or complex review."""
    if kind not in allowed_kinds(case):
        if kind == Kind.COMPLEX_REVIEW and case.kind != Case.Kind.INTERNAL_REVIEW:
            raise ClockEventError("Only an internal review can be marked complex.")
        what = "an internal review" if case.kind == Case.Kind.INTERNAL_REVIEW else "a request"
        raise ClockEventError(
            f"A {Kind(kind).label.lower()} does not apply to {what} under {case.regime.code}."
        )
    if not reason.strip():
        raise ClockEventError("Say why, so the deadline can be explained later.")
    if starts_on < case.received_on:
        raise ClockEventError("The date cannot be before the request was received.")
    if kind in STOPPING_KINDS and open_event(case, kind):
        raise ClockEventError("The clock is already stopped for this; record the reply first.")
    if kind in ONCE_ONLY_KINDS and active_events(case).filter(kind=kind).exists():
        if kind == Kind.COMPLEX_REVIEW:
            raise ClockEventError("This internal review is already marked complex.")
        raise ClockEventError("The deadline is already extended under regulation 7.")
    if kind == Kind.EIR_EXTENSION:
        extension_days = deadlines.EIR_EXTENDED_DAYS - deadlines.RESPONSE_DAYS
    if kind == Kind.PIT_EXTENSION and not extension_days:
        raise ClockEventError("Give the number of further working days.")
    if kind in STOPPING_KINDS or kind == Kind.COMPLEX_REVIEW:
        extension_days = None

    before = _current_deadline(case)
    event = ClockEvent.objects.create(
        case=case,
        kind=kind,
        starts_on=starts_on,
        extension_days=extension_days,
        reason=reason.strip(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _audit(
        case,
        actor,
        START_ACTIONS[kind],
        event,
        before,
        event.reason,
        starts_on=_iso(starts_on),
        extension_days=extension_days,
    )
    if kind in STOPPING_KINDS:
        hold_case(case, actor=actor, reason=event.reason)
    return event


@transaction.atomic
def end_event(
    event: ClockEvent, *, actor: Actor, ends_on: datetime.date, note: str = ""
) -> ClockEvent:
    """The clarification arrived or the fee was paid: the clock runs again."""
    event = ClockEvent.objects.select_for_update().select_related("case__regime").get(pk=event.pk)
    if event.kind not in STOPPING_KINDS:
        raise ClockEventError("Only a clarification request or fees notice can be answered.")
    if event.undone_at is not None:
        raise ClockEventError("This event was undone.")
    if event.ends_on is not None:
        raise ClockEventError("The reply to this was already recorded.")
    if ends_on < event.starts_on:
        raise ClockEventError("The reply cannot arrive before the request for it was sent.")
    case = event.case
    before = _current_deadline(case)
    event.ends_on = ends_on
    event.save(update_fields=["ends_on"])
    action = (
        CaseEvent.Action.CLOCK_CLARIFICATION_RECEIVED
        if event.kind == Kind.CLARIFICATION
        else CaseEvent.Action.CLOCK_FEE_PAID
    )
    _audit(case, actor, action, event, before, note.strip(), ends_on=_iso(ends_on))
    _resume_if_nothing_awaited(case, actor)
    return event


@transaction.atomic
def undo_event(event: ClockEvent, *, actor: Actor, reason: str) -> ClockEvent:
    """Take an event back; the deadline is worked out again as if it never happened."""
    event = ClockEvent.objects.select_for_update().select_related("case__regime").get(pk=event.pk)
    if event.undone_at is not None:
        raise ClockEventError("This event was already undone.")
    if not reason.strip():
        raise ClockEventError("Say why the event is being undone.")
    case = event.case
    before = _current_deadline(case)
    event.undone_at = timezone.now()
    event.undone_by = actor if actor is not None and actor.is_authenticated else None
    event.save(update_fields=["undone_at", "undone_by"])
    _audit(case, actor, CaseEvent.Action.CLOCK_EVENT_UNDONE, event, before, reason.strip())
    _resume_if_nothing_awaited(case, actor)
    return event


def _resume_if_nothing_awaited(case, actor):
    if not any(open_event(case, kind) for kind in STOPPING_KINDS):
        resume_case(case, actor=actor)
