"""The case list: every case, searched, filtered, sorted and paged.

The search looks for its words in the reference, the requester's name and email and the
subject (plain substring matches), and in the request text through the full-text index
the precedents use (PostgreSQL ``search_vector``, SQLite FTS5 ``responses_case_fts``), so
it stays fast with many cases. Deadlines are computed only for the rows on the page shown,
with one query for the calendar and prefetches for the clock, however many rows there are.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from responses import deadlines
from responses.models import Case

WORD = re.compile(r"\w+")


class Sort:
    NEWEST = "newest"
    OLDEST = "oldest"
    REFERENCE = "reference"
    CHOICES = [
        (NEWEST, "Received (newest first)"),
        (OLDEST, "Received (oldest first)"),
        (REFERENCE, "Reference"),
    ]
    ORDER = {
        NEWEST: ("-received_on", "-pk"),
        OLDEST: ("received_on", "pk"),
        REFERENCE: ("reference",),
    }


OPEN = "open"
CLOSED = "closed"
CLOSED_STATUSES = (Case.Status.RESPONDED, *Case.CLOSED_WITHOUT_LETTER)
UNASSIGNED = "none"


def request_text_matches(text: str) -> Q:
    """Cases whose request text holds every word of ``text`` (by the full-text index)."""
    words = WORD.findall(text)
    if not words:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        return Q(
            pk__in=RawSQL(
                "SELECT id FROM responses_case "
                "WHERE search_vector @@ plainto_tsquery('english', %s)",
                [" ".join(words)],
            )
        )
    if connection.vendor == "sqlite":
        match = " AND ".join('"' + word.replace('"', '""') + '"' for word in words)
        return Q(
            pk__in=RawSQL(
                "SELECT rowid FROM responses_case_fts WHERE responses_case_fts MATCH %s", [match]
            )
        )
    return Q(request_text__icontains=text)


def text_matches(text: str) -> Q:
    text = text.strip()
    return (
        Q(reference__icontains=text)
        | Q(requester__name__icontains=text)
        | Q(requester__email__icontains=text)
        | Q(subject__icontains=text)
        | request_text_matches(text)
    )


def search_cases(
    *,
    text="",
    states=(),
    statuses=(),
    regimes=(),
    officer=None,
    received_from=None,
    received_to=None,
    kinds=(),
    sort=Sort.NEWEST,
    user=None,
):
    """The cases matching every filter given, in ``sort`` order.

    ``officer`` is "me" (``user``), "none" (unassigned), a user, or None for anyone.
    """
    cases = Case.objects.select_related("requester", "assigned_to", "regime", "authority")
    if text and text.strip():
        cases = cases.filter(text_matches(text))
    if states and not (OPEN in states and CLOSED in states):
        if OPEN in states:
            cases = cases.exclude(status__in=CLOSED_STATUSES)
        else:
            cases = cases.filter(status__in=CLOSED_STATUSES)
    if statuses:
        cases = cases.filter(status__in=statuses)
    if regimes:
        cases = cases.filter(regime__code__in=regimes)
    if officer == "me":
        cases = cases.filter(assigned_to=user)
    elif officer == UNASSIGNED:
        cases = cases.filter(assigned_to__isnull=True)
    elif officer is not None:
        cases = cases.filter(assigned_to=officer)
    if received_from:
        cases = cases.filter(received_on__gte=received_from)
    if received_to:
        cases = cases.filter(received_on__lte=received_to)
    if kinds:
        cases = cases.filter(kind__in=kinds)
    return cases.order_by(*Sort.ORDER.get(sort, Sort.ORDER[Sort.NEWEST]))


@dataclass
class CaseRow:
    case: Case
    is_open: bool
    deadline: object = None  # a date, or None while the clock is stopped
    overdue: bool = False


def rows_for(cases, *, today=None) -> list[CaseRow]:
    """The page's cases with their deadlines: a fixed number of queries for any page."""
    today = today or timezone.localdate()
    cases = list(cases)

    open_cases = [case for case in cases if case.status not in CLOSED_STATUSES]
    explanations = deadlines.case_deadlines(open_cases)
    rows = []
    for case in cases:
        row = CaseRow(case, is_open=case.pk in explanations)
        if row.is_open:
            row.deadline = explanations[case.pk].deadline
            row.overdue = row.deadline is not None and row.deadline < today
        rows.append(row)
    return rows
