"""Compliance statistics: the staff page and CSV, and the public copies for publication.

The figures are aggregates (counts per quarter), never a case, a name or a reference,
so the public page and CSV show exactly what staff see, without the staff navigation.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from responses.models import Authority
from responses.permissions import case_worker_required
from responses.statistics import charts, export, figures
from responses.statistics.outcomes import Initial


def _year(request):
    """The year asked for, or this year with a message when it is not a year we can show."""
    today = timezone.localdate().year
    value = request.GET.get("year", "").strip()
    if not value:
        return today, ""
    if value.isdigit() and 2000 <= int(value) <= today + 1:
        return int(value), ""
    return today, f"“{value}” is not a year we have figures for: showing {today}."


def _context(request, *, public):
    year, error = _year(request)
    data = figures.year_figures(year)
    requests = data.requests
    authority = Authority.current()
    return {
        "figures": data,
        "year_error": error,
        "public": public,
        "authority_name": authority.name if authority else "",
        "years": list(range(data.last_year, data.first_year - 1, -1)),
        "received_rows": [
            data.received,
            requests[Initial.ON_HOLD],
            requests[Initial.LAPSED],
            requests[Initial.WITHDRAWN],
            requests[Initial.DUPLICATE],
            data.received_excluding_set_aside,
            data.resolvable,
        ],
        "received_chart": charts.quarter_chart(
            "Requests received, by what became of them",
            data,
            [
                data.answered,
                requests[Initial.NOT_YET_PROCESSED],
                requests[Initial.ON_HOLD],
                figures.Row(
                    "closed",
                    "Closed without a reply",
                    {
                        q: sum(
                            requests[kind].by_quarter[q]
                            for kind in (Initial.LAPSED, Initial.WITHDRAWN, Initial.DUPLICATE)
                        )
                        for q in figures.QUARTERS
                    },
                ),
            ],
        ),
        "timeliness_rows": [*data.timeliness.values(), data.in_time],
        "in_time_percent": data.percent(data.in_time, data.answered),
        "timeliness_chart": charts.quarter_chart(
            "Requests answered, against the deadline", data, list(data.timeliness.values())
        ),
        "outcome_rows": [
            requests[Initial.GRANTED],
            requests[Initial.PARTIAL],
            data.withheld_in_full,
            requests[Initial.WITHHELD],
            requests[Initial.COST_LIMIT],
            requests[Initial.VEXATIOUS],
            requests[Initial.REPEATED],
            requests[Initial.NOT_YET_PROCESSED],
            data.resolvable,
        ],
        "other_outcome_rows": [requests[Initial.NOT_HELD], data.ncnd, requests[Initial.UNRECORDED]],
        "granted_percent": data.percent(requests[Initial.GRANTED], data.resolvable),
        "outcome_chart": charts.quarter_chart(
            "Initial outcomes of resolvable requests",
            data,
            [
                requests[Initial.GRANTED],
                requests[Initial.PARTIAL],
                data.withheld_in_full,
                requests[Initial.NOT_YET_PROCESSED],
            ],
        ),
        "provisions_chart": charts.ranking_chart(
            "Requests citing each provision, this year", data.provisions
        ),
        "review_rows": list(data.reviews.values()),
        "notice_rows": [data.decision_notices],
        "review_chart": charts.quarter_chart(
            "Internal reviews, by outcome",
            data,
            [row for key, row in data.reviews.items() if key != "received"],
        ),
    }


@case_worker_required
@require_safe
def statistics_page(request):
    return render(request, "statistics/staff.html", _context(request, public=False))


@require_safe
def public_statistics(request):
    return render(request, "statistics/public.html", _context(request, public=True))


def _csv_response(request):
    year, _ = _year(request)
    authority = Authority.current()
    body = export.figures_csv(figures.year_figures(year), authority.name if authority else "")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="foi-statistics-{year}.csv"'
    return response


@case_worker_required
@require_safe
def statistics_csv(request):
    return _csv_response(request)


@require_safe
def public_statistics_csv(request):
    return _csv_response(request)
