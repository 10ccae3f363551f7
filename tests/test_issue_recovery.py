"""Issuing always recovers: an attempt whose worker died is given up when its lease runs out,
and the letter can then be issued again or reopened."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from responses import issuing, workflow
from responses.models import CaseEvent, IssueAttempt, IssuedDocument, Letter
from responses.workflow.issue import RENDER_LEASE, START_WITHIN
from tests import builders
from tests.conftest import PASSWORD

pytest_plugins = ["tests.review_fixtures"]

A_SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def approved(letter, officer, reviewer):
    workflow.submit_letter(letter, actor=officer)
    workflow.approve_letter(letter, actor=reviewer, version_number=1)
    return letter


@pytest.fixture
def frozen_now():
    """The clock stands still from here; tests move it with ``.move_to``."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def dead_worker(letter, officer):
    """An attempt a worker claimed and then died with (a web server timeout, a crash)."""
    attempt = workflow.claim_issue_attempt(workflow.request_issue(letter, actor=officer))
    assert attempt.status == IssueAttempt.Status.RUNNING
    return attempt


def issue_page(client, letter):
    return client.get(reverse("letter_issue", args=[letter.pk])).content.decode()


def test_an_attempt_whose_worker_died_fails_after_its_lease_and_can_be_retried(
    client, officer, approved, fake_renderer, frozen_now, django_capture_on_commit_callbacks
):
    started = timezone.now()
    attempt = dead_worker(approved, officer)
    client.login(username=officer.username, password=PASSWORD)

    # While the lease holds, the page says the PDF is being made and nothing can start again.
    frozen_now.move_to(started + RENDER_LEASE - A_SECOND)
    page = issue_page(client, approved)
    assert "Producing the PDF" in page and 'data-refresh-seconds="3"' in page
    assert "Try again" not in page
    with pytest.raises(workflow.TransitionError, match="already being issued"):
        workflow.request_issue(approved, actor=officer)

    # Once it has run out, the page shows the failure and why, and offers a retry.
    frozen_now.move_to(started + RENDER_LEASE + A_SECOND)
    page = issue_page(client, approved)
    attempt.refresh_from_db()
    assert attempt.status == IssueAttempt.Status.FAILED
    assert "Issuing failed" in page and "Try again" in page
    assert "The PDF was not produced within 3 minutes; the worker may have stopped." in page
    assert "data-refresh-seconds" not in page
    event = CaseEvent.objects.get(case=approved.case, action=CaseEvent.Action.ISSUE_FAILED)
    assert event.actor is None and event.details["lease_expired"] is True
    assert "not produced within 3 minutes" in event.comment

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("letter_issue", args=[approved.pk]))
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == Letter.Status.ISSUED
    assert IssuedDocument.objects.count() == 1 and len(fake_renderer) == 1


def test_the_letter_can_be_reopened_once_the_dead_attempt_has_lapsed(approved, officer, frozen_now):
    started = timezone.now()
    attempt = dead_worker(approved, officer)
    with pytest.raises(workflow.TransitionError, match="being issued right now"):
        workflow.reopen_letter(approved, actor=officer, reason="A figure is wrong.")

    frozen_now.move_to(started + RENDER_LEASE + A_SECOND)
    workflow.reopen_letter(approved, actor=officer, reason="A figure is wrong.")
    approved.refresh_from_db()
    attempt.refresh_from_db()
    assert approved.status == Letter.Status.DRAFT
    assert attempt.status == IssueAttempt.Status.FAILED


def test_a_live_lease_is_measured_from_the_claim_not_from_the_request(
    approved, officer, frozen_now
):
    """A queued attempt claimed late still holds the letter for its whole render."""
    requested = timezone.now()
    attempt = workflow.request_issue(approved, actor=officer)
    frozen_now.move_to(requested + START_WITHIN - A_SECOND)
    assert workflow.claim_issue_attempt(attempt) is not None

    frozen_now.move_to(requested + START_WITHIN + datetime.timedelta(minutes=2))
    with pytest.raises(workflow.TransitionError, match="already being issued"):
        workflow.request_issue(approved, actor=officer)
    with pytest.raises(workflow.TransitionError, match="being issued right now"):
        workflow.reopen_letter(approved, actor=officer, reason="A figure is wrong.")
    attempt.refresh_from_db()
    assert attempt.status == IssueAttempt.Status.RUNNING


def test_a_queued_attempt_no_worker_picked_up_is_given_up_and_a_late_task_renders_nothing(
    client, officer, approved, fake_renderer, frozen_now
):
    requested = timezone.now()
    client.login(username=officer.username, password=PASSWORD)
    client.post(reverse("letter_issue", args=[approved.pk]))  # its task never runs
    attempt = IssueAttempt.objects.get()

    frozen_now.move_to(requested + START_WITHIN + A_SECOND)
    page = issue_page(client, approved)
    assert "did not start within 15 minutes; the task worker may not be running" in page
    assert "Try again" in page

    # The task turns up after all: the attempt was given up, so it renders nothing.
    assert issuing.run_attempt(attempt.pk) == IssueAttempt.Status.FAILED
    assert fake_renderer == [] and IssuedDocument.objects.count() == 0


def test_a_worker_finishing_after_its_attempt_was_given_up_issues_nothing(
    approved, officer, frozen_now
):
    started = timezone.now()
    attempt = dead_worker(approved, officer)
    frozen_now.move_to(started + RENDER_LEASE + A_SECOND)
    assert workflow.expire_lapsed_issue_attempts(approved) == 1

    with pytest.raises(workflow.TransitionError, match="not running"):
        workflow.mark_issued(attempt, pdf_bytes=builders.FAKE_PDF)
    approved.refresh_from_db()
    assert approved.status == Letter.Status.APPROVED
    assert IssuedDocument.objects.count() == 0


def test_the_cron_command_gives_up_lapsed_attempts(approved, officer, frozen_now):
    started = timezone.now()
    attempt = dead_worker(approved, officer)
    out = io.StringIO()
    call_command("expire_issue_attempts", stdout=out)
    assert "0 lapsed issue attempt(s)" in out.getvalue()

    frozen_now.move_to(started + RENDER_LEASE + A_SECOND)
    out = io.StringIO()
    call_command("expire_issue_attempts", stdout=out)
    assert "1 lapsed issue attempt(s) marked failed." in out.getvalue()
    attempt.refresh_from_db()
    assert attempt.status == IssueAttempt.Status.FAILED
    # Only once: the next run finds nothing more to do.
    assert workflow.expire_lapsed_issue_attempts() == 0
    assert CaseEvent.objects.filter(action=CaseEvent.Action.ISSUE_FAILED).count() == 1


@pytest.mark.parametrize(
    "stop", [SystemExit(1), KeyboardInterrupt()], ids=lambda s: type(s).__name__
)
def test_a_worker_stopped_while_rendering_records_the_failure_and_stops(
    approved, officer, monkeypatch, stop
):
    def stopped(version):
        raise stop

    monkeypatch.setattr(issuing, "render_pdf", stopped)
    attempt = workflow.request_issue(approved, actor=officer)
    with pytest.raises(type(stop)):
        issuing.run_attempt(attempt.pk)

    attempt.refresh_from_db()
    assert attempt.status == IssueAttempt.Status.FAILED
    assert f"interrupted ({type(stop).__name__})" in attempt.error
    assert CaseEvent.objects.filter(
        case=approved.case, action=CaseEvent.Action.ISSUE_FAILED
    ).exists()
    # Nothing holds the letter: it can be issued again at once.
    monkeypatch.setattr(issuing, "render_pdf", lambda version: builders.FAKE_PDF)
    assert issuing.run_attempt(workflow.request_issue(approved, actor=officer).pk) == (
        IssueAttempt.Status.DONE
    )
