"""The working-day clock: calendars, deadlines and the explanation behind each date.

FOIA s10(6) and EIR reg 2(1): a working day is any day except Saturday, Sunday,
Christmas Day, Good Friday and a bank holiday in *any* part of the UK, so the
UK-wide calendar is the union of the three GOV.UK divisions. FOISA s73 uses
Scotland's bank holidays only.

Bank holidays come from GOV.UK's JSON: the copy bundled with ``govuk-bank-holidays``,
or a fresher copy saved under ``var/`` by ``manage.py refresh_bank_holidays``.
Administrators correct it with ``BankHolidayOverride`` rows (proclaimed or disputed
days). Calendars are built once per process; overrides are read per call unless
the caller passes a preloaded set (the work list does, to avoid a query per row).
"""

import datetime
import functools
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

from django.conf import settings
from django.db import DatabaseError

logger = logging.getLogger(__name__)

ENGLAND_AND_WALES = "england-and-wales"
SCOTLAND = "scotland"
NORTHERN_IRELAND = "northern-ireland"
UK_DIVISIONS = (ENGLAND_AND_WALES, SCOTLAND, NORTHERN_IRELAND)
DIVISION_NAMES = {
    ENGLAND_AND_WALES: "England and Wales",
    SCOTLAND: "Scotland",
    NORTHERN_IRELAND: "Northern Ireland",
}

# BankHolidayOverride.Calendar values, kept here so this module imports no models.
UK_WIDE_CALENDAR = "uk-wide"
SCOTLAND_CALENDAR = "scotland"
BOTH_CALENDARS = "both"

REGIME_CALENDARS = {"FOIA": UK_WIDE_CALENDAR, "EIR": UK_WIDE_CALENDAR, "FOISA": SCOTLAND_CALENDAR}
CALENDAR_DIVISIONS = {UK_WIDE_CALENDAR: UK_DIVISIONS, SCOTLAND_CALENDAR: (SCOTLAND,)}
CALENDAR_DESCRIPTIONS = {
    UK_WIDE_CALENDAR: "bank holidays in any part of the UK",
    SCOTLAND_CALENDAR: "Scottish bank holidays",
}

RESPONSE_DAYS = 20
EIR_EXTENDED_DAYS = 40  # EIR reg 7: complex and voluminous requests
PIT_EXTENSION_NORMAL_MAX = 20  # ICO: normally no more than 20 further working days
REVIEW_REQUEST_DAYS = 40  # s45 Code, EIR reg 11(2), FOISA s20(5)
REVIEW_DAYS = 20
REVIEW_DAYS_MAX = 40

ICO_RULE = "ico"
CODE_2018_RULE = "code2018"

# Event kinds, matching ClockEvent.Kind values.
CLARIFICATION = "clarification"
FEES_NOTICE = "fees_notice"
PIT_EXTENSION = "pit_extension"
EIR_EXTENSION = "eir_extension"


def var_bank_holidays_path():
    return settings.VAR_DIR / "bank-holidays.json"


def format_day(day):
    """'Mon 17 Mar 2025': the form every explainer line uses."""
    return f"{day:%a} {day.day} {day:%b %Y}"


# --------------------------------------------------------------------------- data


class BankHolidayDataError(ValueError):
    """The JSON is not in GOV.UK's bank-holidays shape."""


def parse_bank_holiday_data(raw):
    """GOV.UK JSON -> {division: {date: title}}, refusing anything malformed."""
    if not isinstance(raw, dict):
        raise BankHolidayDataError("expected a JSON object keyed by division")
    parsed = {}
    for division in UK_DIVISIONS:
        events = (raw.get(division) or {}).get("events")
        if not isinstance(events, list) or not events:
            raise BankHolidayDataError(f"no events for {division}")
        days = {}
        for event in events:
            try:
                day = datetime.date.fromisoformat(event["date"])
                title = str(event["title"]).strip()
            except (KeyError, TypeError, ValueError) as error:
                raise BankHolidayDataError(f"bad event in {division}: {event!r}") from error
            if not title:
                raise BankHolidayDataError(f"event without a title in {division} on {day}")
            days[day] = title
        parsed[division] = days
    return parsed


def load_bank_holiday_data():
    """The parsed data and where it came from: the refreshed copy if usable, else bundled."""
    path = var_bank_holidays_path()
    if path.exists():
        try:
            return parse_bank_holiday_data(json.loads(path.read_text())), f"saved at {path}"
        except (OSError, ValueError) as error:
            logger.warning("Ignoring %s (%s); using the bundled bank holidays.", path, error)
    from govuk_bank_holidays.bank_holidays import BankHolidays

    # BankHolidays without a division only knows days common to every division, so
    # read each division ourselves and let the calendar take the union.
    bundled = BankHolidays(use_cached_holidays=True)
    raw = {
        division: {
            "events": [
                {"date": event["date"].isoformat(), "title": event["title"]}
                for event in bundled.get_holidays(division=division)
            ]
        }
        for division in UK_DIVISIONS
    }
    return parse_bank_holiday_data(raw), "bundled with govuk-bank-holidays"


@functools.cache
def _bank_holiday_data():
    return load_bank_holiday_data()


def bank_holiday_source():
    return _bank_holiday_data()[1]


def clear_calendar_cache():
    """Forget cached calendars, e.g. after refresh_bank_holidays saved new data."""
    _bank_holiday_data.cache_clear()
    _base_calendar.cache_clear()
    _calendar_with_overrides.cache_clear()


def easter_sunday(year):
    """Gregorian Easter (the anonymous algorithm), for Good Friday beyond the data."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    n = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * n) // 451
    month, day = divmod(h + n - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


# ----------------------------------------------------------------------- calendars


class HolidayOverride(NamedTuple):
    """A BankHolidayOverride row, detached from the database so it can be cached."""

    date: datetime.date
    calendar: str
    is_holiday: bool
    title: str
    reason: str


def load_overrides():
    """Every override row, once; pass the result to the functions below in a loop."""
    from responses.models import BankHolidayOverride

    try:
        return tuple(
            HolidayOverride(row.date, row.calendar, row.is_holiday, row.title, row.reason)
            for row in BankHolidayOverride.objects.order_by("date", "pk")
        )
    except DatabaseError:
        # An unmigrated database: the calendar still works from GOV.UK data alone.
        logger.warning("Bank holiday overrides unavailable; using GOV.UK data only.")
        return ()


@dataclass(frozen=True)
class WorkingDayCalendar:
    """Which days count. ``holidays`` maps a date to its name(s) and part(s) of the UK."""

    key: str
    description: str
    holidays: Mapping[datetime.date, str]
    # Days an administrator declared working despite the data: date -> explanation.
    forced_working: Mapping[datetime.date, str] = field(default_factory=dict)
    data_ends_on: datetime.date | None = None

    def non_working_reason(self, day):
        """Why ``day`` is not a working day, or None if it is one."""
        if day.weekday() == 5:
            return "Saturday"
        if day.weekday() == 6:
            return "Sunday"
        # Named in the statute itself, so no override or data gap can make them working days.
        if day.month == 12 and day.day == 25:
            return self.holidays.get(day, "Christmas Day")
        if day == easter_sunday(day.year) - datetime.timedelta(days=2):
            return self.holidays.get(day, "Good Friday")
        if day in self.forced_working:
            return None
        return self.holidays.get(day)

    def is_working_day(self, day):
        return self.non_working_reason(day) is None

    def next_working_day(self, day):
        """The first working day strictly after ``day``."""
        return add_working_days(day, 1, self)


def _label(title_divisions, divisions):
    """'Boxing Day (whole UK)', 'St Patrick’s Day (Northern Ireland)'."""
    parts = []
    for title, where in title_divisions.items():
        if len(divisions) > 1 and set(where) == set(divisions) == set(UK_DIVISIONS):
            parts.append(f"{title} (whole UK)")
        else:
            names = ", ".join(DIVISION_NAMES[d] for d in divisions if d in where)
            parts.append(f"{title} ({names})")
    return "; ".join(parts)


@functools.cache
def _base_calendar(divisions, key, description):
    data, _source = _bank_holiday_data()
    by_day = {}
    for division in divisions:
        for day, title in data[division].items():
            by_day.setdefault(day, {}).setdefault(title, []).append(division)
    holidays = {day: _label(titles, divisions) for day, titles in sorted(by_day.items())}
    last = max(max(data[division]) for division in divisions)
    return WorkingDayCalendar(
        key=key,
        description=description,
        holidays=MappingProxyType(holidays),
        data_ends_on=last,
    )


def calendar_for_divisions(divisions, *, key=None, description=None):
    """A calendar from chosen GOV.UK divisions, without overrides.

    Used for the UK-wide and Scottish calendars, and for showing what a wrong
    (England-and-Wales-only) calendar would give.
    """
    divisions = tuple(divisions)
    key = key or "+".join(divisions)
    description = description or "bank holidays in " + ", ".join(
        DIVISION_NAMES[d] for d in divisions
    )
    return _base_calendar(divisions, key, description)


@functools.lru_cache(maxsize=64)
def _calendar_with_overrides(key, overrides):
    base = calendar_for_divisions(
        CALENDAR_DIVISIONS[key], key=key, description=CALENDAR_DESCRIPTIONS[key]
    )
    relevant = [o for o in overrides if o.calendar in (key, BOTH_CALENDARS)]
    if not relevant:
        return base
    holidays = dict(base.holidays)
    forced_working = {}
    for override in relevant:
        if override.is_holiday:
            holidays[override.date] = f"{override.title} (added by an administrator)"
            forced_working.pop(override.date, None)
        else:
            was = holidays.pop(override.date, override.title)
            forced_working[override.date] = f"{was}: a working day after all ({override.reason})"
    return WorkingDayCalendar(
        key=key,
        description=base.description,
        holidays=MappingProxyType(holidays),
        forced_working=MappingProxyType(forced_working),
        data_ends_on=base.data_ends_on,
    )


def calendar_key(regime_code, authority_calendar=None):
    """FOIA's and FOISA's calendars are fixed by statute; environmental requests to a
    Scottish authority fall under the Scottish EIRs, which count Scottish holidays."""
    if regime_code == "EIR" and authority_calendar == SCOTLAND_CALENDAR:
        return SCOTLAND_CALENDAR
    try:
        return REGIME_CALENDARS[regime_code]
    except KeyError:
        raise ValueError(f"Unknown regime {regime_code!r}; expected FOIA, EIR or FOISA.") from None


def working_days_calendar(regime_code, *, overrides=None, authority_calendar=None):
    """The calendar for FOIA, EIR (UK-wide) or FOISA (Scotland), with overrides applied."""
    if overrides is None:
        overrides = load_overrides()
    key = calendar_key(regime_code, authority_calendar)
    return _calendar_with_overrides(key, tuple(overrides))


# -------------------------------------------------------------------- arithmetic


def add_working_days(start, n, calendar, *, disregarded=()):
    """The n-th working day after ``start`` (``start`` itself never counts).

    ``disregarded`` is a list of inclusive (first, last) periods whose working days
    are skipped (fees notices); ``last`` may be None for a period still running, in
    which case the answer is None if the count reaches it.
    """
    if n <= 0:
        return start
    day = start
    counted = 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if not calendar.is_working_day(day):
            continue
        period = _period_containing(day, disregarded)
        if period is None:
            counted += 1
        elif period[1] is None:
            return None
    return day


def _period_containing(day, periods):
    for first, last in periods:
        if first <= day and (last is None or day <= last):
            return (first, last)
    return None


def working_days_between(a, b, calendar):
    """How many working days after ``a`` up to and including ``b`` (negative if b < a).

    The inverse of add_working_days: working_days_between(a, add_working_days(a, n)) == n.
    """
    if b < a:
        return -working_days_between(b, a, calendar)
    count = 0
    day = a
    while day < b:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def effective_receipt(received_on, calendar, rule):
    """The date the count runs from under the chosen receipt rule.

    ICO: the calendar day of arrival, even a weekend. 2018 Code: a request arriving
    on a non-working day counts as received on the next working day.
    """
    if rule == CODE_2018_RULE and not calendar.is_working_day(received_on):
        return calendar.next_working_day(received_on)
    return received_on


def _receipt_rule(rule):
    rule = rule or getattr(settings, "DEADLINE_RECEIPT_RULE", ICO_RULE)
    if rule not in (ICO_RULE, CODE_2018_RULE):
        raise ValueError(f"Unknown receipt rule {rule!r}; expected 'ico' or 'code2018'.")
    return rule


# ---------------------------------------------------------------- the explanation


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
):
    """Work out the deadline and say how, step by step.

    ``base_days`` is 20 for a request; an internal review case passes its own period.
    """
    rule = _receipt_rule(rule)
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
            ClockEffect(PIT_EXTENSION, f"Extension: {extension_days} further working days.")
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
        elif day > explanation.counted_from and _period_containing(day, disregarded):
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


def case_deadline(case, *, overrides=None, events=None, rule=None):
    """The explained deadline for a case.

    In a list, prefetch ``clock_events`` and pass ``overrides=load_overrides()`` so
    no row costs a query (``case.regime`` and ``case.authority`` should be
    select_related too). The explanation's ``calendar`` is the one to count with.
    """
    if events is None:
        events = list(case.clock_events.all())
    code = case.regime.code
    base_days = review_days(code) if case.kind == "internal_review" else RESPONSE_DAYS
    return explain_deadline(
        case.received_on,
        code,
        events=events,
        rule=rule,
        overrides=overrides,
        base_days=base_days,
        authority_calendar=case.authority.bank_holiday_calendar,
    )


# ------------------------------------------------------------------ internal review


def review_request_deadline(response_date, regime_code, *, overrides=None):
    """Last day the requester can ask for an internal review: 40 working days."""
    calendar = working_days_calendar(regime_code, overrides=overrides)
    return add_working_days(response_date, REVIEW_REQUEST_DAYS, calendar)


def review_due_date(received_on, regime_code, complex=False, *, overrides=None):
    """When an internal review is due: 20 working days, or 40 for a complex review.

    EIR reg 11(4) allows 40 working days for every review; FOISA s21(1) allows 20 and
    has no extension.
    """
    calendar = working_days_calendar(regime_code, overrides=overrides)
    return add_working_days(received_on, review_days(regime_code, complex), calendar)


def review_days(regime_code, complex=False):
    if regime_code == "EIR":
        return REVIEW_DAYS_MAX
    if regime_code == "FOISA":
        return REVIEW_DAYS
    return REVIEW_DAYS_MAX if complex else REVIEW_DAYS
