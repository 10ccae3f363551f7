"""Consistency with earlier responses: the same question answered the same way.

A neither-confirm-nor-deny response protects nothing if a similar question was answered
outright before, and answering outright what was neither confirmed nor denied before
undoes the earlier one. Either may be right (circumstances change), so it is a warning:
the officer and the reviewer see it and decide.
"""

from __future__ import annotations

from collections.abc import Iterator

from responses import precedents
from responses.checks.registry import Severity, Subject, check
from responses.drafting.wording import question_label
from responses.models import Letter


@check("precedent-differs", Severity.WARNING, letters=[Letter.Kind.RESPONSE], on_case=True)
def precedent_differs(subject: Subject) -> Iterator[tuple[str, str]]:
    for decision in subject.decisions:
        for question in decision.questions.all():
            for precedent in precedents.precedents_for(
                question.text, exclude_case=subject.case, limit=1
            ):
                why = precedents.differs_from(decision, precedent)
                if why:
                    label = question_label([question.number])
                    yield f"decision-{decision.pk}", f"{label} {why}; check this is intended."
