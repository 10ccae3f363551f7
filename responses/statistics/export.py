"""The figures as CSV, one line per quarter and one for the year, in the central
government tables' column names where they have one."""

import csv
import io

from responses.models import IssuedDocument
from responses.statistics.figures import QUARTERS
from responses.statistics.outcomes import Initial

Timeliness = IssuedDocument.Timeliness


def columns(figures):
    """[(column name, Row)] in the order the CSV gives them."""
    requests = figures.requests
    named = [
        ("Total requests received", figures.received),
        ("Requests on hold", requests[Initial.ON_HOLD]),
        ("Requests lapsed", requests[Initial.LAPSED]),
        ("Requests withdrawn", requests[Initial.WITHDRAWN]),
        ("Requests closed as duplicates", requests[Initial.DUPLICATE]),
        (
            "Total requests received (excluding on-hold and lapsed)",
            figures.received_excluding_set_aside,
        ),
        ('Total "resolvable" requests', figures.resolvable),
        ("Initial Outcome Granted in full", requests[Initial.GRANTED]),
        ("Initial Outcome Partially withheld", requests[Initial.PARTIAL]),
        ("Initial Outcome Withheld in full", figures.withheld_in_full),
        ("Initial Outcome Not yet processed", requests[Initial.NOT_YET_PROCESSED]),
        ("Information not held", requests[Initial.NOT_HELD]),
        ("Neither confirm nor deny (flag)", figures.ncnd),
        ("Fully refused - cost limit", requests[Initial.COST_LIMIT]),
        ("Fully refused - vexatious", requests[Initial.VEXATIOUS]),
        ("Fully refused - repeated", requests[Initial.REPEATED]),
        ("Fully withheld - exemptions", requests[Initial.WITHHELD]),
        ("20-day deadline met", figures.timeliness[Timeliness.IN_TIME]),
        ("Permitted extension to 20-day deadline", figures.timeliness[Timeliness.WITHIN_EXTENSION]),
        ("Deadline not met", figures.timeliness[Timeliness.LATE]),
        ("Responded to in time", figures.in_time),
        ("Internal reviews received", figures.reviews["received"]),
        ("Internal review Upheld", figures.reviews["upheld"]),
        ("Internal review Upheld in part", figures.reviews["upheld_in_part"]),
        ("Internal review Overturned", figures.reviews["overturned"]),
        ("Internal review Outcome not sent", figures.reviews["pending"]),
        ("Commissioner decision notices requiring a fresh response", figures.decision_notices),
    ]
    return named + list(figures.sections.items())


def figures_csv(figures, authority_name=""):
    out = io.StringIO()
    writer = csv.writer(out)
    table = columns(figures)
    writer.writerow(["Public body", "Period", *[name for name, _ in table]])
    for q, label in zip(QUARTERS, figures.quarter_labels(), strict=True):
        writer.writerow([authority_name, label, *[row.by_quarter[q] for _, row in table]])
    writer.writerow([authority_name, str(figures.year), *[row.year for _, row in table]])
    return out.getvalue()
