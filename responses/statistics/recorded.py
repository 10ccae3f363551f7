"""What the statistics need of a request, recorded when a response is issued.

Deriving each request's initial outcome from its decisions and citations, and its
timeliness from its issued documents, on every page view costs joins over every case of
the year. Both are fixed once the response goes out, so workflow.issue records them: on
the case (statistics_outcome, statistics_ncnd, first_response_timeliness) and, for what it
cited, as RecordedCitation rows; the tables group those in the database. The data
migrations and ``fill_bench_data`` use the same code.
"""

from __future__ import annotations

from responses.models import Case, Citation, IssuedDocument, Letter, RecordedCitation
from responses.statistics.outcomes import classify

FIELDS = ["statistics_outcome", "statistics_ncnd", "first_response_timeliness"]


def cited_pairs(pairs):
    """(exemption id, mode) once each, in a fixed order."""
    return sorted(set(pairs))


def first_response_timeliness(timeliness):
    """A response issued with no deadline (the clock stopped) cannot be late."""
    return timeliness or IssuedDocument.Timeliness.IN_TIME


def record_at_issue(case: Case, letter: Letter, timeliness) -> None:
    """Called by workflow.issue in the transaction that marks the letter issued."""
    outcomes = list(case.decisions.values_list("outcome", flat=True))
    pairs = cited_pairs(
        Citation.objects.filter(decision__case=case).values_list("exemption_id", "mode")
    )
    cited = any(mode == Citation.Mode.NCND for _, mode in pairs)
    case.statistics_outcome, case.statistics_ncnd = classify(outcomes, ncnd_cited=cited)
    fields = ["statistics_outcome", "statistics_ncnd"]
    if (
        letter.kind == Letter.Kind.RESPONSE
        and letter.corrects_id is None
        and not case.first_response_timeliness
    ):
        case.first_response_timeliness = first_response_timeliness(timeliness)
        fields.append("first_response_timeliness")
    Case.objects.filter(pk=case.pk).update(**{name: getattr(case, name) for name in fields})
    # A correction or fresh response replaces what the case cited.
    RecordedCitation.objects.filter(case=case).delete()
    RecordedCitation.objects.bulk_create(citation_rows(case.pk, pairs))


def citation_rows(case_id, pairs):
    """The RecordedCitations of one case's (exemption id, mode) pairs."""
    seen = set()
    rows = []
    for exemption, mode in cited_pairs(pairs):
        rows.append(
            RecordedCitation(
                case_id=case_id,
                exemption_id=exemption,
                mode=mode,
                counts_for_section=exemption not in seen,
            )
        )
        seen.add(exemption)
    return rows
