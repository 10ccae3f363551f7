"""The disclosure log's entries: chosen at issue, published (now or on a date), held back
when the public copy names the requester, declined with a reason, withdrawn and published
again. Every change checks, changes, writes its audit row and keeps the search index in
step, in one transaction."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from exemptions.library_index import provision_key
from responses import checks, permissions
from responses.checks.public_copy import describe
from responses.disclosure_log import search
from responses.models import CaseEvent, IssuedDocument, Letter, Publication, PublicCopy
from responses.models.publication import reference_slug
from responses.workflow.transitions import require

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The letters that answer a request, and so belong in the log.
PUBLISHABLE = (Letter.Kind.RESPONSE, Letter.Kind.REVIEW_OUTCOME, Letter.Kind.FRESH_RESPONSE)
# Entries not yet in the log that may still go in, or be declined.
WAITING = (Publication.Status.PENDING, Publication.Status.SCHEDULED, Publication.Status.HELD)


def _lock(publication: Publication) -> Publication:
    return (
        Publication.objects.select_for_update()
        .select_related("letter__case")
        .get(pk=publication.pk)
    )


def _record(publication: Publication, action: str, actor, *, from_status: str, **details):
    CaseEvent.objects.record(
        publication.letter.case,
        action,
        actor,
        from_status=from_status,
        to_status=publication.status,
        letter=publication.letter_id,
        **details,
    )


def _move(publication, actor, to_status, action, *, comment="", fields=(), **details):
    from_status = publication.status
    publication.status = to_status
    publication.save(update_fields=["status", "updated_at", *fields])
    _record(publication, action, actor, from_status=from_status, comment=comment, **details)
    return publication


@transaction.atomic
def choose_publication(
    letter: Letter,
    *,
    actor: User,
    publish: bool,
    reason: str = "",
    publish_on: datetime.date | None = None,
) -> Publication:
    """The officer's choice on the issue page, before the letter is issued."""
    require(permissions.can_edit_case(actor, letter.case), "Only an officer can choose this.")
    require(letter.kind in PUBLISHABLE, "Only a response goes in the disclosure log.")
    require(
        letter.status == Letter.Status.APPROVED,
        "The disclosure log choice is made when an approved letter is issued.",
    )
    reason = reason.strip()
    require(publish or reason, "Say why this response will not be published.")
    publication, _ = Publication.objects.select_for_update().get_or_create(letter=letter)
    require(not hasattr(publication, "copy"), "This letter's public copy has already been made.")
    publication.chosen_by = actor
    publication.publish_on = publish_on if publish else None
    publication.reason = "" if publish else reason
    fields = ["chosen_by", "publish_on", "reason"]
    if publish:
        return _move(
            publication,
            actor,
            Publication.Status.PENDING,
            CaseEvent.Action.PUBLICATION_CHOSEN,
            fields=fields,
            publish_on=publish_on.isoformat() if publish_on else "",
        )
    return _move(
        publication,
        actor,
        Publication.Status.NOT_PUBLISHED,
        CaseEvent.Action.PUBLICATION_DECLINED,
        comment=reason,
        fields=fields,
    )


def _unique_slug(reference: str, letter: Letter) -> str:
    slug = reference_slug(reference)
    if Publication.objects.filter(slug=slug).exclude(letter=letter).exists():
        # A second published letter on one case (a correction): the letter's number keeps
        # both addresses stable.
        slug = f"{slug}-{letter.pk}"
    return slug


@transaction.atomic
def record_public_copy(
    document: IssuedDocument,
    *,
    pdf: bytes,
    html: str,
    text: str,
    data: dict[str, Any],
) -> PublicCopy | None:
    """Store the public copy of an issued letter, once. None when the officer chose not to
    publish it (nothing is made) or a copy already exists (the first one stands)."""
    letter = document.version.letter
    publication, _ = Publication.objects.get_or_create(letter=letter)
    publication = _lock(publication)
    if publication.status == Publication.Status.NOT_PUBLISHED:
        return None
    if PublicCopy.objects.filter(publication=publication).exists():
        return None
    case = letter.case
    copy = PublicCopy.objects.create(
        publication=publication,
        document=document,
        pdf=bytes(pdf),
        sha256=PublicCopy.digest(pdf),
        html=html,
        text=text,
        data=data,
        title=case.subject,
    )
    publication.slug = _unique_slug(case.reference, letter)
    publication.regime_code = case.regime.code
    publication.outcomes = Publication.barred(
        dict.fromkeys(decision["outcome"] for decision in data.get("decisions", []))
    )
    # Listed in statutory order (section 21 before 40(5B) before 43), not the letter's.
    publication.provisions = Publication.barred(
        sorted(data.get("provisions_cited", []), key=provision_key)
    )
    publication.save(update_fields=["slug", "regime_code", "outcomes", "provisions", "updated_at"])
    _record(
        publication,
        CaseEvent.Action.PUBLICATION_COPY_MADE,
        document.issued_by,
        from_status=publication.status,
        sha256=copy.sha256,
        slug=publication.slug,
    )
    return copy


def public_copy_parts(publication: Publication) -> dict[str, str]:
    """Every part of the stored public copy a reader can get at, by where it is."""
    copy = publication.copy
    return {
        "entry title": copy.title,
        "page text": copy.text,
        "page HTML": copy.html,
        "PDF file name": f"{publication.slug}.pdf",
        **checks.pdf_parts(copy.pdf),
    }


def _requester_findings(publication: Publication):
    case = publication.letter.case
    return checks.public_copy_findings(
        case.requester, public_copy_parts(publication), authority=case.authority
    )


def _publish(publication, actor, action) -> Publication:
    """Put the entry in the log, or hold it back if its copy names the requester."""
    findings = _requester_findings(publication)
    if findings:
        publication.reason = describe(findings)
        return _move(
            publication,
            actor,
            Publication.Status.HELD,
            CaseEvent.Action.PUBLICATION_HELD,
            comment=publication.reason,
            fields=["reason"],
        )
    now = timezone.now()
    publication.published_at = publication.published_at or now
    publication.withdrawn_at = None
    publication.withdrawn_reason = ""
    publication.reason = ""
    _move(
        publication,
        actor,
        Publication.Status.PUBLISHED,
        action,
        fields=["published_at", "withdrawn_at", "withdrawn_reason", "reason"],
        slug=publication.slug,
    )
    search.index(publication, publication.copy.text)
    return publication


@transaction.atomic
def publish_when_due(
    publication: Publication, *, actor: User | None = None, today: datetime.date | None = None
) -> Publication:
    """Publish a waiting entry whose copy is made, unless its date is still to come.

    Returns the entry: published, scheduled (its date is later), or held (the public copy
    names the requester, and ``reason`` says where).
    """
    publication = _lock(publication)
    require(
        publication.status in (Publication.Status.PENDING, Publication.Status.SCHEDULED),
        f"This entry is {publication.get_status_display().lower()}; it cannot be published now.",
    )
    require(hasattr(publication, "copy"), "The public copy has not been made yet.")
    today = today or timezone.localdate()
    if publication.publish_on and publication.publish_on > today:
        if publication.status != Publication.Status.SCHEDULED:
            publication.status = Publication.Status.SCHEDULED
            publication.save(update_fields=["status", "updated_at"])
        return publication
    return _publish(publication, actor, CaseEvent.Action.PUBLICATION_PUBLISHED)


@transaction.atomic
def decline_publication(publication: Publication, *, actor: User, reason: str) -> Publication:
    """Keep an entry that is not yet published out of the log, saying why."""
    publication = _lock(publication)
    case = publication.letter.case
    require(
        permissions.can_edit_case(actor, case) or permissions.is_administrator(actor),
        "Only an officer or an administrator can decide this.",
    )
    require(
        publication.status in WAITING,
        f"This entry is {publication.get_status_display().lower()}; "
        "only one not yet published can be declined.",
    )
    reason = reason.strip()
    require(reason, "Say why this response will not be published.")
    publication.reason = reason
    return _move(
        publication,
        actor,
        Publication.Status.NOT_PUBLISHED,
        CaseEvent.Action.PUBLICATION_DECLINED,
        comment=reason,
        fields=["reason"],
    )


@transaction.atomic
def withdraw_publication(publication: Publication, *, actor: User, reason: str) -> Publication:
    """Take a published entry out of the log; its page then says when, without the letter."""
    require(permissions.is_administrator(actor), "Only an administrator can withdraw an entry.")
    publication = _lock(publication)
    require(
        publication.status == Publication.Status.PUBLISHED,
        f"This entry is {publication.get_status_display().lower()}; "
        "only a published one can be withdrawn.",
    )
    reason = reason.strip()
    require(reason, "Say why the entry is withdrawn.")
    publication.withdrawn_at = timezone.now()
    publication.withdrawn_reason = reason
    _move(
        publication,
        actor,
        Publication.Status.WITHDRAWN,
        CaseEvent.Action.PUBLICATION_WITHDRAWN,
        comment=reason,
        fields=["withdrawn_at", "withdrawn_reason"],
    )
    search.unindex(publication)
    return publication


@transaction.atomic
def republish_publication(publication: Publication, *, actor: User) -> Publication:
    """Put a withdrawn entry back in the log: a new event; the check runs again."""
    require(permissions.is_administrator(actor), "Only an administrator can republish an entry.")
    publication = _lock(publication)
    require(
        publication.status == Publication.Status.WITHDRAWN,
        "Only a withdrawn entry can be published again.",
    )
    return _publish(publication, actor, CaseEvent.Action.PUBLICATION_REPUBLISHED)
