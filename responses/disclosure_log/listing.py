"""The published entries a reader asked for: filtered, searched, newest first, a page at
a time by keyset (published_at, pk), so a deep page costs what the first one does."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from responses.disclosure_log import search
from responses.models import Publication

PAGE_SIZE = 20


@dataclass(frozen=True)
class Filters:
    q: str = ""
    published_from: datetime.date | None = None
    published_to: datetime.date | None = None
    outcome: str = ""
    provision: str = ""
    regime: str = ""


def entries(filters: Filters) -> QuerySet[Publication]:
    """Every listed entry matching the filters (not yet ordered or paged)."""
    queryset = Publication.objects.listed().select_related("letter__case__regime", "copy")
    if filters.published_from:
        queryset = queryset.filter(published_at__gte=_start_of(filters.published_from))
    if filters.published_to:
        end = _start_of(filters.published_to + datetime.timedelta(days=1))
        queryset = queryset.filter(published_at__lt=end)
    if filters.outcome:
        queryset = queryset.filter(outcomes__contains=f"|{filters.outcome}|")
    if filters.provision:
        queryset = queryset.filter(provisions__icontains=f"|{filters.provision.strip()}|")
    if filters.regime:
        queryset = queryset.filter(regime_code=filters.regime)
    if filters.q:
        queryset = search.matching(queryset, filters.q)
    return queryset


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def cursor_for(publication: Publication) -> str:
    return f"{publication.published_at.isoformat()}~{publication.pk}"


def parse_cursor(value: str | None) -> tuple[datetime.datetime, int] | None:
    """A cursor from a Next or Previous link; anything else (edited by hand) is None."""
    if not value or "~" not in value:
        return None
    stamp, _, pk = value.rpartition("~")
    try:
        moment = datetime.datetime.fromisoformat(stamp)
        return (moment if timezone.is_aware(moment) else timezone.make_aware(moment)), int(pk)
    except ValueError:
        return None


@dataclass
class Page:
    entries: list[Publication]
    next_cursor: str | None
    previous_cursor: str | None


def page(
    queryset: QuerySet[Publication],
    *,
    after: str | None = None,
    before: str | None = None,
    size: int | None = None,
) -> Page:
    """One page, newest first: the entries after the ``after`` cursor (older), or before
    the ``before`` cursor (newer), or the first page."""
    size = size or PAGE_SIZE
    going_back = parse_cursor(before)
    going_on = None if going_back else parse_cursor(after)
    if going_back:
        moment, pk = going_back
        newer = Q(published_at__gt=moment) | Q(published_at=moment, pk__gt=pk)
        rows = list(queryset.filter(newer).order_by("published_at", "pk")[: size + 1])
        more_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        return Page(
            rows,
            next_cursor=cursor_for(rows[-1]) if rows else None,
            previous_cursor=cursor_for(rows[0]) if rows and more_newer else None,
        )
    if going_on:
        moment, pk = going_on
        queryset = queryset.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk))
    rows = list(queryset.order_by("-published_at", "-pk")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return Page(
        rows,
        next_cursor=cursor_for(rows[-1]) if rows and more_older else None,
        previous_cursor=cursor_for(rows[0]) if rows and going_on else None,
    )


def record(
    publication: Publication, *, html_url: str, pdf_url: str, enclosures: list | None = None
) -> dict:
    """An entry as the API gives it: nothing about the requester, ever."""
    case = publication.letter.case
    data = publication.copy.data
    return {
        "reference": case.reference,
        "slug": publication.slug,
        "subject": publication.copy.title,
        "regime": case.regime.code,
        "letter": publication.letter.kind,
        "received_on": case.received_on.isoformat(),
        "response_date": data.get("response_date"),
        "published_at": publication.published_at.isoformat(),
        "questions": data.get("questions", []),
        "decisions": data.get("decisions", []),
        "provisions_cited": data.get("provisions_cited", []),
        "html_url": html_url,
        "pdf_url": pdf_url,
        "pdf_sha256": publication.copy.sha256,
        # The published enclosures, and the annexes left out (available on request).
        "enclosures": enclosures or [],
        "enclosures_omitted": data.get("enclosures_omitted", []),
    }
