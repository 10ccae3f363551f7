"""Requester links: an unguessable token per case, of which only the hash is kept.

The token itself exists only in the email we send; a leaked database gives no
working links, and a link for one case can never open another.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from responses.models import Case, CaseEvent, IssuedDocument, RequesterLink

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def hash_token(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_url(token):
    return settings.SITE_URL + reverse("portal_case", args=[token])


def find_active_link(token):
    """The live link for this token, or None whether it is unknown, expired or revoked."""
    if not token or len(token) > 100:
        return None
    link = (
        RequesterLink.objects.select_related("case__regime", "case__authority")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None or not link.is_active():
        return None
    return link


@transaction.atomic
def issue_link(
    case: Case, *, actor: User | None = None, revoke_others: bool = True
) -> tuple[RequesterLink, str]:
    """A new link for the case; earlier live links stop working. Returns (link, token)."""
    now = timezone.now()
    if revoke_others:
        for old in RequesterLink.objects.filter(case=case).active(now):
            old.revoked_at = now
            old.save(update_fields=["revoked_at"])
    token = secrets.token_urlsafe(32)
    link = RequesterLink.objects.create(
        case=case,
        token_hash=hash_token(token),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        created_at=now,
        expires_at=now + timedelta(days=settings.REQUESTER_LINK_MAX_AGE_DAYS),
    )
    CaseEvent.objects.record(
        case, CaseEvent.Action.REQUESTER_LINK_CREATED, actor, expires=link.expires_at.isoformat()
    )
    return link, token


@transaction.atomic
def revoke_links(case: Case, *, actor: User) -> int:
    """Stop every live link for the case; returns how many were live."""
    now = timezone.now()
    live = list(RequesterLink.objects.select_for_update().filter(case=case).active(now))
    for link in live:
        link.revoked_at = now
        link.save(update_fields=["revoked_at"])
    CaseEvent.objects.record(case, CaseEvent.Action.REQUESTER_LINK_REVOKED, actor, count=len(live))
    return len(live)


def email_link(case: Case, token: str, *, reason: str) -> bool:
    """Send the requester their link; returns False if we hold no email address for them."""
    address = case.requester.email
    if not address:
        return False
    authority = case.authority.name
    body = (
        f"Dear {case.requester.name},\n\n"
        f"{reason}\n\n"
        f"You can follow your request {case.reference} and download our letters here:\n"
        f"{link_url(token)}\n\n"
        "Keep this link private: anyone who has it can see your request. "
        f"It works for {settings.REQUESTER_LINK_MAX_AGE_DAYS} days.\n\n"
        f"{authority}\n"
    )
    send_mail(
        subject=f"Your request {case.reference}",
        message=body,
        from_email=None,
        recipient_list=[address],
    )
    return True


def send_new_link(
    case: Case, *, actor: User, reason: str = "Here is a new link to your request."
) -> tuple[RequesterLink, str]:
    """Revoke the old links, make a new one and email it (after the transaction commits)."""
    link, token = issue_link(case, actor=actor)
    transaction.on_commit(lambda: email_link(case, token, reason=reason))
    return link, token


def record_download(document: IssuedDocument) -> CaseEvent:
    """The requester downloaded an issued PDF through their link: the history shows it."""
    letter = document.version.letter
    return CaseEvent.objects.record(
        letter.case,
        CaseEvent.Action.PDF_DOWNLOADED,
        None,
        letter=letter.pk,
        sha256=document.sha256,
    )
