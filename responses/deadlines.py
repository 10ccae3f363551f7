"""The case clock: a case's deadline, and the explanation behind each date.

Counts working days on the calendars of ``responses.working_days`` from the day a
request (or an internal review) was received, through what moves the clock
(``ClockEvent``): a clarification restarts the count (s1(3)), a fees notice pauses
it (s10(2)), a public interest extension (s10(3)) or EIR regulation 7 extension adds
working days, and a complex FOIA internal review is allowed 40 working days.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from exemptions.models import Regime
from responses.models import Case, ClockEvent, DecisionNotice
from responses.working_days import (
    CALENDAR_DESCRIPTIONS,
    WorkingDayCalendar,
    add_working_days,
    effective_receipt,
    format_day,
    load_overrides,
    period_containing,
    receipt_rule,
    working_days_between,
    working_days_calendar,
)

RESPONSE_DAYS = 20  # FOIA s10(1), EIR reg 5(2), FOISA s10(1)
EIR_EXTENDED_DAYS = 40  # EIR reg 7: complex and voluminous requests
PIT_EXTENSION_NORMAL_MAX = 20  # ICO: normally no more than 20 further working days
REVIEW_REQUEST_DAYS = 40  # s45 Code, EIR reg 11(2), FOISA s20(5)
REVIEW_DAYS = 20  # s45 Code (FOIA), FOISA s21(1)
REVIEW_DAYS_MAX = 40  # s45 Code: a complex FOIA review; EIR reg 11(4): every EIR review

CLARIFICATION = ClockEvent.Kind.CLARIFICATION
FEES_NOTICE = ClockEvent.Kind.FEES_NOTICE
PIT_EXTENSION = ClockEvent.Kind.PIT_EXTENSION
EIR_EXTENSION = ClockEvent.Kind.EIR_EXTENSION
COMPLEX_REVIEW = ClockEvent.Kind.COMPLEX_REVIEW


@dataclass(frozen=True)
class ExcludedDay:
    date: datetime.date
    reason: str

    def __str__(self):
        return f"{format_day(self.date)} – {self.reason}"


@dataclass(frozen=True)
class ClockEffect:
    """What one event did to the clock, in words; ``event`` is the ClockEvent if any."""

    kind: str
    text: str
    event: object = None


@dataclass
class DeadlineExplanation:
    """Everything a person needs to check a deadline by hand."""

    regime_code: str
    rule: str
    received_on: datetime.date
    receipt_counted: datetime.date  # receipt, or the clarification's receipt if later
    counted_from: datetime.date  # receipt_counted after the receipt rule
    day_one: datetime.date | None
    deadline: datetime.date | None  # None while the clock is stopped
    # The deadline without any extension, to tell "in time" from "within an extension".
    statutory_deadline: datetime.date | None
    working_days: int
    calendar: WorkingDayCalendar
    excluded_days: list[ExcludedDay] = field(default_factory=list)
    # Days the data calls holidays but an administrator declared working days.
    counted_despite_data: list[ExcludedDay] = field(default_factory=list)
    events: list[ClockEffect] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stopped_since: datetime.date | None = None
    stopped_reason: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def on_hold(self):
        return self.deadline is None

    def working_days_left(self, today):
        """Working days from ``today`` to the deadline: 0 on the day, negative once past."""
        if self.deadline is None:
            return None
        return working_days_between(today, self.deadline, self.calendar)


def _is_active(event):
    return getattr(event, "undone_at", None) is None


def explain_deadline(
    received_on,
    regime_code,
    *,
    extension_days=0,
    events=(),
    rule=None,
    overrides=None,
    base_days=RESPONSE_DAYS,
    authority_calendar=None,
    explain=True,
):
    """Work out the deadline and say how, step by step (``explain=False``: the dates
    only, without the days not counted or the lines, for a list of many cases).

    ``base_days`` is 20 for a request; an internal review case passes its own period
    (``review_days``). ``statutory_deadline`` is the deadline after ``base_days``,
    before any extension (a complex review's 40 days count as one).
    """
    rule = receipt_rule(rule)
    calendar = working_days_calendar(
        regime_code, overrides=overrides, authority_calendar=authority_calendar
    )
    active = sorted(
        (e for e in events if _is_active(e)),
        key=lambda e: (e.starts_on, getattr(e, "pk", None) or 0),
    )
    effects = []
    warnings = []

    # s1(3): a clarification stops the clock; the count starts again from its receipt.
    receipt = received_on
    stopped_since = None
    stopped_reason = ""
    for event in (e for e in active if e.kind == CLARIFICATION):
        if event.ends_on is None:
            stopped_since, stopped_reason = event.starts_on, "awaiting clarification"
            effects.append(
                ClockEffect(
                    CLARIFICATION,
                    f"Clarification asked for on {format_day(event.starts_on)}: the clock is "
                    "stopped until it arrives, then the full period starts again.",
                    event,
                )
            )
        else:
            receipt = max(receipt, event.ends_on)
            effects.append(
                ClockEffect(
                    CLARIFICATION,
                    f"Clarification asked for on {format_day(event.starts_on)} and received on "
                    f"{format_day(event.ends_on)}: the count starts again from that day.",
                    event,
                )
            )

    counted_from = effective_receipt(receipt, calendar, rule)

    # s10(2): working days from the fees notice to the payment are disregarded.
    disregarded = []
    for event in (e for e in active if e.kind == FEES_NOTICE):
        disregarded.append((event.starts_on, event.ends_on))
        if event.ends_on is None:
            effects.append(
                ClockEffect(
                    FEES_NOTICE,
                    f"Fees notice given on {format_day(event.starts_on)}: the clock is paused "
                    "until the fee is paid.",
                    event,
                )
            )
        else:
            paused = working_days_between(
                event.starts_on - datetime.timedelta(days=1), event.ends_on, calendar
            )
            effects.append(
                ClockEffect(
                    FEES_NOTICE,
                    f"Fees notice given on {format_day(event.starts_on)}, fee received on "
                    f"{format_day(event.ends_on)}: {paused} working "
                    f"day{'s' if paused != 1 else ''} disregarded.",
                    event,
                )
            )

    working_days = base_days
    for event in (e for e in active if e.kind == EIR_EXTENSION):
        working_days = max(base_days, EIR_EXTENDED_DAYS)
        effects.append(
            ClockEffect(
                EIR_EXTENSION,
                f"Extended on {format_day(event.starts_on)} to {EIR_EXTENDED_DAYS} working days "
                "(EIR regulation 7, complex and voluminous).",
                event,
            )
        )
    for event in (e for e in active if e.kind == COMPLEX_REVIEW):
        complex_days = review_days(regime_code, complex=True)
        working_days = max(working_days, complex_days)
        effects.append(
            ClockEffect(
                COMPLEX_REVIEW,
                f"Marked as a complex internal review on {format_day(event.starts_on)}: "
                f"{complex_days} working days (section 45 Code of Practice).",
                event,
            )
        )
    pit_days = 0
    for event in (e for e in active if e.kind == PIT_EXTENSION):
        days = event.extension_days or 0
        pit_days += days
        effects.append(
            ClockEffect(
                PIT_EXTENSION,
                f"Public interest extension recorded on {format_day(event.starts_on)}: "
                f"{days} further working day{'s' if days != 1 else ''} (section 10(3)).",
                event,
            )
        )
    if extension_days:
        pit_days += extension_days
        effects.append(
            ClockEffect(
                PIT_EXTENSION,
                f"Extension: {extension_days} further working "
                f"day{'s' if extension_days != 1 else ''}.",
            )
        )
    if pit_days > PIT_EXTENSION_NORMAL_MAX:
        warnings.append(
            f"Extensions total {pit_days} working days. The ICO expects a public interest "
            f"extension to be no more than {PIT_EXTENSION_NORMAL_MAX} further working days "
            "except in exceptional cases."
        )
    working_days += pit_days

    if stopped_since is not None:
        deadline = day_one = statutory_deadline = None
    else:
        day_one = add_working_days(counted_from, 1, calendar, disregarded=disregarded)
        deadline = add_working_days(counted_from, working_days, calendar, disregarded=disregarded)
        statutory_deadline = add_working_days(
            counted_from, base_days, calendar, disregarded=disregarded
        )
        if deadline is None:
            open_fee = next(first for first, last in disregarded if last is None)
            stopped_since, stopped_reason = open_fee, "awaiting payment of the fee"

    explanation = DeadlineExplanation(
        regime_code=regime_code,
        rule=rule,
        received_on=received_on,
        receipt_counted=receipt,
        counted_from=counted_from,
        day_one=day_one,
        deadline=deadline,
        statutory_deadline=statutory_deadline,
        working_days=working_days,
        calendar=calendar,
        events=effects,
        warnings=warnings,
        stopped_since=stopped_since,
        stopped_reason=stopped_reason,
    )
    if not explain:
        return explanation
    _list_days(explanation, disregarded)
    if deadline and calendar.data_ends_on and deadline > calendar.data_ends_on:
        warnings.append(
            f"The bank holiday data runs only to {format_day(calendar.data_ends_on)}; "
            "later bank holidays are not known, so check this date by hand."
        )
    explanation.lines = _lines(explanation)
    return explanation


def _list_days(explanation, disregarded):
    """Name every weekday not counted between receipt and the deadline."""
    calendar = explanation.calendar
    last = explanation.deadline or explanation.stopped_since
    day = explanation.receipt_counted
    while last is not None and day < last:
        day += datetime.timedelta(days=1)
        if day.weekday() >= 5:
            continue
        reason = calendar.non_working_reason(day)
        if reason:
            explanation.excluded_days.append(ExcludedDay(day, reason))
        elif day in calendar.forced_working:
            explanation.counted_despite_data.append(ExcludedDay(day, calendar.forced_working[day]))
        elif day > explanation.counted_from and period_containing(day, disregarded):
            explanation.excluded_days.append(
                ExcludedDay(day, "disregarded while a fees notice awaited payment")
            )


def _lines(x):
    calendar_words = CALENDAR_DESCRIPTIONS.get(x.calendar.key, x.calendar.description)
    lines = [
        f"Regime: {x.regime_code}. Not working days: Saturdays, Sundays, Christmas Day, "
        f"Good Friday and {calendar_words}.",
        f"Received: {format_day(x.received_on)}.",
    ]
    for effect in x.events:
        lines.append(effect.text)
    if x.counted_from != x.receipt_counted:
        lines.append(
            "Received on a non-working day, so treated as received on "
            f"{format_day(x.counted_from)} (2018 Code of Practice rule)."
        )
    if x.day_one:
        lines.append(f"Day one: {format_day(x.day_one)} (the first working day counted).")
    if x.excluded_days:
        lines.append("Weekdays not counted:")
        lines.extend(f"  {day}" for day in x.excluded_days)
    for day in x.counted_despite_data:
        lines.append(f"Counted as a working day: {day}")
    lines.append(f"Working days allowed: {x.working_days}.")
    lines.extend(f"Warning: {warning}" for warning in x.warnings)
    if x.deadline:
        lines.append(f"Deadline: {format_day(x.deadline)} (working day {x.working_days}).")
    else:
        lines.append(
            f"Deadline: none while the clock is stopped ({x.stopped_reason} since "
            f"{format_day(x.stopped_since)})."
        )
    return lines


def deadline_for(
    received_on, regime_code, *, extension_days=0, events=(), rule=None, overrides=None
):
    """The response deadline, or None while a clarification or fee is awaited."""
    return explain_deadline(
        received_on,
        regime_code,
        extension_days=extension_days,
        events=events,
        rule=rule,
        overrides=overrides,
    ).deadline


def case_deadline(case, *, overrides=None, events=None, notices=None, rule=None, explain=True):
    """The explained deadline for a case.

    In a list, pass each case's ``events`` and decision ``notices`` (or prefetch
    ``clock_events`` and ``decision_notices``) and ``overrides=load_overrides()`` so no row
    costs a query (``case.regime`` and ``case.authority`` should be select_related too).
    The explanation's ``calendar`` is the one to count with.
    """
    if events is None:
        events = list(case.clock_events.all())
    code = case.regime.code
    base_days = review_days(code) if case.kind == Case.Kind.INTERNAL_REVIEW else RESPONSE_DAYS
    explanation = explain_deadline(
        case.received_on,
        code,
        events=events,
        rule=rule,
        overrides=overrides,
        base_days=base_days,
        authority_calendar=case.authority.bank_holiday_calendar,
        explain=explain,
    )
    if notices is None:
        notices = list(case.decision_notices.all())
    if notices:
        apply_decision_notice(explanation, max(notices, key=lambda n: (n.created_at, n.pk)))
    return explanation


def case_deadlines(cases, *, overrides=None, queryset=None):
    """{case pk: explanation without its text} for a list of cases, in a fixed number of
    queries: the cases' clock events and decision notices are read in one query each
    (prefetch_related would clone a queryset per case, which at a few hundred cases costs
    more than the counting). ``case.regime`` and ``case.authority`` should be loaded; a
    case can be anything with the attributes ``case_deadline`` reads (worklist.ClockedCase).
    ``queryset``, the query ``cases`` came from, selects their rows by a subquery rather
    than by a list of hundreds of keys."""
    if not cases:
        return {}
    if overrides is None:
        overrides = load_overrides()
    events = _by_case(ClockEvent, cases, queryset)
    notices = _by_case(DecisionNotice, cases, queryset)
    # Most open cases have no clock events or notices, and many share a day of receipt:
    # their deadline depends on nothing else, so each such combination is counted once.
    plain = {}
    explanations = {}
    for case in cases:
        if events[case.pk] or notices[case.pk]:
            explanations[case.pk] = case_deadline(
                case,
                overrides=overrides,
                events=events[case.pk],
                notices=notices[case.pk],
                explain=False,
            )
            continue
        key = (case.received_on, case.kind, case.regime.pk, case.authority.pk)
        if key not in plain:
            plain[key] = case_deadline(
                case, overrides=overrides, events=[], notices=[], explain=False
            )
        explanations[case.pk] = plain[key]
    return explanations


def _by_case(model, cases, queryset=None):
    """Each case's rows of ``model`` (in the model's own order), in one query."""
    by_pk = {case.pk: case for case in cases}
    rows = defaultdict(list)
    within = list(by_pk) if queryset is None else queryset.values("pk")
    for row in model.objects.filter(case__in=within):
        owner = by_pk[row.case_id]
        if isinstance(owner, Case):  # not the work list's ClockedCase
            row.case = owner  # no query if a row asks for its case
        rows[row.case_id].append(row)
    return rows


def apply_decision_notice(explanation, notice):
    """A decision notice sets a date of its own: the fresh response is due by it.

    The Commissioner's compliance date replaces the statutory one (it is not an
    extension, so a response by then is in time); the explanation says where it came from.
    """
    deadline = notice.compliance_deadline
    text = (
        f"Decision notice {notice.reference} of {format_day(notice.notice_date)} requires a "
        f"fresh response by {format_day(deadline)}: that date is now the deadline."
    )
    explanation.events.append(ClockEffect("decision_notice", text))
    explanation.deadline = explanation.statutory_deadline = deadline
    explanation.stopped_since, explanation.stopped_reason = None, ""
    explanation.lines = [*explanation.lines[:-1], text, f"Deadline: {format_day(deadline)}."]


# ------------------------------------------------------------------ internal review


def review_request_deadline(response_date, regime_code, *, overrides=None):
    """Last day the requester can ask for an internal review: 40 working days."""
    calendar = working_days_calendar(regime_code, overrides=overrides)
    return add_working_days(response_date, REVIEW_REQUEST_DAYS, calendar)


def review_days(regime_code, *, complex=False):
    """Working days allowed for an internal review: 20, or 40 for a complex FOIA review.

    EIR reg 11(4) allows 40 working days for every review; FOISA s21(1) allows 20 and
    has no extension. A FOIA review is marked complex by a ``COMPLEX_REVIEW`` clock
    event (``clock_events.start_event``), which ``explain_deadline`` applies.
    """
    if regime_code == Regime.EIR:
        return REVIEW_DAYS_MAX
    if regime_code == Regime.FOISA:
        return REVIEW_DAYS
    return REVIEW_DAYS_MAX if complex else REVIEW_DAYS
