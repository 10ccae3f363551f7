"""Checks on the letters that answer something earlier: a late internal review, a fresh
response without its decision notice."""

from __future__ import annotations

from collections.abc import Iterator

from responses import working_days
from responses.checks.registry import Severity, Subject, check
from responses.drafting.letter_kinds import is_late
from responses.models import Letter

Found = Iterator[tuple[str, str]]


def apology_note(subject: Subject, source: str) -> str:
    """What a late letter's warning adds: whether the planned apology (the paragraph from
    ``source``) is in the letter, or how to put it there."""
    apologises = any(
        paragraph.source == source
        for section in subject.sections
        for paragraph in section.paragraphs.all()
    )
    if apologises:
        return " The letter apologises for the delay (keep or edit that paragraph)."
    return " Press Update from decisions to add the apology paragraph."


@check("review-late", Severity.WARNING, letters=[Letter.Kind.REVIEW_OUTCOME])
def review_late(subject: Subject) -> Found:
    """A review past its deadline says so, and the letter apologises."""
    deadline, late, calendar = is_late(subject.case, subject.today)
    if not late:
        return
    days = working_days.working_days_between(deadline, subject.today, calendar)
    message = (
        f"This review was due on {deadline:%-d %B %Y}: sent today, it is late by {days} "
        f"working day{'s' if days != 1 else ''}."
    )
    yield "body", message + apology_note(subject, "review:apology")


@check("notice-missing", Severity.ERROR, letters=[Letter.Kind.FRESH_RESPONSE])
def notice_missing(subject: Subject) -> Found:
    if not hasattr(subject.letter, "decision_notice"):
        yield "replaces", "Record the decision notice this fresh response answers."
