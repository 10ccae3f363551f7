"""Submit, return, approve, reopen and correct: the rules every path must obey."""

import threading

import pytest
from django.db import connections

from responses import workflow
from responses.models import (
    Case,
    CaseEvent,
    IssuedDocument,
    Letter,
    LetterVersion,
    ReviewComment,
    ReviewDecision,
)
from tests import builders
from tests.builders import ANSWER, FAKE_PDF
from tests.conftest import make_user

pytest_plugins = ["tests.review_fixtures"]


def actions(case):
    return list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))


def answer_in(version, letter):
    """The text of the decision's answer as the version froze it."""
    key = builders.answer_key(letter)
    (section,) = [section for section in version.sections if section["key"] == key]
    return section["paragraphs"][0]["text"]


def test_submit_freezes_a_version_and_moves_letter_and_case(letter, officer):
    version = workflow.submit_letter(letter, actor=officer)

    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_REVIEW
    assert letter.case.status == Case.Status.IN_REVIEW
    assert version.number == 1
    assert version.author == officer
    assert answer_in(version, letter) == ANSWER
    assert "We hold the policy" in version.html
    assert "letter_submitted" in actions(letter.case)


def test_later_edits_do_not_change_the_submitted_version(letter, officer, reviewer):
    version = workflow.submit_letter(letter, actor=officer)
    workflow.return_letter(
        letter,
        actor=reviewer,
        version_number=builders.version_number(letter),
        comment="Say when it was published.",
    )
    builders.edit_answer(letter, actor=officer, text="Entirely new words.")

    version.refresh_from_db()
    assert "We hold the policy" in version.html and "Entirely new words" not in version.html
    assert answer_in(version, letter) == ANSWER


def test_only_a_draft_can_be_submitted(letter, officer):
    workflow.submit_letter(letter, actor=officer)
    with pytest.raises(workflow.TransitionError, match="only a draft can be submitted"):
        workflow.submit_letter(letter, actor=officer)
    assert LetterVersion.objects.filter(letter=letter).count() == 1


def test_reviewer_cannot_submit(letter, reviewer):
    with pytest.raises(workflow.TransitionError, match="disclosure officer"):
        workflow.submit_letter(letter, actor=reviewer)


def test_drafting_errors_block_submission_and_warnings_are_recorded(
    catalogue, authority, requester, officer
):
    case = builders.open_case(
        actor=officer, authority=authority, requester=requester, questions=["One?", "Two?"]
    )
    builders.decide(case, actor=officer, numbers=[1])
    letter = builders.draft_letter(case, actor=officer)
    with pytest.raises(workflow.TransitionError, match="Q2 has no decision yet"):
        workflow.submit_letter(letter, actor=officer)
    assert letter.versions.count() == 0

    # Answered in full, but with no searches described: a warning, not an error.
    builders.decide(case, actor=officer, numbers=[2])
    case.searches = ""
    case.save()
    letter = builders.draft_letter(case, actor=officer)
    workflow.submit_letter(letter, actor=officer)
    event = CaseEvent.objects.get(case=letter.case, action="letter_submitted")
    assert event.details["acknowledged_warnings"] == [
        "Describe the searches made (on the case page)."
    ]


def test_return_needs_a_comment_and_goes_back_to_draft(letter, officer, reviewer):
    workflow.submit_letter(letter, actor=officer)
    with pytest.raises(workflow.TransitionError, match="Say what needs to change"):
        workflow.return_letter(
            letter, actor=reviewer, version_number=builders.version_number(letter), comment="   "
        )
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_REVIEW

    workflow.return_letter(
        letter,
        actor=reviewer,
        version_number=builders.version_number(letter),
        comment="Cite section 43.",
    )
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT
    assert letter.case.status == Case.Status.OPEN
    event = CaseEvent.objects.get(case=letter.case, action="letter_returned")
    assert (event.comment, event.from_status, event.to_status) == (
        "Cite section 43.",
        "in_review",
        "draft",
    )
    assert ReviewComment.objects.get(version__letter=letter).text == "Cite section 43."


def test_approve_moves_letter_and_case(letter, officer, reviewer):
    workflow.submit_letter(letter, actor=officer)
    workflow.approve_letter(letter, actor=reviewer, version_number=builders.version_number(letter))
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED
    assert letter.case.status == Case.Status.APPROVED
    assert ReviewDecision.objects.get(version__letter=letter).reviewer == reviewer


def test_submitter_cannot_approve_even_as_a_reviewer(letter, roles, case):
    both = make_user("bea", "Disclosure officers", roles)
    both.groups.add(roles["Reviewers"])
    workflow.submit_letter(letter, actor=both)
    with pytest.raises(workflow.TransitionError, match="another reviewer must approve"):
        workflow.approve_letter(letter, actor=both, version_number=builders.version_number(letter))
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_REVIEW


def test_someone_who_edited_the_letter_cannot_approve_it(letter, officer, roles):
    editor = make_user("ed", "Reviewers", roles)
    editor.groups.add(roles["Disclosure officers"])
    builders.edit_answer(letter, actor=editor, text="Edited by Ed.")
    workflow.submit_letter(letter, actor=officer)
    with pytest.raises(workflow.TransitionError, match="wrote or edited"):
        workflow.approve_letter(
            letter, actor=editor, version_number=builders.version_number(letter)
        )


def test_an_earlier_approval_clears_the_editors(letter, officer, reviewer, roles):
    second_reviewer = make_user("rex", "Reviewers", roles)
    builders.edit_answer(letter, actor=second_reviewer, text="Rex's tweak.")
    workflow.submit_letter(letter, actor=officer)
    workflow.approve_letter(letter, actor=reviewer, version_number=builders.version_number(letter))
    workflow.reopen_letter(letter, actor=officer, reason="Add the date.")
    builders.edit_answer(letter, actor=officer, text="With the date.")
    workflow.submit_letter(letter, actor=officer)
    # Rex's edit was approved by Rita before; the new text is Olivia's alone.
    workflow.approve_letter(
        letter, actor=second_reviewer, version_number=builders.version_number(letter)
    )
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED


def test_officer_cannot_approve(letter, officer, second_officer):
    workflow.submit_letter(letter, actor=officer)
    with pytest.raises(workflow.TransitionError, match="Only a reviewer"):
        workflow.approve_letter(
            letter, actor=second_officer, version_number=builders.version_number(letter)
        )


def test_a_second_approval_is_refused(letter, officer, reviewer, roles):
    other = make_user("ruth", "Reviewers", roles)
    workflow.submit_letter(letter, actor=officer)
    workflow.approve_letter(letter, actor=reviewer, version_number=builders.version_number(letter))
    with pytest.raises(workflow.TransitionError, match="not awaiting review"):
        workflow.approve_letter(letter, actor=other, version_number=builders.version_number(letter))
    assert ReviewDecision.objects.filter(version__letter=letter).count() == 1
    assert actions(letter.case).count("letter_approved") == 1


def test_approve_a_draft_is_refused(letter, reviewer):
    with pytest.raises(workflow.TransitionError, match="not awaiting review"):
        workflow.approve_letter(
            letter, actor=reviewer, version_number=builders.version_number(letter)
        )


def test_reopen_approved_letter_but_never_an_issued_one(letter, officer, reviewer):
    workflow.submit_letter(letter, actor=officer)
    workflow.approve_letter(letter, actor=reviewer, version_number=builders.version_number(letter))
    with pytest.raises(workflow.TransitionError, match="Say why"):
        workflow.reopen_letter(letter, actor=officer, reason="")
    workflow.reopen_letter(letter, actor=officer, reason="The date is wrong.")
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT
    assert letter.case.status == Case.Status.OPEN

    version = workflow.submit_letter(letter, actor=officer)
    assert version.number == 2
    workflow.approve_letter(letter, actor=reviewer, version_number=builders.version_number(letter))
    attempt = workflow.request_issue(letter, actor=officer)
    workflow.mark_issued(workflow.claim_issue_attempt(attempt), pdf_bytes=FAKE_PDF)
    with pytest.raises(workflow.TransitionError, match="cannot be changed; start a correction"):
        workflow.reopen_letter(letter, actor=officer, reason="Typo.")


def test_correction_is_a_new_letter_pointing_at_the_old(letter, officer, reviewer):
    workflow.submit_letter(letter, actor=officer)
    workflow.approve_letter(letter, actor=reviewer, version_number=builders.version_number(letter))
    workflow.mark_issued(
        workflow.claim_issue_attempt(workflow.request_issue(letter, actor=officer)),
        pdf_bytes=FAKE_PDF,
    )

    correction = workflow.start_correction(letter, actor=officer, reason="Wrong figure in table.")
    assert correction.corrects == letter
    assert correction.status == Letter.Status.DRAFT
    assert builders.paragraph(correction, builders.answer_key(letter)).text == ANSWER
    assert [s.key for s in correction.sections.all()] == [s.key for s in letter.sections.all()]
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ISSUED
    # The correction goes through review again; the case stays responded meanwhile.
    workflow.submit_letter(correction, actor=officer)
    correction.case.refresh_from_db()
    assert correction.case.status == Case.Status.RESPONDED


def test_acknowledgement_does_not_move_the_case(case, officer, reviewer):
    acknowledgement = builders.draft_letter(case, actor=officer, kind=Letter.Kind.ACKNOWLEDGEMENT)
    workflow.submit_letter(acknowledgement, actor=officer)
    workflow.approve_letter(
        acknowledgement, actor=reviewer, version_number=builders.version_number(acknowledgement)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_review_outcome_letter_needs_its_outcome(
    letter, officer, reviewer, fake_renderer, django_capture_on_commit_callbacks
):
    builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        review = builders.review_case(letter.case)
    outcome_letter = builders.assemble_letter(
        review, actor=officer, kind=Letter.Kind.REVIEW_OUTCOME
    )
    with pytest.raises(workflow.TransitionError, match="outcome and reasons"):
        workflow.submit_letter(outcome_letter, actor=officer)
    builders.record_review_outcome(outcome_letter, actor=officer)
    builders.fill_slots(outcome_letter, actor=officer)
    workflow.submit_letter(outcome_letter, actor=officer)
    review.refresh_from_db()
    assert review.status == Case.Status.IN_REVIEW


def test_reveal_requester_needs_a_reason_and_is_logged(case, reviewer):
    with pytest.raises(workflow.TransitionError, match="Say why"):
        workflow.reveal_requester(case, actor=reviewer, reason=" ")
    workflow.reveal_requester(case, actor=reviewer, reason="Possible repeat request under s14(2).")
    event = CaseEvent.objects.get(case=case, action="requester_revealed")
    assert event.actor == reviewer
    assert event.comment == "Possible repeat request under s14(2)."


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_give_one_approval(
    catalogue, authority, requester, officer, roles
):
    first = make_user("rita", "Reviewers", roles)
    second = make_user("ruth", "Reviewers", roles)
    racing_letter = builders.response_letter(
        actor=officer, authority=authority, requester=requester
    )
    workflow.submit_letter(racing_letter, actor=officer)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        barrier.wait()
        try:
            workflow.approve_letter(
                racing_letter, actor=user, version_number=builders.version_number(racing_letter)
            )
            outcomes.append("approved")
        except workflow.TransitionError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert ReviewDecision.objects.filter(version__letter=racing_letter).count() == 1
    assert CaseEvent.objects.filter(case=racing_letter.case, action="letter_approved").count() == 1
    assert IssuedDocument.objects.count() == 0


def test_approving_a_version_that_has_been_replaced_is_refused(letter, officer, reviewer):
    workflow.submit_letter(letter, actor=officer)
    workflow.return_letter(
        letter,
        actor=reviewer,
        version_number=builders.version_number(letter),
        comment="Say more about the searches.",
    )
    workflow.submit_letter(letter, actor=officer)
    with pytest.raises(workflow.TransitionError, match="version 2 is now under review"):
        workflow.approve_letter(letter, actor=reviewer, version_number=1)
    assert workflow.approve_letter(letter, actor=reviewer, version_number=2).number == 2


def test_errors_found_after_submission_block_approval(letter, officer, reviewer):
    workflow.submit_letter(letter, actor=officer)
    # The officer splits the request after submitting: a question now has no decision. The
    # letter goes back to draft (the record it was written from changed) ...
    builders.add_question(letter.case, actor=officer, text="And the drone log?")
    with pytest.raises(workflow.TransitionError, match="not awaiting review"):
        workflow.approve_letter(
            letter, actor=reviewer, version_number=builders.version_number(letter)
        )
    # ... and cannot go back to the reviewer until the new question is decided.
    with pytest.raises(workflow.TransitionError, match="Q2 has no decision yet"):
        workflow.submit_letter(letter, actor=officer)
