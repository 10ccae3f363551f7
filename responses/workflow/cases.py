"""A case's own status: logged, on hold; the requester revealed; an internal review opened.
(Closing a case without a letter is closing.py.)"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from responses import permissions, replies
from responses.models import (
    Case,
    CaseEvent,
    Question,
)
from responses.workflow.transitions import (
    require,
    required_text,
    set_case_status,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def open_case(
    *, actor: User | None, authority, regime, requester, questions: Sequence[str] = (), **fields
) -> Case:
    """Log a new request: the case, its numbered questions and the audit row."""
    case = Case.objects.create(authority=authority, regime=regime, requester=requester, **fields)
    for number, text in enumerate(questions, start=1):
        Question.objects.create(case=case, number=number, text=text)
    CaseEvent.objects.record(
        case, CaseEvent.Action.CASE_OPENED, actor, to_status=case.status, reference=case.reference
    )
    return case


@transaction.atomic
def hold_case(case: Case, *, actor: User | None, reason: str) -> Case:
    """The clock stopped (clarification or fee awaited): the case waits on the requester."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Case.Status.OPEN:
        set_case_status(
            case, actor, Case.Status.ON_HOLD, CaseEvent.Action.CASE_ON_HOLD, reason=reason
        )
    return case


@transaction.atomic
def resume_case(case: Case, *, actor: User | None) -> Case:
    """Nothing is awaited any more: the case is worked on again."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Case.Status.ON_HOLD:
        set_case_status(case, actor, Case.Status.OPEN, CaseEvent.Action.CASE_RESUMED)
    return case


def reveal_requester(case: Case, *, actor: User, reason: str) -> CaseEvent:
    """FOI is applicant-blind: seeing who asked takes a reason, and is logged."""
    require(permissions.can_view_case(actor, case), "You cannot see this case.")
    reason = required_text(reason, "Say why you need to see who made the request.")
    return CaseEvent.objects.record(
        case, CaseEvent.Action.REQUESTER_REVEALED, actor, comment=reason
    )


@transaction.atomic
def request_internal_review(
    case: Case,
    *,
    text: str,
    review_deadline: date | None = None,
    actor: User | None = None,
    received_on: date | None = None,
    received_via: str | None = None,
) -> Case:
    """The requester asks for the response to be looked at again: from their page
    (no actor; the officer is emailed), or by email or post, logged by an officer."""
    require(case.kind == Case.Kind.REQUEST, "An internal review cannot itself be reviewed here.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(case.status == Case.Status.RESPONDED, "We have not responded to this request yet.")
    require(
        not case.internal_reviews.exists(), "An internal review of this request is already open."
    )
    today = timezone.localdate()
    received_on = received_on or today
    require(
        review_deadline is None or received_on <= review_deadline,
        "The time for asking for an internal review has passed.",
    )
    replied_on = replies.last_reply_on(case)
    if replied_on is not None:
        require(
            received_on >= replied_on,
            f"A review request dated {received_on:%-d %B %Y} is before our response of "
            f"{replied_on:%-d %B %Y} that it would review: check the date it arrived.",
        )
    text = required_text(text, "Tell us what you would like us to look at again.")
    review = open_case(
        actor=actor,
        authority=case.authority,
        regime=case.regime,
        requester=case.requester,
        kind=Case.Kind.INTERNAL_REVIEW,
        reviewed_case=case,
        request_text=text,
        subject=case.subject,
        received_on=received_on,
        received_via=received_via or Case.Channel.WEB_FORM,
        assigned_to=case.assigned_to,
    )
    CaseEvent.objects.record(
        case, CaseEvent.Action.INTERNAL_REVIEW_REQUESTED, actor, review_case=review.reference
    )
    if actor is None:
        transaction.on_commit(lambda: _tell_officer_about_review(case, review))
    return review


def _tell_officer_about_review(case: Case, review: Case) -> None:
    officer = case.assigned_to
    address = (officer.email if officer else "") or case.authority.email
    if not address:
        return
    send_mail(
        subject=f"Internal review requested: {case.reference}",
        message=(
            f"The requester has asked for an internal review of {case.reference}.\n"
            f"The review is logged as {review.reference}:\n"
            f"{settings.SITE_URL}{reverse('case_detail', args=[review.pk])}\n"
        ),
        from_email=None,
        recipient_list=[address],
    )
