"""Recording and undoing what moves a case's deadline.

Each function changes the ClockEvent and writes the audit row (with the deadline
before and after) in one transaction, so the trail always says who moved the
clock, why, and by how much.
"""

from django.db import transaction
from django.utils import timezone

from responses import deadlines
from responses.models import CaseEvent, ClockEvent
from responses.workflow import hold_case, resume_case

Kind = ClockEvent.Kind

# Which events each regime knows: s10(3) PIT extensions are FOIA's, reg 7 the EIR's.
KINDS_BY_REGIME = {
    "FOIA": {Kind.CLARIFICATION, Kind.FEES_NOTICE, Kind.PIT_EXTENSION},
    "EIR": {Kind.CLARIFICATION, Kind.FEES_NOTICE, Kind.EIR_EXTENSION},
    "FOISA": {Kind.CLARIFICATION, Kind.FEES_NOTICE},
}
# Events that stop the clock until something arrives (ends_on).
STOPPING_KINDS = {Kind.CLARIFICATION, Kind.FEES_NOTICE}


class ClockEventError(Exception):
    """A clock change that does not make sense for this case; the message says why."""


def allowed_kinds(case):
    return KINDS_BY_REGIME.get(case.regime.code, set())


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
def start_event(case, actor, kind, *, starts_on, reason, extension_days=None):
    """Record a clarification request, fees notice or extension."""
    if kind not in allowed_kinds(case):
        raise ClockEventError(
            f"A {Kind(kind).label.lower()} does not apply under {case.regime.code}."
        )
    if not reason.strip():
        raise ClockEventError("Say why, so the deadline can be explained later.")
    if starts_on < case.received_on:
        raise ClockEventError("The date cannot be before the request was received.")
    if kind in STOPPING_KINDS and open_event(case, kind):
        raise ClockEventError("The clock is already stopped for this; record the reply first.")
    if kind == Kind.EIR_EXTENSION:
        if active_events(case).filter(kind=kind).exists():
            raise ClockEventError("The deadline is already extended under regulation 7.")
        extension_days = deadlines.EIR_EXTENDED_DAYS - deadlines.RESPONSE_DAYS
    if kind == Kind.PIT_EXTENSION and not extension_days:
        raise ClockEventError("Give the number of further working days.")
    if kind in STOPPING_KINDS:
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
        CaseEvent.Action(f"clock_{kind}"),
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
def end_event(event, actor, *, ends_on, note=""):
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
def undo_event(event, actor, *, reason):
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
