"""Issuing: the PDF is made once in the background, stored, hashed and never made again."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from responses import issuing, review_clock, workflow
from responses.models import Case, CaseEvent, IssueAttempt, IssuedDocument, Letter
from tests import builders
from tests.conftest import PASSWORD

pytest_plugins = ["tests.review_fixtures"]


@pytest.fixture
def approved(letter, officer, reviewer):
    workflow.submit_letter(letter, actor=officer)
    workflow.approve_letter(letter, actor=reviewer, version_number=builders.version_number(letter))
    return letter


def issue_via_page(client, officer, letter, capture):
    client.login(username=officer.username, password=PASSWORD)
    with capture(execute=True):
        response = client.post(reverse("letter_issue", args=[letter.pk]))
    assert response.status_code == 302
    letter.refresh_from_db()
    return client.get(reverse("letter_issue", args=[letter.pk]))


def test_issuing_stores_the_pdf_and_emails_the_requester(
    client, officer, approved, fake_renderer, django_capture_on_commit_callbacks
):
    page = issue_via_page(client, officer, approved, django_capture_on_commit_callbacks)

    assert approved.status == Letter.Status.ISSUED
    assert approved.case.status == Case.Status.RESPONDED
    document = IssuedDocument.objects.get(version__letter=approved)
    assert bytes(document.pdf).startswith(b"%PDF")
    assert document.sha256 == IssuedDocument.digest(document.pdf)
    assert document.timeliness == IssuedDocument.Timeliness.IN_TIME
    assert "Issued" in page.content.decode() and document.sha256 in page.content.decode()
    event = CaseEvent.objects.get(case=approved.case, action="letter_issued")
    assert (event.from_status, event.to_status) == ("approved", "issued")
    assert event.details["sha256"] == document.sha256
    (email,) = mail.outbox
    assert email.to == ["rowan@example.com"]
    assert "/track/" in email.body
    assert approved.case.reference in email.subject


def test_the_pdf_is_rendered_once_and_downloads_serve_the_stored_bytes(
    client, officer, approved, fake_renderer, django_capture_on_commit_callbacks
):
    issue_via_page(client, officer, approved, django_capture_on_commit_callbacks)
    stored = bytes(IssuedDocument.objects.get().pdf)
    first = client.get(reverse("letter_issued_pdf", args=[approved.pk]))
    second = client.get(reverse("letter_issued_pdf", args=[approved.pk]))
    assert first["Content-Type"] == "application/pdf"
    assert first.content == second.content == stored
    assert len(fake_renderer) == 1
    # The renderer was given the frozen, approved HTML.
    assert fake_renderer[0] == workflow.latest_version(approved).html


def test_a_failed_render_leaves_the_letter_approved_and_a_retry_works(
    client, officer, approved, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(version):
        raise OSError("font file missing")

    monkeypatch.setattr(issuing, "render_pdf", broken)
    page = issue_via_page(client, officer, approved, django_capture_on_commit_callbacks)
    assert approved.status == Letter.Status.APPROVED
    assert IssuedDocument.objects.count() == 0
    attempt = IssueAttempt.objects.get()
    assert attempt.status == IssueAttempt.Status.FAILED
    body = page.content.decode()
    assert "Issuing failed" in body and "font file missing" in body and "Try again" in body
    assert CaseEvent.objects.filter(case=approved.case, action="issue_failed").exists()
    assert mail.outbox == []

    monkeypatch.setattr(issuing, "render_pdf", lambda version: b"%PDF-1.7 retry")
    issue_via_page(client, officer, approved, django_capture_on_commit_callbacks)
    assert approved.status == Letter.Status.ISSUED
    assert bytes(IssuedDocument.objects.get().pdf) == b"%PDF-1.7 retry"


def test_progress_is_shown_and_refreshes_while_pending(client, officer, approved):
    client.login(username=officer.username, password=PASSWORD)
    # Without running on-commit callbacks the task never starts: the attempt stays pending.
    client.post(reverse("letter_issue", args=[approved.pk]))
    page = client.get(reverse("letter_issue", args=[approved.pk])).content.decode()
    assert 'data-refresh-seconds="3"' in page and "Refresh this page" in page
    assert 'http-equiv="refresh"' not in page  # axe: a timed refresh no one can stop
    assert "Waiting to start" in page
    with pytest.raises(workflow.TransitionError, match="already being issued"):
        workflow.request_issue(approved, actor=officer)


def test_only_an_approved_letter_can_be_issued(letter, officer):
    with pytest.raises(workflow.TransitionError, match="only an approved letter can be issued"):
        workflow.request_issue(letter, actor=officer)


def test_reviewer_cannot_issue(client, reviewer, approved):
    client.login(username=reviewer.username, password=PASSWORD)
    response = client.post(reverse("letter_issue", args=[approved.pk]))
    assert response.status_code == 403
    assert IssueAttempt.objects.count() == 0


def test_a_late_response_records_working_days_late(
    catalogue, authority, requester, officer, reviewer, fake_renderer
):
    received = timezone.localdate() - datetime.timedelta(days=70)
    letter = builders.response_letter(
        actor=officer, authority=authority, requester=requester, received_on=received
    )
    case = letter.case
    builders.issued_letter(letter, officer=officer, reviewer=reviewer)

    document = IssuedDocument.objects.get()
    facts = review_clock.deadline_facts(case)
    assert document.timeliness == IssuedDocument.Timeliness.LATE
    assert document.working_days_late > 20
    assert document.timeliness_text() == f"Late by {document.working_days_late} working days"
    assert facts.deadline < timezone.localdate()


def test_within_extension(approved, officer, fake_renderer, monkeypatch):
    today = timezone.localdate()
    monkeypatch.setattr(
        review_clock,
        "deadline_facts",
        lambda case: review_clock.DeadlineFacts(
            deadline=today + datetime.timedelta(days=5),
            statutory_deadline=today - datetime.timedelta(days=3),
        ),
    )
    issuing.run_attempt(workflow.request_issue(approved, actor=officer).pk)
    assert IssuedDocument.objects.get().timeliness == IssuedDocument.Timeliness.WITHIN_EXTENSION


@pytest.mark.slow
def test_real_renderer_makes_a_pdf(approved, officer):
    pytest.importorskip("responses.rendering")
    issuing.run_attempt(workflow.request_issue(approved, actor=officer).pk)
    attempt = IssueAttempt.objects.get()
    assert attempt.status == IssueAttempt.Status.DONE, attempt.error
    assert bytes(IssuedDocument.objects.get().pdf).startswith(b"%PDF")


@pytest.mark.slow
def test_the_issued_letter_is_dated_the_day_it_is_issued(approved, officer):
    """Frozen at submission, but a letter must carry the date it was sent."""
    import io
    import json

    from pypdf import PdfReader

    issue_day = timezone.localdate() + datetime.timedelta(days=3)
    noon = datetime.datetime.combine(issue_day, datetime.time(12))
    with time_machine.travel(timezone.make_aware(noon), tick=False):
        builders.issue(approved, actor=officer)
    document = IssuedDocument.objects.get()
    reader = PdfReader(io.BytesIO(bytes(document.pdf)))
    text = reader.pages[0].extract_text()
    assert f"{issue_day.day} {issue_day:%B %Y}" in text
    attached = json.loads(reader.attachments["decision.json"][0])
    assert attached["response_date"] == issue_day.isoformat()
