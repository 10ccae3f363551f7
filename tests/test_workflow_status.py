"""Status changes that used to happen outside the workflow: issue attempts, the internal
review outcome, and withdrawing a request."""

import re
import threading

import pytest
from django.db import connections
from django.urls import reverse

from responses import issuing, tokens, workflow
from responses.drafting import editing
from responses.models import (
    Case,
    CaseEvent,
    InternalReviewOutcome,
    IssueAttempt,
    IssuedDocument,
    Letter,
)
from tests import builders
from tests.conftest import PASSWORD

pytest_plugins = ["tests.review_fixtures"]


def actions(case):
    return list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))


@pytest.fixture
def approved(letter, officer, reviewer):
    workflow.submit_letter(letter, actor=officer)
    workflow.approve_letter(letter, actor=reviewer, version_number=builders.version_number(letter))
    return letter


# --- Issue attempts ------------------------------------------------------------------


def test_a_second_claim_of_the_same_attempt_is_refused_and_renders_nothing(
    approved, officer, fake_renderer
):
    attempt = workflow.request_issue(approved, actor=officer)
    assert workflow.claim_issue_attempt(attempt) is not None

    # Another worker given the same attempt: refused, and it renders nothing.
    assert workflow.claim_issue_attempt(attempt) is None
    assert issuing.run_attempt(attempt.pk) == IssueAttempt.Status.RUNNING
    assert fake_renderer == []
    assert IssuedDocument.objects.count() == 0
    assert actions(approved.case).count(CaseEvent.Action.ISSUE_STARTED) == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_same_attempt_render_it_once(
    catalogue, authority, requester, officer, reviewer, fake_renderer
):
    racing_letter = builders.response_letter(
        actor=officer, authority=authority, requester=requester
    )
    workflow.submit_letter(racing_letter, actor=officer)
    workflow.approve_letter(
        racing_letter, actor=reviewer, version_number=builders.version_number(racing_letter)
    )
    attempt = workflow.request_issue(racing_letter, actor=officer)
    barrier = threading.Barrier(2)

    def work():
        barrier.wait()
        try:
            issuing.run_attempt(attempt.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fake_renderer) == 1
    assert IssuedDocument.objects.count() == 1


def test_running_a_finished_attempt_again_renders_nothing(approved, officer, fake_renderer):
    attempt = workflow.request_issue(approved, actor=officer)
    assert issuing.run_attempt(attempt.pk) == IssueAttempt.Status.DONE
    assert issuing.run_attempt(attempt.pk) == IssueAttempt.Status.DONE
    assert len(fake_renderer) == 1
    assert IssuedDocument.objects.count() == 1
    history = actions(approved.case)
    started = history.index(CaseEvent.Action.ISSUE_STARTED)
    assert history.index(CaseEvent.Action.ISSUE_REQUESTED) < started
    assert started < history.index(CaseEvent.Action.LETTER_ISSUED)


def test_an_attempt_nobody_claimed_cannot_be_marked_issued(approved, officer):
    attempt = workflow.request_issue(approved, actor=officer)
    with pytest.raises(workflow.TransitionError, match="not running"):
        workflow.mark_issued(attempt, pdf_bytes=b"%PDF-1.7 unclaimed")
    approved.refresh_from_db()
    assert approved.status == Letter.Status.APPROVED
    assert IssuedDocument.objects.count() == 0


def test_issue_letter_queues_the_task_only_once_committed(
    approved, officer, fake_renderer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attempt = issuing.issue_letter(approved, actor=officer)
    assert len(callbacks) == 1
    attempt.refresh_from_db()
    assert attempt.status == IssueAttempt.Status.PENDING and fake_renderer == []


# --- The internal review outcome -----------------------------------------------------


@pytest.fixture
def outcome_letter(case, authority, requester, officer):
    review = builders.open_case(
        actor=officer,
        authority=authority,
        requester=requester,
        kind=Case.Kind.INTERNAL_REVIEW,
        reviewed_case=case,
    )
    return builders.draft_letter(
        review, actor=officer, kind=Letter.Kind.REVIEW_OUTCOME, review_outcome=None
    )


def test_recording_the_outcome_saves_it_logs_it_and_rebuilds_the_letter(
    outcome_letter, officer, monkeypatch
):
    rebuilt = []
    real_rebuild = editing.rebuild_letter
    monkeypatch.setattr(
        editing,
        "rebuild_letter",
        lambda letter, *, actor, revision: (
            rebuilt.append(letter.pk) or real_rebuild(letter, actor=actor, revision=revision)
        ),
    )
    workflow.record_review_outcome(
        outcome_letter,
        actor=officer,
        outcome=InternalReviewOutcome.Outcome.OVERTURNED,
        reasons="The information is already public.",
    )
    workflow.record_review_outcome(
        outcome_letter,
        actor=officer,
        outcome=InternalReviewOutcome.Outcome.UPHELD,
        reasons="On reflection the exemption applies.",
    )
    finding = InternalReviewOutcome.objects.get(letter=outcome_letter)
    assert finding.outcome == InternalReviewOutcome.Outcome.UPHELD
    assert rebuilt == [outcome_letter.pk, outcome_letter.pk]
    event = CaseEvent.objects.filter(action=CaseEvent.Action.REVIEW_OUTCOME_RECORDED).last()
    assert event.comment == "On reflection the exemption applies."
    assert event.details["outcome"] == InternalReviewOutcome.Outcome.UPHELD


def test_the_outcome_is_saved_in_one_transaction(outcome_letter, officer, monkeypatch):
    def broken(letter, *, actor, revision):
        raise RuntimeError("rebuild failed")

    monkeypatch.setattr(editing, "rebuild_letter", broken)
    with pytest.raises(RuntimeError):
        workflow.record_review_outcome(
            outcome_letter,
            actor=officer,
            outcome=InternalReviewOutcome.Outcome.UPHELD,
            reasons="The exemption was applied correctly.",
        )
    assert not InternalReviewOutcome.objects.exists()
    assert CaseEvent.Action.REVIEW_OUTCOME_RECORDED not in actions(outcome_letter.case)


def test_the_outcome_needs_a_draft_outcome_letter_and_an_officer(
    outcome_letter, letter, officer, reviewer
):
    fields = {"outcome": InternalReviewOutcome.Outcome.UPHELD, "reasons": "Correct."}
    with pytest.raises(workflow.TransitionError, match="Only an internal review outcome"):
        workflow.record_review_outcome(letter, actor=officer, **fields)
    with pytest.raises(workflow.TransitionError, match="disclosure officer"):
        workflow.record_review_outcome(outcome_letter, actor=reviewer, **fields)
    workflow.record_review_outcome(outcome_letter, actor=officer, **fields)
    workflow.submit_letter(outcome_letter, actor=officer)
    with pytest.raises(workflow.TransitionError, match="only be changed while the letter is a"):
        workflow.record_review_outcome(outcome_letter, actor=officer, **fields)


# --- Withdrawing a request -----------------------------------------------------------


def test_withdrawing_closes_the_case_without_a_letter(case, officer):
    workflow.withdraw_case(case, actor=officer, reason="By email on 3 March: no longer needed.")
    case.refresh_from_db()
    assert case.status == Case.Status.WITHDRAWN
    assert case not in Case.objects.open()
    event = CaseEvent.objects.get(case=case, action=CaseEvent.Action.CASE_WITHDRAWN)
    assert (event.from_status, event.to_status) == (Case.Status.OPEN, Case.Status.WITHDRAWN)
    assert event.comment == "By email on 3 March: no longer needed."
    assert event.actor == officer
    assert not case.letters.exists()


def test_a_request_on_hold_can_be_withdrawn(case, officer):
    workflow.hold_case(case, actor=officer, reason="Clarification awaited.")
    workflow.withdraw_case(case, actor=officer, reason="They did not want to clarify.")
    case.refresh_from_db()
    assert case.status == Case.Status.WITHDRAWN


def test_withdrawing_needs_a_reason_an_officer_and_a_case_still_being_worked_on(
    case, letter, officer, reviewer
):
    with pytest.raises(workflow.TransitionError, match="Say how"):
        workflow.withdraw_case(case, actor=officer, reason="  ")
    with pytest.raises(workflow.TransitionError, match="disclosure officer"):
        workflow.withdraw_case(case, actor=reviewer, reason="Phoned.")
    workflow.submit_letter(letter, actor=officer)  # the response is in review
    with pytest.raises(workflow.TransitionError, match="only an open or on-hold request"):
        workflow.withdraw_case(case, actor=officer, reason="Phoned.")
    case.refresh_from_db()
    assert case.status == Case.Status.IN_REVIEW
    assert CaseEvent.Action.CASE_WITHDRAWN not in actions(case)


def test_the_letters_of_a_withdrawn_request_stop_where_they_are(
    case, letter, officer, reviewer, fake_renderer
):
    in_review = builders.draft_letter(case, actor=officer, kind=Letter.Kind.ACKNOWLEDGEMENT)
    approved = builders.draft_letter(case, actor=officer, kind=Letter.Kind.CLARIFICATION)
    workflow.submit_letter(in_review, actor=officer)
    workflow.submit_letter(approved, actor=officer)
    workflow.approve_letter(
        approved, actor=reviewer, version_number=builders.version_number(approved)
    )
    attempt = workflow.request_issue(approved, actor=officer)  # queued before the withdrawal

    workflow.withdraw_case(case, actor=officer, reason="Withdrawn by letter.")

    with pytest.raises(workflow.TransitionError, match="withdrawn"):
        workflow.submit_letter(letter, actor=officer)
    with pytest.raises(workflow.TransitionError, match="withdrawn"):
        workflow.approve_letter(
            in_review, actor=reviewer, version_number=builders.version_number(in_review)
        )
    with pytest.raises(workflow.TransitionError, match="withdrawn"):
        workflow.request_issue(approved, actor=officer)
    # The attempt queued before the withdrawal fails rather than sending the letter.
    assert issuing.run_attempt(attempt.pk) == IssueAttempt.Status.FAILED
    assert IssuedDocument.objects.count() == 0
    # Each letter still shows how far it got.
    statuses = {item.pk: item.status for item in case.letters.all()}
    assert statuses == {
        letter.pk: Letter.Status.DRAFT,
        in_review.pk: Letter.Status.IN_REVIEW,
        approved.pk: Letter.Status.APPROVED,
    }
    event = CaseEvent.objects.get(case=case, action=CaseEvent.Action.CASE_WITHDRAWN)
    assert event.details["stopped_letters"] == [letter.pk, in_review.pk, approved.pk]


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_an_officer_records_a_withdrawal_from_the_case_page(client, case, letter, officer):
    signed_in(client, officer)
    case_page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("case_close", args=[case.pk]) in case_page
    withdraw_url = reverse("case_withdraw", args=[case.pk])

    form = client.get(withdraw_url)
    assert form.status_code == 200
    assert "How did the request end?" in form.content.decode()
    assert re.search(r'value="withdrawn"\s+checked', form.content.decode())
    assert 'name="csrfmiddlewaretoken"' in form.content.decode()

    missing = client.post(withdraw_url, {"reason": "  "})
    assert missing.status_code == 200 and "Enter a reason." in missing.content.decode()

    response = client.post(withdraw_url, {"reason": "Phoned on 3 March."})
    assert response.status_code == 302 and response["Location"] == reverse(
        "case_detail", args=[case.pk]
    )
    case.refresh_from_db()
    assert case.status == Case.Status.WITHDRAWN
    after = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("case_close", args=[case.pk]) not in after
    assert "Withdrawn by the requester" in after and "Phoned on 3 March." in after
    # The draft can no longer be sent for review from the case page.
    assert reverse("letter_submit", args=[letter.pk]) not in after
    assert reverse("letter_preview", args=[letter.pk]) in after
    assert "only an open or on-hold request" in client.get(withdraw_url).content.decode()

    # The requester's page says so.
    _, token = tokens.issue_link(case)
    portal = client.get(reverse("portal_case", args=[token])).content.decode()
    assert "Your request was withdrawn." in portal
    assert "You withdrew this request" in portal and "Phoned on 3 March." in portal


def test_the_issue_page_of_a_withdrawn_request_offers_no_issue(client, case, officer, reviewer):
    approved = builders.draft_letter(case, actor=officer, kind=Letter.Kind.CLARIFICATION)
    workflow.submit_letter(approved, actor=officer)
    workflow.approve_letter(
        approved, actor=reviewer, version_number=builders.version_number(approved)
    )
    signed_in(client, officer)
    assert (
        "Issue the letter"
        in client.get(reverse("letter_issue", args=[approved.pk])).content.decode()
    )
    workflow.withdraw_case(case, actor=officer, reason="Withdrawn by email.")
    signed_in(client, officer)
    page = client.get(reverse("letter_issue", args=[approved.pk])).content.decode()
    assert "The request is withdrawn, so this letter will not be issued" in page
    assert "Issue the letter" not in page


def test_a_reviewer_cannot_withdraw_a_request(client, case, reviewer):
    signed_in(client, reviewer)
    assert client.get(reverse("case_withdraw", args=[case.pk])).status_code == 403
    response = client.post(reverse("case_withdraw", args=[case.pk]), {"reason": "Phoned."})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("case_close", args=[case.pk]) not in page


def test_letters_of_a_withdrawn_request_leave_the_review_queue(
    client, case, letter, officer, reviewer
):
    acknowledgement = builders.draft_letter(case, actor=officer, kind=Letter.Kind.ACKNOWLEDGEMENT)
    workflow.submit_letter(acknowledgement, actor=officer)
    signed_in(client, reviewer)
    review_url = reverse("review_letter", args=[acknowledgement.pk])
    assert review_url in client.get(reverse("review_queue")).content.decode()
    workflow.withdraw_case(case, actor=officer, reason="Withdrawn by email.")
    assert review_url not in client.get(reverse("review_queue")).content.decode()
