"""Saving a case's request: scope, prioritisation note, searches and numbered questions.

Every save checks the revision the editor started from (optimistic locking), keeps
each question's identity where it survives (decisions point at questions), numbers
the questions 1..n and writes one audit row through ``CaseEvent.objects.record``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from responses.models import Case, CaseEvent, Question
from responses.workflow.record import REQUEST, TransitionError, before_record_change

if TYPE_CHECKING:
    from django.contrib.auth.models import User

REQUEST_FIELDS = ("subject", "scope", "prioritisation_note", "searches")


class StaleRevision(Exception):
    """Someone saved the case after this editor opened it."""

    def __init__(self, case):
        super().__init__(f"{case} was changed by someone else (now revision {case.revision}).")
        self.case = case


class QuestionInUse(Exception):
    """A question the editor removed is still answered by a decision."""

    def __init__(self, numbers):
        listed = ", ".join(f"Q{number}" for number in numbers)
        super().__init__(
            f"{listed} cannot be removed or merged away: a decision answers it. "
            "Take it out of the decision first."
        )
        self.numbers = numbers


class RecordFrozen(Exception):
    """The request cannot change now: an issued letter was written from it."""


@dataclass
class QuestionDraft:
    """One question as the editor left it: its existing id (if any) and text."""

    text: str
    question_id: int | None = None


@transaction.atomic
def save_request(
    case: Case, *, actor: User, revision: int, questions: Sequence[QuestionDraft], **fields: str
) -> Case:
    """Save the request's questions and fields if nobody else saved since ``revision``.

    ``questions`` is the list of QuestionDraft in the order the editor wants;
    ``fields`` may hold scope, prioritisation_note and searches. Raises StaleRevision
    (nothing saved) or QuestionInUse (nothing saved). Returns the refreshed case.
    """
    unknown = set(fields) - set(REQUEST_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected request fields: {', '.join(sorted(unknown))}")
    if "subject" in fields:
        fields["subject"] = fields["subject"].strip()
        if not fields["subject"]:
            raise ValueError("Give the case a short subject, so officers can tell it apart.")

    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.revision != revision:
        raise StaleRevision(current)

    existing = {question.pk: question for question in current.questions.all()}
    before_questions = [question.text for question in existing.values()]
    kept_ids = {draft.question_id for draft in questions if draft.question_id in existing}
    removed = [question for pk, question in existing.items() if pk not in kept_ids]
    in_use = sorted(question.number for question in removed if question.decisions.exists())
    if in_use:
        raise QuestionInUse(in_use)

    # The conditional update is the lock that also holds on databases without
    # SELECT ... FOR UPDATE: a concurrent save that got here first wins.
    changes = {
        name: {"before": getattr(current, name), "after": value}
        for name, value in fields.items()
        if getattr(current, name) != value
    }
    questions_changed = [(d.question_id, d.text) for d in questions] != [
        (q.pk, q.text) for q in sorted(existing.values(), key=lambda q: q.number)
    ]
    if questions_changed or any(name != "subject" for name in changes):
        # The subject is a label for officers; everything else here is quoted by letters.
        try:
            before_record_change(current, actor=actor, part=REQUEST)
        except TransitionError as error:
            raise RecordFrozen(str(error)) from None
    updated = Case.objects.filter(pk=current.pk, revision=revision).update(
        revision=F("revision") + 1, updated_at=timezone.now(), **fields
    )
    if not updated:
        raise StaleRevision(Case.objects.get(pk=current.pk))

    Question.objects.filter(pk__in=[question.pk for question in removed]).delete()
    # Move the survivors out of the way first: (case, number) is unique.
    Question.objects.filter(case=current, pk__in=kept_ids).update(number=F("number") + 100000)
    after_questions = []
    for number, draft in enumerate(questions, start=1):
        if draft.question_id in kept_ids:
            Question.objects.filter(pk=draft.question_id).update(number=number, text=draft.text)
        else:
            Question.objects.create(case=current, number=number, text=draft.text)
        after_questions.append(draft.text)

    details = {"revision": revision + 1}
    if changes:
        details["fields"] = changes
    if after_questions != before_questions:
        details["questions"] = {"before": before_questions, "after": after_questions}
    action = (
        CaseEvent.Action.QUESTIONS_CONFIRMED
        if not before_questions
        else CaseEvent.Action.REQUEST_UPDATED
    )
    CaseEvent.objects.record(current, action, actor, comment=_summary(changes, details), **details)

    current.refresh_from_db()
    return current


def _summary(changes, details):
    labels = {
        "subject": "subject",
        "scope": "scope",
        "prioritisation_note": "prioritisation note",
        "searches": "searches",
    }
    parts = [labels[name] for name in changes]
    if "questions" in details:
        count = len(details["questions"]["after"])
        parts.append(f"{count} question{'s' if count != 1 else ''}")
    if not parts:
        return "Saved without changes."
    return "Changed: " + ", ".join(parts) + "."
