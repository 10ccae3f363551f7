"""Issuing: turn an approved version's frozen HTML into the PDF, once, in the background.

The officer's request (workflow.request_issue) records an IssueAttempt and queues
issue_letter_task. The task renders the PDF and hands the bytes to
workflow.mark_issued, or records why it failed so the officer can try again.
"""

import logging

from django.utils import timezone
from django_tasks import task

from responses import workflow
from responses.isolated_render import render_pdf_isolated
from responses.models import IssueAttempt
from responses.rendering.context import letter_assets
from responses.rendering.html import stamp_response_date

logger = logging.getLogger(__name__)


def render_pdf(version):
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
        assets=letter_assets(version.letter.case.authority),
    )


def run_attempt(attempt_id):
    """Do one issue attempt; never raises, so a failure is always recorded on the attempt."""
    attempt = IssueAttempt.objects.select_related("version__letter__case").get(pk=attempt_id)
    if attempt.status not in (IssueAttempt.Status.PENDING, IssueAttempt.Status.FAILED):
        return attempt.status
    attempt.status = IssueAttempt.Status.RUNNING
    attempt.save(update_fields=["status"])
    try:
        pdf = render_pdf(attempt.version)
        if not pdf:
            raise ValueError("The PDF renderer returned nothing.")
        workflow.mark_issued(attempt, pdf)
    except Exception as error:  # noqa: BLE001 - any failure must reach the officer
        logger.exception("Issuing %s failed", attempt.version)
        message = str(error) or error.__class__.__name__
        if not isinstance(error, workflow.TransitionError):
            message = f"The PDF could not be produced: {message}"
        workflow.mark_issue_failed(attempt, message)
    attempt.refresh_from_db()
    return attempt.status


@task()
def issue_letter_task(attempt_id):
    return run_attempt(attempt_id)
