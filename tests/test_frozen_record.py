"""The record frozen under review: once a letter is submitted, approved or issued, the
decisions, request and questions behind it never change silently (issue 11)."""

import pytest
from django.urls import reverse

from responses import questions as request_editing
from responses import workflow
from responses.drafting.wording import DraftingError
from responses.models import Case, CaseEvent, Decision, Letter
from responses.permissions import OFFICERS, REVIEWERS
from responses.questions import QuestionDraft
from tests import builders
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.review_fixtures"]


@pytest.fixture
def letter(catalogue, authority, requester, officer):
    return builders.response_letter(actor=officer, authority=authority, requester=requester)


def change_answer(letter, actor, text="We hold the policy. A summary is attached."):
    decision = letter.case.decisions.get()
    return builders.save_decision(
        letter.case,
        actor=actor,
        questions=decision.questions.all(),
        outcome=decision.outcome,
        answer=text,
        decision=decision,
        revision=decision.revision,
    )


def reopen_events(case):
    return case.events.filter(
        action=CaseEvent.Action.LETTER_REOPENED, details__reason="record_changed"
    )


def test_changing_a_decision_under_review_reopens_the_letter(letter, officer, reviewer):
    version = builders.submit(letter, actor=officer)

    change_answer(letter, officer)

    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT
    assert letter.case.status == Case.Status.OPEN
    event = reopen_events(letter.case).get()
    assert "decisions changed" in event.comment
    with pytest.raises(workflow.TransitionError):
        workflow.approve_letter(letter, actor=reviewer, version_number=version.number)


def test_changing_a_decision_after_approval_voids_the_approval(letter, officer, reviewer):
    builders.approve(letter, officer=officer, reviewer=reviewer)

    change_answer(letter, officer)

    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT
    assert reopen_events(letter.case).exists()
    with pytest.raises(workflow.TransitionError):
        workflow.request_issue(letter, actor=officer)


def test_editing_the_questions_under_review_reopens_the_letter(letter, officer):
    builders.submit(letter, actor=officer)
    case = Case.objects.get(pk=letter.case_id)
    question = case.questions.get()

    builders.save_request(
        case,
        actor=officer,
        revision=case.revision,
        questions=[QuestionDraft("Do you hold a policy on drones, and since when?", question.pk)],
    )

    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT
    assert reopen_events(case).get().details["part"] == "request"


def test_changing_only_the_subject_leaves_the_letter_under_review(letter, officer):
    builders.submit(letter, actor=officer)
    case = Case.objects.get(pk=letter.case_id)
    drafts = [QuestionDraft(q.text, q.pk) for q in case.questions.all()]

    builders.save_request(
        case, actor=officer, revision=case.revision, questions=drafts, subject="Drone policy"
    )

    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_REVIEW
    assert not reopen_events(case).exists()


def test_the_record_behind_an_issued_response_cannot_change(
    letter, officer, reviewer, fake_renderer
):
    builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    decision = letter.case.decisions.get()

    with pytest.raises(DraftingError, match="Start a correction"):
        change_answer(letter, officer)
    with pytest.raises(DraftingError, match="Start a correction"):
        builders.delete_decision(decision, actor=officer)
    case = Case.objects.get(pk=letter.case_id)
    with pytest.raises(request_editing.RecordFrozen, match="Start a correction"):
        builders.save_request(
            case,
            actor=officer,
            revision=case.revision,
            questions=[QuestionDraft("Another question?", decision.questions.get().pk)],
        )
    decision.refresh_from_db()
    assert decision.answer == builders.ANSWER
    assert not case.events.filter(action=CaseEvent.Action.DECISION_CHANGED).exists()

    # A correction is the way to change what the response says.
    workflow.start_correction(letter, actor=officer, reason="The answer was incomplete.")
    change_answer(letter, officer)
    decision.refresh_from_db()
    assert decision.answer != builders.ANSWER


def test_the_decision_page_says_why_a_change_is_refused(
    client, letter, officer, reviewer, fake_renderer
):
    builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    decision = letter.case.decisions.get()
    client.force_login(officer)

    response = client.post(
        reverse("decision_edit", args=[decision.pk]),
        {
            "questions": [q.pk for q in decision.questions.all()],
            "outcome": Decision.Outcome.PROVIDED,
            "answer": "A new answer typed by the officer.",
            "revision": decision.revision,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Start a correction" in page
    assert "A new answer typed by the officer." in page  # nothing typed is lost


def test_approval_checks_the_decisions_the_reviewer_read(letter, officer, reviewer):
    version = builders.submit(letter, actor=officer)
    # Changed behind the services' back (a data fix, a script): the letter stays in review.
    Decision.objects.filter(case=letter.case).update(answer="Something else entirely.")

    with pytest.raises(workflow.TransitionError, match="decisions behind this letter changed"):
        workflow.approve_letter(letter, actor=reviewer, version_number=version.number)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_REVIEW


def test_whoever_wrote_a_decision_cannot_approve_the_letter(
    catalogue, authority, requester, officer, roles
):
    both = make_user("bea", OFFICERS, roles, email="bea@example.org")
    both.groups.add(roles[REVIEWERS])
    case = builders.open_case(actor=officer, authority=authority, requester=requester)
    builders.decide(case, actor=both)  # Bea decides; Olivia writes and submits the letter
    letter = builders.draft_letter(case, actor=officer)
    version = builders.submit(letter, actor=officer)

    with pytest.raises(workflow.TransitionError, match="decisions"):
        workflow.approve_letter(letter, actor=both, version_number=version.number)
