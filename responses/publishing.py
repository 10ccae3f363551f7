"""Publishing issued responses in the disclosure log: the public copy, made once at issue.

The public copy is a second, deliberate rendering of the letter (``public=True``: no
addressee, no requester, a neutral salutation), dated like the letter, rendered to PDF in
a child process like the letter itself. ``publish_issued`` runs after the letter is issued;
it never touches the issued letter, and a failure here never un-issues anything: the entry
waits, and ``publish_due`` (the daily ``publish_disclosure_log`` command) tries again.
"""

from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from responses import checks, workflow
from responses.checks.public_copy import describe
from responses.disclosure_log.text import letter_body, plain_text
from responses.isolated_render import render_pdf_isolated
from responses.models import IssuedDocument, Letter, Publication
from responses.rendering.html import pdf_inputs

logger = logging.getLogger(__name__)


@dataclass
class PublicPreview:
    """What the officer sees on the issue page: the public letter, and what the check
    found in it (an empty list when nothing names the requester)."""

    body_html: str
    findings: list = field(default_factory=list)

    @property
    def names_requester(self) -> bool:
        return bool(self.findings)


def preview(letter: Letter) -> PublicPreview:
    """The public copy as it would be published today, checked, without storing anything."""
    inputs = pdf_inputs(letter, draft=False, public=True)
    case = letter.case
    parts = {
        "entry title": case.subject,
        "page text": plain_text(inputs["html"]),
        "decision.json": inputs["attachments"][0][1].decode(),
    }
    findings = checks.public_copy_findings(case.requester, parts, authority=case.authority)
    return PublicPreview(body_html=letter_body(inputs["html"]), findings=findings)


def choose(
    letter: Letter,
    *,
    actor,
    publish: bool,
    reason: str = "",
    publish_on: datetime.date | None = None,
) -> Publication:
    """The officer's choice at issue. Publishing is refused while the public copy they were
    shown names the requester: they choose not to publish, or reopen the letter."""
    if publish:
        found = preview(letter).findings
        workflow.require(not found, describe(found))
    return workflow.choose_publication(
        letter, actor=actor, publish=publish, reason=reason, publish_on=publish_on
    )


def render_public_pdf(inputs: dict[str, Any]) -> bytes:
    """The public copy's PDF, in a child process with the letter's time and memory limits
    (tests replace this, as they replace issuing.render_pdf)."""
    return render_pdf_isolated(
        inputs["html"],
        metadata=inputs["metadata"],
        attachments=inputs["attachments"],
        draft=False,
        assets=inputs["assets"] or None,
    )


def make_public_copy(document: IssuedDocument):
    """Render and store the public copy of an issued letter (None if not to be published)."""
    letter = document.version.letter
    issued_on = timezone.localdate(document.issued_at)
    inputs = pdf_inputs(letter, draft=False, response_date=issued_on, public=True)
    data = json.loads(inputs["attachments"][0][1])
    pdf = render_public_pdf(inputs)
    if not pdf:
        raise ValueError("The PDF renderer returned nothing for the public copy.")
    return workflow.record_public_copy(
        document, pdf=pdf, html=inputs["html"], text=plain_text(inputs["html"]), data=data
    )


def publish_issued(document: IssuedDocument, *, today: datetime.date | None = None):
    """After issue: make the public copy and publish it if due. Never raises: the letter is
    issued whatever happens here, and the entry waits for publish_due to try again."""
    letter = document.version.letter
    if letter.kind not in workflow.PUBLISHABLE:
        return None
    try:
        make_public_copy(document)
        publication = Publication.objects.get(letter=letter)
        if publication.status in (Publication.Status.PENDING, Publication.Status.SCHEDULED):
            publication = workflow.publish_when_due(
                publication, actor=document.issued_by, today=today
            )
        return publication
    except Exception:  # noqa: BLE001 - the issued letter stands; publish_due retries
        logger.exception("Publishing %s in the disclosure log failed", letter)
        return None


def publish_due(*, today: datetime.date | None = None) -> list[Publication]:
    """Publish every waiting entry whose date has come, making missing public copies first.
    Returns the entries that are now published."""
    published = []
    waiting = Publication.objects.filter(
        status__in=[Publication.Status.PENDING, Publication.Status.SCHEDULED],
        letter__status=Letter.Status.ISSUED,
    ).select_related("letter")
    for publication in waiting:
        document = IssuedDocument.objects.filter(version__letter=publication.letter).first()
        if document is None:
            continue
        result = publish_issued(document, today=today)
        if result is not None and result.status == Publication.Status.PUBLISHED:
            published.append(result)
    return published


def public_letter_html(publication: Publication) -> str:
    """The letter's body for the log's own page (markup the letter template made)."""
    return letter_body(publication.copy.html)


__all__ = [
    "PublicPreview",
    "make_public_copy",
    "preview",
    "public_letter_html",
    "publish_due",
    "publish_issued",
]
