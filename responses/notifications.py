"""Emails about letters in review: reviewers hear when a letter is sent to them, the officer
who sent it when it is returned or approved. Each person can turn them off.

The workflow calls these inside its transaction; the email is queued as a background task
once the change is committed, so a slow mail server never holds up the page and a change
that is rolled back sends nothing. The emails carry a link, never the letter's text or the
requester's details.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from responses.models import NotificationSetting
from responses.permissions import REVIEWERS

if TYPE_CHECKING:
    from responses.models import Letter, LetterVersion


def wants_review_emails(user) -> bool:
    setting = NotificationSetting.objects.filter(user=user).first()
    return setting is None or setting.review_emails


def _link(name: str, letter: Letter) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[letter.pk])


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _queue(recipients, subject: str, body: str) -> None:
    ids = [user.pk for user in recipients if user.email and wants_review_emails(user)]
    if ids:
        transaction.on_commit(lambda: send_review_email.enqueue(ids, subject, body))


def letter_submitted(letter: Letter, version: LetterVersion, actor) -> None:
    """Every active reviewer but the person who sent it."""
    reviewers = (
        get_user_model()
        .objects.filter(groups__name=REVIEWERS, is_active=True)
        .exclude(pk=actor.pk)
        .distinct()
    )
    kind = letter.get_kind_display().lower()
    _queue(
        reviewers,
        f"{letter.case.reference}: a {kind} is waiting for your review",
        f"{_name(actor)} sent version {version.number} of the {kind} for "
        f"{letter.case.reference} for review.\n\nRead it: {_link('review_letter', letter)}\n",
    )


def letter_returned(letter: Letter, version: LetterVersion, actor) -> None:
    kind = letter.get_kind_display().lower()
    _queue(
        [version.author],
        f"{letter.case.reference}: your {kind} was returned",
        f"{_name(actor)} returned version {version.number} of the {kind} for "
        f"{letter.case.reference}. Their comments are beside the sections in the editor:\n"
        f"{_link('letter_edit', letter)}\n",
    )


def letter_approved(letter: Letter, version: LetterVersion, actor) -> None:
    kind = letter.get_kind_display().lower()
    _queue(
        [version.author],
        f"{letter.case.reference}: your {kind} was approved",
        f"{_name(actor)} approved version {version.number} of the {kind} for "
        f"{letter.case.reference}. It can now be issued:\n{_link('letter_issue', letter)}\n",
    )


@task()
def send_review_email(user_ids: list[int], subject: str, body: str) -> int:
    """Send one email to each person still wanting it; how many were sent."""
    sent = 0
    for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        if user.email and wants_review_emails(user):
            send_mail(subject, body, None, [user.email])
            sent += 1
    return sent
