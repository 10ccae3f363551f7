"""The only place a case or letter changes status.

Every function here checks the current state, changes it and writes the audit
event in one transaction, and is called the same way from views, commands, the
admin and tests. An illegal move raises ``TransitionError`` with a message meant
for the person who tried it.
"""

from django.db import transaction

from responses.models import Case, CaseEvent, Question


class TransitionError(Exception):
    """A status change that is not allowed from the current state."""


def record_event(case, actor, action, *, from_status="", to_status="", comment="", **details):
    """Append one row to the case's audit trail."""
    return CaseEvent.objects.create(
        case=case,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        details=details,
    )


@transaction.atomic
def open_case(*, actor, authority, regime, requester, questions=(), **fields):
    """Log a new request: the case, its numbered questions and the audit row."""
    case = Case.objects.create(authority=authority, regime=regime, requester=requester, **fields)
    for number, text in enumerate(questions, start=1):
        Question.objects.create(case=case, number=number, text=text)
    record_event(case, actor, "case_opened", to_status=case.status, reference=case.reference)
    return case
