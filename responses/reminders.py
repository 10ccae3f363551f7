"""Daily deadline reminders: run once a day from cron (see the README).

The assigned officer is emailed five working days before a deadline and on the
day; the team gets one list of overdue cases. Each reminder is an audit event, so
running the command twice on one day sends nothing twice.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone

from responses import worklist
from responses.models import CaseEvent
from responses.permissions import OFFICERS

FIVE_DAYS_BEFORE = "five_days_before"
DUE_TODAY = "due_today"
OVERDUE = "overdue"


def already_sent(case, kind, today):
    return CaseEvent.objects.filter(
        case=case,
        action=CaseEvent.Action.REMINDER_SENT,
        details__kind=kind,
        details__on=today.isoformat(),
    ).exists()


def case_url(case):
    return f"{settings.SITE_URL}/cases/{case.pk}/"


def send_reminders(*, today: datetime.date | None = None) -> list[str]:
    """Send what is due today; returns a list of one-line descriptions of what was sent."""
    today = today or timezone.localdate()
    sent = []
    overdue = []
    for item in worklist.work_items(today=today):
        case = item.case
        if item.bucket == worklist.Bucket.OVERDUE:
            overdue.append(item)
            continue
        kind = {worklist.DUE_SOON_WORKING_DAYS: FIVE_DAYS_BEFORE, 0: DUE_TODAY}.get(
            item.working_days_left
        )
        if item.deadline is None or kind is None or not case.assigned_to:
            continue
        if not case.assigned_to.email or already_sent(case, kind, today):
            continue
        when = "today" if kind == DUE_TODAY else f"in 5 working days, on {item.deadline:%A %-d %B}"
        send_mail(
            f"{case.reference} is due {when}",
            f"The response to {case.reference} ({case.subject or 'no subject'}) is due {when}.\n\n"
            f"{case_url(case)}\n",
            None,
            [case.assigned_to.email],
        )
        CaseEvent.objects.record(
            case, CaseEvent.Action.REMINDER_SENT, None, kind=kind, on=today.isoformat()
        )
        sent.append(f"{case.reference}: {kind} to {case.assigned_to.email}")
    unsent_overdue = [item for item in overdue if not already_sent(item.case, OVERDUE, today)]
    team = list(
        get_user_model()
        .objects.filter(groups__name=OFFICERS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if unsent_overdue and team:
        lines = [
            f"{item.case.reference}  due {item.deadline:%d %b %Y}, {item.days_overdue} working "
            f"day{'s' if item.days_overdue != 1 else ''} overdue, "
            f"{item.case.assigned_to or 'unassigned'}  {case_url(item.case)}"
            for item in unsent_overdue
        ]
        send_mail(
            f"{len(unsent_overdue)} overdue FOI case(s)",
            "These cases are past their deadline:\n\n" + "\n".join(lines) + "\n",
            None,
            team,
        )
        for item in unsent_overdue:
            CaseEvent.objects.record(
                item.case, CaseEvent.Action.REMINDER_SENT, None, kind=OVERDUE, on=today.isoformat()
            )
        sent.append(f"overdue list ({len(unsent_overdue)} cases) to {len(team)} officers")
    return sent
