"""The working-day calendar: which days count, and counting them.

FOIA s10(6) and EIR reg 2(1): a working day is any day except Saturday, Sunday,
Christmas Day, Good Friday and a bank holiday in *any* part of the UK, so the
UK-wide calendar is the union of the three GOV.UK divisions. FOISA s73 uses
Scotland's bank holidays only.

Bank holidays come from GOV.UK's JSON: the copy bundled with ``govuk-bank-holidays``,
or a fresher copy saved under ``var/`` by ``manage.py refresh_bank_holidays``.
Administrators correct it with ``BankHolidayOverride`` rows (proclaimed or disputed
days). Calendars are built once per process; overrides are read per call unless
the caller passes a preloaded set (the work list does, to avoid a query per row).

The case clock built on it (clarifications, fees, extensions, the explanation) is
``responses.deadlines``.
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
from govuk_bank_holidays.bank_holidays import BankHolidays

from exemptions.models import Regime
from responses.models import Authority, BankHolidayOverride

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

# The two calendars, keyed like BankHolidayOverride rows (an override for BOTH applies to each).
UK_WIDE_CALENDAR = BankHolidayOverride.Calendar.UK_WIDE
SCOTLAND_CALENDAR = BankHolidayOverride.Calendar.SCOTLAND
BOTH_CALENDARS = BankHolidayOverride.Calendar.BOTH

# Fixed by statute (FOIA s10(6), EIR reg 2(1), FOISA s73), not by the Regime rows.
REGIME_CALENDARS = {
    Regime.FOIA: UK_WIDE_CALENDAR,
    Regime.EIR: UK_WIDE_CALENDAR,
    Regime.FOISA: SCOTLAND_CALENDAR,
}
CALENDAR_DIVISIONS = {UK_WIDE_CALENDAR: UK_DIVISIONS, SCOTLAND_CALENDAR: (SCOTLAND,)}
CALENDAR_DESCRIPTIONS = {
    UK_WIDE_CALENDAR: "bank holidays in any part of the UK",
    SCOTLAND_CALENDAR: "Scottish bank holidays",
}

ICO_RULE = "ico"
CODE_2018_RULE = "code2018"


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


@functools.cache
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
    # day -> reason (or None), filled as days are asked about: a work list asks about the
    # same few hundred days for every case.
    _reasons: dict = field(default_factory=dict, compare=False, repr=False)
    # (start, n) -> day and (a, b) -> count, for counts without disregarded periods: most
    # open cases share their receipt dates, and every row counts to today.
    _counted: dict = field(default_factory=dict, compare=False, repr=False)

    def non_working_reason(self, day):
        try:
            return self._reasons[day]
        except KeyError:
            reason = self._reasons[day] = self._non_working_reason(day)
            return reason

    def _non_working_reason(self, day):
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
    if regime_code == Regime.EIR and authority_calendar == Authority.Calendar.SCOTLAND:
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
    if not disregarded:
        key = ("add", start, n)
        if key not in calendar._counted:
            calendar._counted[key] = _add_working_days(start, n, calendar, ())
        return calendar._counted[key]
    return _add_working_days(start, n, calendar, disregarded)


def _add_working_days(start, n, calendar, disregarded):
    day = start
    counted = 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if not calendar.is_working_day(day):
            continue
        period = period_containing(day, disregarded)
        if period is None:
            counted += 1
        elif period[1] is None:
            return None
    return day


def working_day_before(start, n, calendar):
    """The n-th working day before ``start`` (``start`` itself never counts)."""
    day = start
    counted = 0
    while counted < n:
        day -= datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def period_containing(day, periods):
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
    key = ("between", a, b)
    if key not in calendar._counted:
        calendar._counted[key] = _working_days_between(a, b, calendar)
    return calendar._counted[key]


def _working_days_between(a, b, calendar):
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


def receipt_rule(rule):
    rule = rule or getattr(settings, "DEADLINE_RECEIPT_RULE", ICO_RULE)
    if rule not in (ICO_RULE, CODE_2018_RULE):
        raise ValueError(f"Unknown receipt rule {rule!r}; expected 'ico' or 'code2018'.")
    return rule
