"""One year's figures, per calendar quarter, from a fixed number of aggregate queries.

Requests and internal reviews count in the quarter they were *received* (as the central
government tables do); their status is the status today. Nothing here reads a row per
case into Python: each query groups in the database, so the page costs the same number
of queries at 100 cases or 100,000 (tests/test_statistics.py counts them).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import ExtractQuarter
from django.utils import timezone

from exemptions.models import Exemption, Regime
from responses.models import (
    Case,
    DecisionNotice,
    InternalReviewOutcome,
    IssuedDocument,
    Letter,
    RecordedCitation,
)
from responses.statistics.outcomes import (
    RESOLVABLE,
    SET_ASIDE,
    WITHHELD_IN_FULL,
    Initial,
)

QUARTERS = (1, 2, 3, 4)
Timeliness = IssuedDocument.Timeliness
ReviewOutcome = InternalReviewOutcome.Outcome


@dataclass
class Row:
    """One line of a table: a label and a count per quarter (the year is their sum)."""

    key: str
    label: str
    by_quarter: dict = field(default_factory=lambda: dict.fromkeys(QUARTERS, 0))

    @property
    def year(self):
        return sum(self.by_quarter.values())

    @property
    def cells(self):
        return [self.by_quarter[q] for q in QUARTERS] + [self.year]


def _sum(key, label, rows):
    return Row(key, label, {q: sum(row.by_quarter[q] for row in rows) for q in QUARTERS})


@dataclass
class YearFigures:
    year: int
    requests: dict  # Initial value -> Row
    ncnd: Row
    timeliness: dict  # Timeliness value -> Row
    provisions: list  # Rows, one per provision as cited ("section 24(2)")
    sections: dict  # CSV column name -> Row, every exemption in the catalogue
    reviews: dict  # "received", outcome values, "pending" -> Row
    decision_notices: Row  # the Commissioner's notices recorded, by the notice's date
    first_year: int
    last_year: int

    # -- The headline rows, each defined once -----------------------------------------

    @property
    def received(self):
        return _sum("received", "Requests received", self.requests.values())

    def of(self, *kinds):
        return [self.requests[kind] for kind in kinds]

    @property
    def received_excluding_set_aside(self):
        kept = [row for key, row in self.requests.items() if key not in SET_ASIDE]
        return _sum("received_kept", "Received, excluding on hold, lapsed, withdrawn", kept)

    @property
    def resolvable(self):
        return _sum("resolvable", "Resolvable requests", self.of(*RESOLVABLE))

    @property
    def withheld_in_full(self):
        return _sum("withheld_in_full", "Withheld in full", self.of(*WITHHELD_IN_FULL))

    @property
    def answered(self):
        return _sum("answered", "Answered", self.timeliness.values())

    @property
    def in_time(self):
        rows = [self.timeliness[Timeliness.IN_TIME], self.timeliness[Timeliness.WITHIN_EXTENSION]]
        return _sum("in_time", "Answered in time", rows)

    @staticmethod
    def percent(part, whole):
        """Per quarter and for the year, as whole percentages ("" where nothing to divide)."""
        return [
            f"{round(100 * p / w)}%" if w else "–"
            for p, w in zip(part.cells, whole.cells, strict=True)
        ]

    def quarter_labels(self):
        return [f"Q{q} {self.year}" for q in QUARTERS]


# --- Queries -------------------------------------------------------------------------


def _year_bounds(year):
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


CLOSED_AS = {
    Case.Status.WITHDRAWN: Initial.WITHDRAWN,
    Case.Status.LAPSED: Initial.LAPSED,
    Case.Status.DUPLICATE: Initial.DUPLICATE,
    Case.Status.ON_HOLD: Initial.ON_HOLD,
}


def initial_of(status, recorded):
    """A request's line in the tables: its closure, or the outcome recorded at issue."""
    if status in CLOSED_AS:
        return CLOSED_AS[status]
    if status != Case.Status.RESPONDED:
        return Initial.NOT_YET_PROCESSED
    return Initial(recorded) if recorded else Initial.UNRECORDED


def _request_figures(start, end):
    """Requests by quarter and initial outcome, the NCND flag and timeliness: one query.

    Each request's outcome, NCND flag and first response's timeliness were recorded on
    the case when the response was issued (statistics.recorded), so this groups one
    table, by an index that holds every column it reads.
    """
    grouped = (
        Case.objects.filter(kind=Case.Kind.REQUEST, received_on__gte=start, received_on__lt=end)
        .order_by()
        .annotate(quarter=ExtractQuarter("received_on"))
        .values(
            "quarter",
            "status",
            "statistics_outcome",
            "statistics_ncnd",
            "first_response_timeliness",
        )
        .annotate(n=Count("pk"))
    )
    requests = {initial: Row(initial.value, initial.label) for initial in Initial}
    ncnd = Row("ncnd", "Neither confirm nor deny used (counted in its outcome as well)")
    timeliness = {
        value: Row(value, label)
        for value, label in [
            (Timeliness.IN_TIME, "20-day deadline met"),
            (Timeliness.WITHIN_EXTENSION, "Within a permitted extension"),
            (Timeliness.LATE, "Late"),
        ]
    }
    for row in grouped:
        quarter, number = row["quarter"], row["n"]
        requests[initial_of(row["status"], row["statistics_outcome"])].by_quarter[quarter] += number
        if row["statistics_ncnd"] and row["status"] == Case.Status.RESPONDED:
            ncnd.by_quarter[quarter] += number
        # The first response counts, whatever happened to the case since; a correction
        # does not count again.
        if row["first_response_timeliness"]:
            timeliness[row["first_response_timeliness"]].by_quarter[quarter] += number
    return requests, ncnd, timeliness


def section_column(exemption):
    """The central government CSV column for an exemption: "S(24) - National security"."""
    number = re.match(r"[0-9]+[A-Z]?", exemption.section)
    code = exemption.regime.code
    if code == Regime.EIR:
        return f"EIR Reg {exemption.cited_section} - {exemption.title}"
    if code == Regime.FOISA:
        return f"FOISA S({number.group(0) if number else exemption.section}) - {exemption.title}"
    return f"S({number.group(0) if number else exemption.section}) - {exemption.title}"


def _provisions(start, end):
    """Responded requests citing each provision, per quarter: one grouped query.

    The page counts each provision as cited (24(1), 24(2)); the CSV counts each section
    once per request, whichever subsection or mode was cited.
    """
    # What each responded request cited was recorded at issue (statistics.recorded),
    # once per request, exemption and mode.
    recorded = (
        RecordedCitation.objects.filter(
            case__kind=Case.Kind.REQUEST,
            case__status=Case.Status.RESPONDED,
            case__received_on__gte=start,
            case__received_on__lt=end,
        )
        .order_by()
        .annotate(quarter=ExtractQuarter("case__received_on"))
    )
    # Requests citing a section: one row of each case's per exemption counts_for_section.
    grouped = recorded.values("exemption_id", "mode", "quarter").annotate(
        n=Count("pk"), requests=Count("pk", filter=Q(counts_for_section=True))
    )
    exemptions = {
        exemption.pk: exemption
        for exemption in Exemption.objects.select_related("regime").order_by(
            "regime__code", "position", "pk"
        )
    }
    provisions = {}
    for row in grouped:
        exemption = exemptions[row["exemption_id"]]
        try:
            provision = exemption.provision_for(row["mode"])
        except ValueError:  # an NCND citation of an exemption without an NCND provision
            provision = exemption.cited_section
        prefix = "regulation" if exemption.regime.code == Regime.EIR else "section"
        label = f"{exemption.regime.code} {prefix} {provision}"
        item = provisions.setdefault(label, Row(label, label))
        item.by_quarter[row["quarter"]] += row["n"]
    # The CSV's columns: every non-procedural exemption, whether cited or not.
    sections = {}
    column_of = {}
    for exemption in exemptions.values():
        if exemption.procedural:
            continue
        column = section_column(exemption)
        column_of[exemption.pk] = column
        sections.setdefault(column, Row(column, column))
    for row in grouped:
        column = column_of.get(row["exemption_id"])
        if column:
            sections[column].by_quarter[row["quarter"]] += row["requests"]
    ordered = sorted(provisions.values(), key=lambda row: (-row.year, row.label))
    return ordered, sections


def _reviews(start, end):
    """Internal reviews received per quarter, and the outcomes sent: two grouped queries."""
    received = (
        Case.objects.filter(
            kind=Case.Kind.INTERNAL_REVIEW, received_on__gte=start, received_on__lt=end
        )
        .order_by()
        .annotate(quarter=ExtractQuarter("received_on"))
        .values("quarter")
        .annotate(n=Count("pk"))
    )
    figures = {"received": Row("received", "Internal reviews received")}
    for value, label in ReviewOutcome.choices:
        figures[value] = Row(value, label)
    figures["pending"] = Row("pending", "Outcome not sent yet, or closed without one")
    for row in received:
        figures["received"].by_quarter[row["quarter"]] = row["n"]
    outcomes = (
        InternalReviewOutcome.objects.filter(
            letter__status=Letter.Status.ISSUED,
            letter__corrects__isnull=True,
            letter__case__kind=Case.Kind.INTERNAL_REVIEW,
            letter__case__received_on__gte=start,
            letter__case__received_on__lt=end,
        )
        .order_by()
        .annotate(quarter=ExtractQuarter("letter__case__received_on"))
        .values("quarter", "outcome")
        .annotate(n=Count("letter__case", distinct=True))
    )
    for row in outcomes:
        figures[row["outcome"]].by_quarter[row["quarter"]] += row["n"]
    for q in QUARTERS:
        decided = sum(figures[value].by_quarter[q] for value in ReviewOutcome.values)
        figures["pending"].by_quarter[q] = max(figures["received"].by_quarter[q] - decided, 0)
    return figures


def _decision_notices(start, end):
    """The Commissioner's decision notices recorded (each with the fresh response it
    requires), per quarter of the notice's date: the complaints the app knows about."""
    row = Row("decision_notices", "Decision notices requiring a fresh response")
    notices = (
        DecisionNotice.objects.filter(notice_date__gte=start, notice_date__lt=end)
        .order_by()
        .annotate(quarter=ExtractQuarter("notice_date"))
        .values("quarter")
        .annotate(n=Count("case", distinct=True))
    )
    for notice in notices:
        row.by_quarter[notice["quarter"]] = notice["n"]
    return row


def _years():
    """The first and last year with a request (min and max read the index)."""
    bounds = Case.objects.filter(kind=Case.Kind.REQUEST).aggregate(
        first=Min("received_on"), last=Max("received_on")
    )
    today = timezone.localdate()
    first = bounds["first"].year if bounds["first"] else today.year
    last = max(bounds["last"].year if bounds["last"] else today.year, today.year)
    return first, last


def year_figures(year: int) -> YearFigures:
    start, end = _year_bounds(year)
    requests, ncnd, timeliness = _request_figures(start, end)
    provisions, sections = _provisions(start, end)
    first, last = _years()
    return YearFigures(
        year=year,
        requests=requests,
        ncnd=ncnd,
        timeliness=timeliness,
        provisions=provisions,
        sections=sections,
        reviews=_reviews(start, end),
        decision_notices=_decision_notices(start, end),
        first_year=min(first, year),
        last_year=max(last, year),
    )
