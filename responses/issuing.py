"""Issuing: turn an approved version's frozen HTML into the PDF, once, in the background.

``issue_letter`` records an IssueAttempt through the workflow and queues
``issue_letter_task`` once that is committed. The task claims the attempt (so only one
worker renders it), renders the PDF and hands the bytes to ``workflow.mark_issued``, or
records why it failed so the officer can try again. A worker that dies without recording
anything leaves an attempt whose lease runs out, and the workflow marks it failed then.

The task runs where ``TASK_BACKEND`` says: in production a worker process (``database``
or ``rq``), never inside a web request, which a web server may stop at any moment
(foi_portal/checks.py refuses ``immediate`` with DEBUG off).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from responses import enclosures, publishing, workflow
from responses.drafting.wording import DraftingError
from responses.isolated_render import render_pdf_isolated
from responses.models import IssueAttempt, Letter, LetterVersion
from responses.rendering.html import stamp_response_date

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


def issue_letter(letter: Letter, *, actor: User) -> IssueAttempt:
    """The officer asks for the approved letter to be issued: queue the PDF after commit."""
    with transaction.atomic():
        attempt = workflow.request_issue(letter, actor=actor)
        transaction.on_commit(lambda: issue_letter_task.enqueue(attempt.pk))
    return attempt


def render_pdf(version: LetterVersion) -> bytes:
    """The real renderer: the version's frozen HTML to final (not draft) PDF bytes,
    in a child process with time and memory limits."""
    html, attachments = stamp_response_date(
        version.html, [tuple(item) for item in version.pdf_attachments], timezone.localdate()
    )
    return render_pdf_isolated(
        html,
        metadata=version.pdf_metadata or None,
        attachments=attachments,
        draft=False,
        assets=version.assets(),
    )


def run_attempt(attempt_id: int) -> str:
    """Do one issue attempt; a failure is always recorded on the attempt.

    An attempt another worker has already claimed (or finished, or given up) is left
    alone: nothing is rendered, and its current status is returned. Errors are recorded
    and swallowed; ``SystemExit`` and ``KeyboardInterrupt`` (a web server stopping its
    worker, a shutdown) are recorded and then let through, so the process still stops.
    If even that cannot be recorded, the attempt's lease runs out and the workflow marks
    it failed later.
    """
    queued = IssueAttempt.objects.get(pk=attempt_id)
    attempt = workflow.claim_issue_attempt(queued)
    if attempt is None:
        queued.refresh_from_db()
        return queued.status
    try:
        enclosures.check_stored(attempt.version)
        pdf = render_pdf(attempt.version)
        if not pdf:
            raise ValueError("The PDF renderer returned nothing.")
        document = workflow.mark_issued(attempt, pdf_bytes=pdf)
        # The disclosure log's copy comes after the legal record is stored; it never fails it.
        publishing.publish_issued(document)
    except Exception as error:  # noqa: BLE001 - any failure must reach the officer
        logger.exception("Issuing %s failed", attempt.version)
        message = str(error) or error.__class__.__name__
        if not isinstance(error, workflow.TransitionError | DraftingError):
            message = f"The PDF could not be produced: {message}"
        record_failure(attempt, message)
    except BaseException as stop:
        logger.exception("Issuing %s was interrupted", attempt.version)
        record_failure(
            attempt,
            f"Issuing was interrupted ({stop.__class__.__name__}) before the PDF was "
            "stored: the worker was stopped. Nothing was issued.",
        )
        raise
    attempt.refresh_from_db()
    return attempt.status


def record_failure(attempt: IssueAttempt, message: str) -> None:
    """Mark the attempt failed; never raises, since it runs while handling another error."""
    if not connection.in_atomic_block:
        # The failure may have been the database connection itself (dropped mid-issue):
        # a broken connection is closed so the next query opens a new one and the
        # failure is recorded now, not only when the attempt's lease runs out.
        connection.close_if_unusable_or_obsolete()
    try:
        workflow.mark_issue_failed(attempt, error=message)
    except Exception:  # noqa: BLE001 - the attempt's lease is the fallback
        logger.exception("Could not record the failure of %s", attempt)


@task()
def issue_letter_task(attempt_id: int) -> str:
    return run_attempt(attempt_id)
