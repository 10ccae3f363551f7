"""Full-text search over the public copies, the same call on PostgreSQL and SQLite.

PostgreSQL keeps a stored ``tsvector`` on each Publication (English configuration, GIN
index); SQLite keeps an FTS5 table (``responses_publication_fts``, Porter stemming) whose
rowid is the Publication's id. Both are written by ``index`` and cleared by ``unindex``,
which the workflow calls when an entry is published or leaves the log, so the index
never holds words a reader may no longer see.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import QuerySet, Value
from django.db.models.expressions import RawSQL

from responses.models import Publication

CONFIG = "english"
WORDS = re.compile(r"\w+", re.UNICODE)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def index(publication: Publication, text: str) -> None:
    """Make the entry findable by the words of its public copy."""
    if _is_postgres():
        Publication.objects.filter(pk=publication.pk).update(
            search_vector=SearchVector(Value(text), config=CONFIG)
        )
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM responses_publication_fts WHERE rowid = %s", [publication.pk])
        cursor.execute(
            "INSERT INTO responses_publication_fts (rowid, text) VALUES (%s, %s)",
            [publication.pk, text],
        )


def unindex(publication: Publication) -> None:
    """Take the entry's words out of the index."""
    if _is_postgres():
        Publication.objects.filter(pk=publication.pk).update(search_vector=None)
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM responses_publication_fts WHERE rowid = %s", [publication.pk])


def fts5_query(query: str) -> str:
    """The reader's words as an FTS5 query: each word quoted (so no word is taken as an
    operator), all of them required."""
    return " ".join(f'"{word}"' for word in WORDS.findall(query))


def matching(queryset: QuerySet[Publication], query: str) -> QuerySet[Publication]:
    """The entries of ``queryset`` whose public text contains the words of ``query``."""
    query = query.strip()
    if not WORDS.search(query):
        return queryset
    if _is_postgres():
        return queryset.filter(
            search_vector=SearchQuery(query, config=CONFIG, search_type="websearch")
        )
    # bandit: fixed SQL; the reader's words are a bound parameter, quoted word by word.
    fts_match = RawSQL(  # nosec B611
        "SELECT rowid FROM responses_publication_fts WHERE responses_publication_fts MATCH %s",
        [fts5_query(query)],
    )
    return queryset.filter(pk__in=fts_match)
