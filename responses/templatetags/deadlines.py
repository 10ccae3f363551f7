"""Deadline tags for the case and review pages: {% deadline_explainer %}, {% time_left %}
and {% clock_actions %}."""

from django import template
from django.utils import timezone

from responses import clock_events, permissions
from responses.deadlines import case_deadline
from responses.forms.clock import ACTIONS
from responses.models import Case
from responses.working_days import working_days_between
from responses.worklist import DUE_SOON_WORKING_DAYS

register = template.Library()

ACTION_LABELS = {
    "clarification": "Record a request for clarification",
    "clarification_received": "Record the clarification received",
    "fees_notice": "Record a fees notice",
    "fee_paid": "Record the fee paid",
    "pit_extension": "Extend for the public interest test (section 10(3))",
    "eir_extension": "Extend to 40 working days (EIR regulation 7)",
    "complex_review": "Mark the review as complex (40 working days)",
}


@register.inclusion_tag("responses/_deadline_explainer.html")
def deadline_explainer(case, explanation=None):
    """The deadline with every step behind it; pass ``explanation`` if already computed."""
    return {"case": case, "explanation": explanation or case_deadline(case)}


@register.inclusion_tag("responses/_time_left.html")
def time_left(case, deadline, calendar):
    """Says "12 working days left", "Due today" or "Overdue by 2 working days", counted on the
    case's own calendar; nothing once the case is answered or closed, or the clock stopped."""
    days_left = None
    finished = case.status == Case.Status.RESPONDED or case.closed_without_letter
    if deadline is not None and not finished:
        days_left = working_days_between(timezone.localdate(), deadline, calendar)
    return {
        "days_left": days_left,
        "days_overdue": -days_left if days_left is not None and days_left < 0 else 0,
        "due_soon": days_left is not None and days_left <= DUE_SOON_WORKING_DAYS,
    }


@register.inclusion_tag("responses/clock/_actions.html", takes_context=True)
def clock_actions(context, case):
    """The case's clock events with undo links, and what can be recorded next."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    can_edit = user is not None and permissions.can_edit_case(user, case)
    events = list(case.clock_events.select_related("created_by"))
    actions = []
    if can_edit:
        allowed = clock_events.allowed_kinds(case)
        waiting = {e.kind for e in events if e.undone_at is None and e.ends_on is None}
        for slug, (_form, kind, answers) in ACTIONS.items():
            if kind not in allowed:
                continue
            if kind in clock_events.STOPPING_KINDS and (kind in waiting) != answers:
                continue  # offer "received"/"paid" only while waiting, the request otherwise
            if kind in clock_events.ONCE_ONLY_KINDS and any(
                e.kind == kind and e.undone_at is None for e in events
            ):
                continue
            actions.append((slug, ACTION_LABELS[slug]))
    return {"case": case, "events": events, "can_edit": can_edit, "actions": actions}
