"""Earlier answers to similar questions, and similar requests received recently.

An authority must answer the same kind of question the same way every time: a "neither
confirm nor deny" to one requester and a confirmation to another defeats both. So, beside
the decision editor, the officer sees how the most similar questions were answered in
issued responses; and on the case page, which similar requests came in lately (a round
robin, a campaign, or the same requester again, for section 12(4) aggregation and
section 14(2) repeats).

Similarity is full text, kept by the database itself so no code path can forget it:
PostgreSQL has a generated ``tsvector`` column with a GIN index on the question and case
tables (English configuration) and ranks with ``ts_rank``; SQLite has FTS5 tables over the
same text, kept in step by triggers, ranked with ``bm25``. Both are made by migration
0024. The ranking finds candidates; ``overlap`` (the share of meaningful words two texts
have in common) says how close each one is, the same way on both databases.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q

from responses.models import (
    Case,
    Citation,
    Decision,
    IssuedDocument,
    Letter,
    Question,
    Requester,
)
from responses.working_days import format_day, working_day_before, working_days_calendar

WORDS = re.compile(r"[^\W_]+", re.UNICODE)

# Words that say nothing about what is asked. PostgreSQL's English configuration drops its
# own stop words; SQLite's FTS5 has none, and the overlap measure must agree on both.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out
    over own please provide same she should so some such than that the their theirs them
    then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours also copy copies
    information request requested requesting details number many much dear team
    foi freedom act thank thanks regards sir madam kind faithfully sincerely""".split()
)
MOST_TERMS = 30  # the longest distinct words of a text make its query; enough to rank by
SHOWN = 0.2  # overlap below which a ranked question is too different to be worth showing
CLOSE = 0.5  # overlap at which a precedent counts as the same question
SIMILAR_REQUEST = 0.3  # overlap at which another requester's request is worth showing
REPEAT_WINDOW_WORKING_DAYS = 60

# The outcomes that tell the requester whether the information is held.
CONFIRMING = frozenset(
    {
        Decision.Outcome.PROVIDED,
        Decision.Outcome.PROVIDED_IN_PART,
        Decision.Outcome.NOT_HELD,
        Decision.Outcome.WITHHELD,
    }
)


def content_words(text: str) -> set[str]:
    return {word for word in (w.lower() for w in WORDS.findall(text)) if word not in STOP_WORDS} - {
        ""
    }


def overlap(a: str, b: str) -> float:
    """The share of the two texts' meaningful words they have in common (0 to 1)."""
    first, second = content_words(a), content_words(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _query_terms(text: str) -> list[str]:
    words = sorted(content_words(text), key=lambda word: (-len(word), word))
    return [word for word in words if not word.isdigit()][:MOST_TERMS]


def _ranked_ids(
    table: str,
    text: str,
    *,
    where: str,
    params: list,
    limit: int,
    keep: str = "TRUE",
    keep_params: tuple = (),
) -> list[int]:
    """Ids of ``table``'s rows whose text best matches ``text``, best first.

    ``where`` selects the rows ranked; ``keep`` (which may cost a subquery per row) is
    checked only on the best ``RANKED_FOR_KEEP`` times ``limit`` of them, and the rows it
    keeps are returned. ``table``, ``where`` and ``keep`` are fixed strings of this module,
    never user input; the words and every value are bound parameters.
    """
    terms = _query_terms(text)
    if not terms:
        return []
    if connection.vendor == "postgresql":
        return _postgres_ranked_ids(
            table,
            terms,
            where=where,
            params=params,
            limit=limit,
            keep=keep,
            keep_params=keep_params,
        )
    fts = f"{table}_fts"
    # bandit: the table and the conditions are this module's fixed strings (see above).
    sql = (
        "SELECT t.id FROM ("  # nosec B608
        f"SELECT t.*, bm25({fts}) AS rank FROM {fts} JOIN {table} t ON t.id = {fts}.rowid "
        f"WHERE {fts} MATCH %s AND {where} "
        "ORDER BY rank, t.id DESC LIMIT %s"
        f") t WHERE {keep} ORDER BY t.rank, t.id DESC LIMIT %s"
    )
    match = " OR ".join(f'"{term}"' for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *params, limit * RANKED_FOR_KEEP, *keep_params, limit])
        return [row[0] for row in cursor.fetchall()]


# How many of the best-ranked rows ``keep`` is checked on, per row wanted: among the most
# similar questions almost all were answered in an issued response, and checking that of
# every row sharing a few words cost more than the ranking.
RANKED_FOR_KEEP = 5


# Rows are found by their rarest words and ranked by all of them, so a search reads a few
# hundred rows, not every row with "cost" or "contract" in it: the rarest words are taken,
# at least three where the text has them, until together they are expected in no more than
# this share of the rows. A text with unusual words finds its candidates by one of them.
CANDIDATE_SHARE = 0.002
# The newest rows a search looks at first (about half a year of a busy force's questions).
RECENT_ROWS = 20_000
MIN_FINDING_WORDS = 3
STATISTICS_SECONDS = 600
_frequencies: dict[str, tuple[float, dict[str, float]]] = {}


def _lexeme_frequencies(table: str) -> dict[str, float]:
    """The share of rows holding each common word, from PostgreSQL's own statistics
    (ANALYZE keeps the most common elements of a tsvector column), read every 10 minutes."""
    now = time.monotonic()
    cached = _frequencies.get(table)
    if cached and cached[0] > now:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = %s AND attname = %s",
            [table, "search_vector"],
        )
        row = cursor.fetchone()
    frequencies = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _frequencies[table] = (now + STATISTICS_SECONDS, frequencies)
    return frequencies


_newest: dict[str, tuple[float, int]] = {}


def _newest_id(table: str) -> int:
    """The table's highest id, read every 10 minutes like the word statistics (rows added
    meanwhile only make the newest rows searched first a few more)."""
    now = time.monotonic()
    cached = _newest.get(table)
    if cached and cached[0] > now:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(id) FROM {table}")  # nosec B608 - a fixed name
        newest = cursor.fetchone()[0] or 0
    _newest[table] = (now + STATISTICS_SECONDS, newest)
    return newest


def _tsquery(lexemes: list[str], operator: str) -> str:
    return f" {operator} ".join("'" + lexeme.replace("'", "''") + "'" for lexeme in lexemes)


def _finding_words(lexemes: list[str], frequencies: dict[str, float]) -> list[str]:
    """The rarest lexemes, enough of them to be expected in few rows together."""
    # A word the statistics do not list is rarer than every word they do.
    rare = min(frequencies.values(), default=CANDIDATE_SHARE) / 2
    ordered = sorted(lexemes, key=lambda lexeme: (frequencies.get(lexeme, rare), lexeme))
    chosen, share = [], 1.0
    for lexeme in ordered:
        chosen.append(lexeme)
        share *= frequencies.get(lexeme, rare)
        if share <= CANDIDATE_SHARE and len(chosen) >= MIN_FINDING_WORDS:
            break
    return chosen


def _postgres_ranked_ids(table, terms, *, where, params, limit, keep, keep_params):
    with connection.cursor() as cursor:
        cursor.execute("SELECT lexeme FROM unnest(to_tsvector('english', %s))", [" ".join(terms)])
        lexemes = [row[0] for row in cursor.fetchall()]
        if not lexemes:
            return []
        finding = _finding_words(lexemes, _lexeme_frequencies(table))
        ranking = _tsquery(lexemes, "|")
        # All the finding words, then fewer while too few rows have them all, and last any
        # one of them (a similar text need not share the rarest word).
        queries = [_tsquery(finding[:n], "&") for n in range(len(finding), 0, -1)]
        if len(finding) > 1:
            queries.append(_tsquery(finding, "|"))
        # Each query looks at the newest rows first: when they hold enough matches, the
        # older ones are not ranked (a text asked thousands of times would otherwise rank
        # every copy); otherwise it looks at every row.
        newest = _newest_id(table)
        floors = [newest - RECENT_ROWS, 0] if newest > RECENT_ROWS else [0]
        found: list[int] = []
        for found_by in queries:
            for floor in floors:
                if len(found) >= limit:
                    break
                # bandit: the table and the conditions are this module's fixed strings.
                cursor.execute(
                    "SELECT t.id FROM ("  # nosec B608
                    f"SELECT t.*, ts_rank(t.search_vector, %s::tsquery) AS rank FROM {table} t "
                    f"WHERE t.search_vector @@ %s::tsquery AND t.id > %s AND {where} "
                    "ORDER BY rank DESC, t.id DESC LIMIT %s"
                    f") t WHERE {keep} ORDER BY t.rank DESC, t.id DESC LIMIT %s",
                    [
                        ranking,
                        found_by,
                        floor,
                        *params,
                        limit * RANKED_FOR_KEEP,
                        *keep_params,
                        limit,
                    ],
                )
                found += [row[0] for row in cursor.fetchall() if row[0] not in found]
        return found[:limit]


# A case whose response has been issued; its decisions are precedents.
ISSUED_RESPONSE = (
    "EXISTS (SELECT 1 FROM responses_letter l "
    "JOIN responses_letterversion v ON v.letter_id = l.id "
    "JOIN responses_issueddocument d ON d.version_id = v.id "
    "WHERE l.case_id = t.case_id AND l.kind = %s)"
)


@dataclass(frozen=True)
class Precedent:
    question: Question
    decision: Decision
    issued_on: datetime.date
    similarity: float

    @property
    def case(self) -> Case:
        return self.question.case

    @property
    def provisions(self) -> list[str]:
        return [citation.provision for citation in self.decision.citations.all()]

    @property
    def neither_confirms_nor_denies(self) -> bool:
        return is_ncnd(self.decision)

    @property
    def is_close(self) -> bool:
        return self.similarity >= CLOSE


def is_ncnd(decision: Decision) -> bool:
    return decision.outcome == Decision.Outcome.NCND or any(
        citation.mode == Citation.Mode.NCND for citation in decision.citations.all()
    )


def _issued_dates(case_ids) -> dict[int, datetime.date]:
    dates = {}
    issued = IssuedDocument.objects.filter(
        version__letter__case__in=case_ids, version__letter__kind=Letter.Kind.RESPONSE
    ).values_list("version__letter__case_id", "issued_at")
    for case_id, issued_at in issued.order_by("issued_at"):
        dates.setdefault(case_id, issued_at.date())
    return dates


# How long a question's precedents are remembered. They change when a response is issued,
# and the newest issued document is part of the key, so this bounds only what the key does
# not see: an issued case reopened and its decisions changed.
PRECEDENTS_CACHE_SECONDS = 600


def precedents_for(text: str, *, exclude_case: Case | None = None, limit: int = 3):
    """Decisions in issued responses on the questions most like ``text``, closest first.

    Remembered until the next response is issued: the letter editor, the review page and
    the decision editor all ask, on every load, for each question of the case."""
    exclude_pk = exclude_case.pk if exclude_case else 0
    newest_issued = IssuedDocument.objects.aggregate(newest=Max("pk"))["newest"] or 0
    digest = hashlib.sha256(text.encode()).hexdigest()
    key = f"precedents:{newest_issued}:{exclude_pk}:{limit}:{digest}"
    found = cache.get(key)
    if found is None:
        found = _find_precedents(text, exclude_pk, limit)
        cache.set(key, found, PRECEDENTS_CACHE_SECONDS)
    return found


def _find_precedents(text: str, exclude_pk: int, limit: int) -> list[Precedent]:
    ids = _ranked_ids(
        "responses_question",
        text,
        where="t.case_id <> %s",
        params=[exclude_pk],
        keep=ISSUED_RESPONSE,
        keep_params=(Letter.Kind.RESPONSE.value,),
        limit=limit * 3,
    )
    if not ids:
        return []
    questions = {
        question.pk: question
        for question in Question.objects.filter(pk__in=ids).select_related("case")
    }
    decisions = Decision.objects.filter(questions__in=ids).prefetch_related(
        "questions", "citations__exemption"
    )
    decision_of = {}
    for decision in decisions:
        for question in decision.questions.all():
            decision_of.setdefault(question.pk, decision)
    issued = _issued_dates({question.case_id for question in questions.values()})
    found = [
        Precedent(
            question=questions[pk],
            decision=decision_of[pk],
            issued_on=issued[questions[pk].case_id],
            similarity=overlap(text, questions[pk].text),
        )
        for pk in ids
        if pk in decision_of and questions[pk].case_id in issued
    ]
    found.sort(key=lambda precedent: -precedent.similarity)
    return [precedent for precedent in found if precedent.similarity >= SHOWN][:limit]


def precedents_by_question(case: Case, questions, *, limit: int = 3):
    """[(question, [Precedent, ...]), ...] for the questions the officer is deciding."""
    return [
        (question, precedents_for(question.text, exclude_case=case, limit=limit))
        for question in questions
    ]


def provision_precedents(exemptions, *, exclude_case: Case | None = None, limit: int = 3):
    """[(exemption, [Citation, ...]), ...]: the latest decisions citing each one in an
    issued response, newest first (an index on the citations' exemption and id lets the
    database stop at the first few, however often the exemption was cited)."""
    issued = IssuedDocument.objects.filter(
        version__letter__case=OuterRef("decision__case"),
        version__letter__kind=Letter.Kind.RESPONSE,
    )
    result = []
    for exemption in exemptions:
        citations = (
            Citation.objects.filter(Exists(issued), exemption=exemption)
            .exclude(decision__case=exclude_case)
            .select_related("decision__case", "exemption")
            .prefetch_related("decision__questions")
            .order_by("-pk")[:limit]
        )
        result.append((exemption, list(citations)))
    return result


def differs_from(decision: Decision, precedent: Precedent) -> str | None:
    """Why answering ``decision`` this way contradicts a close precedent, if it does."""
    if not precedent.is_close:
        return None
    if (
        is_ncnd(decision)
        and precedent.decision.outcome in CONFIRMING
        and not (precedent.neither_confirms_nor_denies)
    ):
        return (
            f"neither confirms nor denies, but {precedent.case.reference} answered a "
            f"similar question ({precedent.decision.get_outcome_display().lower()}) "
            f"on {format_day(precedent.issued_on)}"
        )
    if (
        decision.outcome in CONFIRMING
        and not is_ncnd(decision)
        and (precedent.neither_confirms_nor_denies)
    ):
        return (
            f"confirms whether the information is held, but {precedent.case.reference} "
            f"neither confirmed nor denied it for a similar question on "
            f"{format_day(precedent.issued_on)}"
        )
    return None


@dataclass(frozen=True)
class SimilarRequest:
    case: Case
    similarity: float
    same_requester: bool


def _same_requester(case: Case):
    """The requester's records: this one, and any other with the same email address."""
    same = Q(pk=case.requester_id)
    if case.requester.email:
        same |= Q(email__iexact=case.requester.email)
    return Requester.objects.filter(same).values("pk")


def repeats_for(case: Case, *, limit: int = 5) -> dict[str, list[SimilarRequest]]:
    """Requests received within 60 working days of ``case``: every one from the same
    requester (section 12(4) aggregation, section 14(2) repeats), and the most similar
    ones from anyone else (a round robin or a campaign)."""
    calendar = working_days_calendar(
        case.regime.code, authority_calendar=case.authority.bank_holiday_calendar
    )
    since = working_day_before(case.received_on, REPEAT_WINDOW_WORKING_DAYS, calendar)
    recent = Case.objects.filter(received_on__gte=since).exclude(pk=case.pk)

    same = recent.filter(requester__in=_same_requester(case)).select_related("regime")
    by_requester = [
        SimilarRequest(other, overlap(case.request_text, other.request_text), True)
        for other in same.order_by("-received_on", "-pk")[: limit * 2]
    ]
    ids = _ranked_ids(
        "responses_case",
        case.request_text,
        where="t.id <> %s AND t.received_on >= %s AND t.requester_id <> %s",
        params=[case.pk, since, case.requester_id],
        limit=limit * 3,
    )
    others = (
        Case.objects.filter(pk__in=ids)
        .exclude(requester__in=_same_requester(case))
        .select_related("regime")
    )
    by_others = sorted(
        (
            SimilarRequest(other, overlap(case.request_text, other.request_text), False)
            for other in others
        ),
        key=lambda similar: -similar.similarity,
    )
    return {
        "since": since,
        "same_requester": by_requester,
        "others": [similar for similar in by_others if similar.similarity >= SIMILAR_REQUEST][
            :limit
        ],
    }
