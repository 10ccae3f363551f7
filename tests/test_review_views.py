"""The reviewer's pages: queue, letter, changes, comments, decisions; and the case history."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from responses import workflow
from responses.models import CaseEvent, Decision, InternalReviewOutcome, Letter, RequesterLink
from tests import builders
from tests.conftest import PASSWORD

pytest_plugins = ["tests.review_fixtures"]


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def submitted(letter, officer):
    workflow.submit_letter(letter, actor=officer)
    return letter


def test_queue_lists_letters_awaiting_review_oldest_deadline_first(
    client, catalogue, authority, requester, officer, reviewer
):
    today = timezone.localdate()
    people = dict(actor=officer, authority=authority, requester=requester)
    newer = builders.response_letter(**people, received_on=today)
    older = builders.response_letter(**people, received_on=today - datetime.timedelta(days=10))
    draft_only = builders.response_letter(**people)
    workflow.submit_letter(newer, actor=officer)
    workflow.submit_letter(older, actor=officer)

    body = page(signed_in(client, reviewer), "review_queue")
    assert body.index(older.case.reference) < body.index(newer.case.reference)
    assert draft_only.case.reference not in body


def test_queue_and_review_page_say_when_a_response_is_overdue(
    client, catalogue, authority, requester, officer, reviewer
):
    # Received Monday 2 March 2026: due Tuesday 31 March (St Patrick's Day is not counted).
    late = builders.response_letter(
        actor=officer,
        authority=authority,
        requester=requester,
        received_on=datetime.date(2026, 3, 2),
    )
    workflow.submit_letter(late, actor=officer)
    signed_in(client, reviewer)

    with time_machine.travel(datetime.datetime(2026, 4, 2, 12), tick=False):
        queue = page(client, "review_queue")
        review = page(client, "review_letter", late.pk)

    for body in (queue, review):
        assert "31 March 2026" in body and "Overdue by 2 working days" in body


def test_queue_is_for_reviewers_only(client, officer, outsider):
    assert signed_in(client, officer).get(reverse("review_queue")).status_code == 403
    client.logout()
    assert signed_in(client, outsider).get(reverse("review_queue")).status_code == 403


def test_requester_is_hidden_until_revealed_with_a_reason(client, submitted, reviewer):
    signed_in(client, reviewer)
    body = page(client, "review_letter", submitted.pk)
    assert "Rowan Requester" not in body
    assert "rowan@example.com" not in body
    assert "[requester]" in body or "Hidden" in body

    response = client.post(reverse("review_reveal", args=[submitted.pk]), {"reason": ""})
    assert "Rowan Requester" not in client.get(response.url).content.decode()
    assert not CaseEvent.objects.filter(action="requester_revealed").exists()

    client.post(reverse("review_reveal", args=[submitted.pk]), {"reason": "Check for s14(2)."})
    assert "Rowan Requester" in page(client, "review_letter", submitted.pk)
    event = CaseEvent.objects.get(action="requester_revealed")
    assert (event.actor, event.comment) == (reviewer, "Check for s14(2).")


def test_changes_since_the_previous_version_are_marked_word_by_word(
    client, submitted, officer, reviewer
):
    workflow.return_letter(
        submitted,
        actor=reviewer,
        version_number=builders.version_number(submitted),
        comment="Say when it was published.",
    )
    builders.edit_answer(
        submitted, actor=officer, text="We hold the policy. It was published <b>in May</b>."
    )
    workflow.submit_letter(submitted, actor=officer)

    body = page(signed_in(client, reviewer), "review_letter", submitted.pk)
    assert "What changed since version 1" in body
    assert "<del>is attached.</del>" in body
    assert "<ins>was published &lt;b&gt;in May&lt;/b&gt;.</ins>" in body
    assert "<b>in May</b>" not in body.split("<iframe")[0]
    # The return comment on version 1 is still in view.
    assert "Say when it was published." in body


def test_problems_found_by_the_checks_are_shown(client, submitted, officer, reviewer):
    # The officer splits the request after submitting: a question now has no decision.
    builders.add_question(submitted.case, actor=officer, text="And the drone log?")
    assert "Q2 has no decision yet." in page(
        signed_in(client, reviewer), "review_letter", submitted.pk
    )


def test_comment_on_a_section_is_kept_and_escaped(client, submitted, reviewer):
    signed_in(client, reviewer)
    client.post(
        reverse("review_comment", args=[submitted.pk]),
        {"section_key": builders.answer_key(submitted), "text": "Is <i>attached</i> right?"},
    )
    body = page(client, "review_letter", submitted.pk)
    assert "Is &lt;i&gt;attached&lt;/i&gt; right?" in body
    assert "on Q1" in body  # the heading the reviewer saw, not the key


def test_approve_from_the_page(client, submitted, reviewer):
    signed_in(client, reviewer)
    response = client.post(
        reverse("review_approve", args=[submitted.pk]), {"version": "1"}, follow=True
    )
    assert "Version 1 approved." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Letter.Status.APPROVED


def test_author_who_reviews_cannot_approve_and_is_told_why(client, letter, roles):
    from tests.conftest import make_user

    both = make_user("bea", "Disclosure officers", roles)
    both.groups.add(roles["Reviewers"])
    workflow.submit_letter(letter, actor=both)
    signed_in(client, both)
    body = page(client, "review_letter", letter.pk)
    assert "another reviewer must approve it" in body
    assert "Approve version" not in body
    response = client.post(
        reverse("review_approve", args=[letter.pk]), {"version": "1"}, follow=True
    )
    assert "another reviewer must approve it" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_REVIEW


def test_return_without_a_comment_is_refused(client, submitted, reviewer):
    signed_in(client, reviewer)
    response = client.post(
        reverse("review_return", args=[submitted.pk]),
        {"comment": "  ", "version": "1"},
        follow=True,
    )
    assert "Say what needs to change" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Letter.Status.IN_REVIEW

    client.post(
        reverse("review_return", args=[submitted.pk]), {"comment": "Cite s31.", "version": "1"}
    )
    submitted.refresh_from_db()
    assert submitted.status == Letter.Status.DRAFT


def test_officer_cannot_approve_from_the_page(client, submitted, second_officer):
    signed_in(client, second_officer)
    response = client.post(
        reverse("review_approve", args=[submitted.pk]), {"version": "1"}, follow=True
    )
    assert "Only a reviewer can approve" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Letter.Status.IN_REVIEW


def test_submit_page_lists_warnings_and_records_them_as_acknowledged(client, case, officer):
    case.searches = ""  # the letter does not say how we searched: a warning
    case.save()
    letter = builders.response_letter(case, actor=officer)
    signed_in(client, officer)
    body = page(client, "letter_submit", letter.pk)
    warning = "Describe the searches made (on the case page)."
    assert warning in body and "I have read the warnings" in body
    client.post(reverse("letter_submit", args=[letter.pk]))
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_REVIEW
    history = page(client, "case_history", letter.case.pk)
    assert "Warnings acknowledged" in history and warning in history


def test_history_shows_who_what_when_and_the_move(client, submitted, reviewer):
    workflow.return_letter(
        submitted,
        actor=reviewer,
        version_number=builders.version_number(submitted),
        comment="Needs the <b>date</b>.",
    )
    body = page(signed_in(client, reviewer), "case_history", submitted.case.pk)
    for label in ("Request logged", "Submitted for review", "Returned by the reviewer"):
        assert label in body
    assert "Awaiting review → Draft" in body  # in words, not "in_review → draft"
    assert "Needs the &lt;b&gt;date&lt;/b&gt;." in body
    assert "Rita Reviewer" in body


def test_officer_sends_a_new_link_and_revokes(
    client, case, officer, django_capture_on_commit_callbacks
):
    signed_in(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("requester_link", args=[case.pk]), {"action": "send"})
        client.post(reverse("requester_link", args=[case.pk]), {"action": "send"})
    assert len(mail.outbox) == 2
    assert RequesterLink.objects.filter(case=case).active().count() == 1
    client.post(reverse("requester_link", args=[case.pk]), {"action": "revoke"})
    assert RequesterLink.objects.filter(case=case).active().count() == 0
    assert "Stopped" in page(client, "requester_link", case.pk)


def test_reviewer_cannot_send_links(client, case, reviewer):
    signed_in(client, reviewer)
    response = client.post(reverse("requester_link", args=[case.pk]), {"action": "send"})
    assert response.status_code == 403
    assert not RequesterLink.objects.exists()


def test_officer_records_a_review_outcome_while_draft(
    client, letter, officer, reviewer, fake_renderer
):
    builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    review = builders.review_case(letter.case)
    outcome_letter = builders.assemble_letter(
        review, actor=officer, kind=Letter.Kind.REVIEW_OUTCOME
    )
    signed_in(client, officer)
    assert "Outcome of the internal review" in page(client, "review_outcome", outcome_letter.pk)
    response = client.post(
        reverse("review_outcome", args=[outcome_letter.pk]),
        {"outcome": "overturned", "reasons": "The information is already public."},
    )
    assert response.status_code == 302
    outcome_letter = Letter.objects.get(pk=outcome_letter.pk)
    assert outcome_letter.review_outcome.get_outcome_display().startswith("Overturned")
    workflow.submit_letter(outcome_letter, actor=officer)
    client.post(
        reverse("review_outcome", args=[outcome_letter.pk]),
        {"outcome": "upheld", "reasons": "Changed my mind."},
    )
    outcome_letter.review_outcome.refresh_from_db()
    assert outcome_letter.review_outcome.outcome == InternalReviewOutcome.Outcome.OVERTURNED


def test_reopen_and_correct_from_the_issue_page(
    client, submitted, officer, reviewer, fake_renderer
):

    workflow.approve_letter(
        submitted, actor=reviewer, version_number=builders.version_number(submitted)
    )
    signed_in(client, officer)
    client.post(reverse("letter_reopen", args=[submitted.pk]), {"reason": "Wrong date."})
    submitted.refresh_from_db()
    assert submitted.status == Letter.Status.DRAFT

    builders.approve(submitted, officer=officer, reviewer=reviewer)
    builders.issue(submitted, actor=officer)
    body = page(client, "letter_issue", submitted.pk)
    assert "Start a correction" in body and "Reopen as a draft" not in body
    client.post(reverse("letter_correct", args=[submitted.pk]), {"reason": "Typo in Q1."})
    correction = Letter.objects.get(corrects=submitted)
    assert correction.status == Letter.Status.DRAFT


def test_sections_added_and_removed_are_shown(client, submitted, officer, reviewer):
    workflow.return_letter(
        submitted,
        actor=reviewer,
        version_number=builders.version_number(submitted),
        comment="This must be withheld under section 31.",
    )
    (provided,) = submitted.case.decisions.all()
    answer_key = builders.answer_key(submitted)
    builders.delete_decision(provided, actor=officer)
    builders.decide(
        submitted.case,
        actor=officer,
        outcome=Decision.Outcome.WITHHELD,
        citations=[("31", builders.WITHHOLD)],
    )
    builders.rebuild_letter(submitted, actor=officer, revision=submitted.revision)
    submitted.refresh_from_db()
    builders.fill_slots(submitted, actor=officer)
    builders.edit(submitted, actor=officer, texts={"harm": "Disclosure would <harm> policing."})
    workflow.submit_letter(submitted, actor=officer)
    body = page(signed_in(client, reviewer), "review_letter", submitted.pk)
    harm = body.split('data-section="harm"')[1].split("</div>")[0]
    answer = body.split(f'data-section="{answer_key}"')[1].split("</div>")[0]
    assert "added" in harm and "<ins>Disclosure would &lt;harm&gt; policing.</ins>" in harm
    assert "removed" in answer and "<del>We hold the policy. It is attached.</del>" in answer
