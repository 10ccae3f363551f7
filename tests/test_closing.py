"""Closing a request without a letter (lapsed, a duplicate; withdrawn is in
test_workflow_status.py) and reopening it when that was a mistake."""

import pytest
from django.urls import reverse
from django.utils import timezone

from responses import clock_events, tokens, workflow, worklist
from responses.models import Case, CaseEvent, ClockEvent, Letter
from tests import builders
from tests.conftest import PASSWORD

pytest_plugins = ["tests.review_fixtures"]


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def ask_for_clarification(case, officer):
    return clock_events.start_event(
        case,
        actor=officer,
        kind=ClockEvent.Kind.CLARIFICATION,
        starts_on=case.received_on,
        reason="Which unit's drones?",
    )


def in_work_list(case):
    return case.pk in {item.case.pk for item in worklist.work_items()}


def test_a_request_lapses_when_the_clarification_never_came(case, officer):
    ask_for_clarification(case, officer)
    workflow.lapse_case(
        case,
        actor=officer,
        because=Case.LapsedBecause.CLARIFICATION,
        reason="Asked on 3 March; no reply after 60 working days.",
    )
    case.refresh_from_db()
    assert case.status == Case.Status.LAPSED
    assert case.lapsed_because == Case.LapsedBecause.CLARIFICATION
    assert case.closed_on == timezone.localdate()
    assert not in_work_list(case)
    event = case.events.get(action=CaseEvent.Action.CASE_LAPSED)
    assert (event.from_status, event.to_status) == (Case.Status.ON_HOLD, Case.Status.LAPSED)
    assert event.comment == "Asked on 3 March; no reply after 60 working days."


def test_a_request_lapses_only_while_we_wait_for_what_it_lapses_on(case, officer, reviewer):
    with pytest.raises(workflow.TransitionError, match="not waiting for a clarification"):
        workflow.lapse_case(
            case, actor=officer, because=Case.LapsedBecause.CLARIFICATION, reason="No reply."
        )
    ask_for_clarification(case, officer)
    with pytest.raises(workflow.TransitionError, match="not waiting for a fee"):
        workflow.lapse_case(case, actor=officer, because=Case.LapsedBecause.FEE, reason="Unpaid.")
    with pytest.raises(workflow.TransitionError, match="Say what we asked for"):
        workflow.lapse_case(
            case, actor=officer, because=Case.LapsedBecause.CLARIFICATION, reason=" "
        )
    with pytest.raises(workflow.TransitionError, match="disclosure officer"):
        workflow.lapse_case(
            case, actor=reviewer, because=Case.LapsedBecause.CLARIFICATION, reason="No reply."
        )
    case.refresh_from_db()
    assert case.status == Case.Status.ON_HOLD
    assert not case.events.filter(action=CaseEvent.Action.CASE_LAPSED).exists()


def test_a_duplicate_points_at_the_request_that_answers_it(case, officer, authority, requester):
    again = builders.open_case(actor=officer, authority=authority, requester=requester)
    workflow.close_as_duplicate(
        again, actor=officer, original=case, reason="Sent twice: by email and the web form."
    )
    again.refresh_from_db()
    assert again.status == Case.Status.DUPLICATE
    assert again.duplicate_of == case
    assert list(case.duplicates.all()) == [again]
    assert not in_work_list(again) and in_work_list(case)
    event = again.events.get(action=CaseEvent.Action.CASE_CLOSED_AS_DUPLICATE)
    assert event.details["duplicate_of_reference"] == case.reference


def test_a_duplicate_must_point_at_a_request_that_will_be_answered(
    case, officer, authority, requester
):
    second = builders.open_case(actor=officer, authority=authority, requester=requester)
    third = builders.open_case(actor=officer, authority=authority, requester=requester)
    with pytest.raises(workflow.TransitionError, match="cannot duplicate itself"):
        workflow.close_as_duplicate(case, actor=officer, original=case, reason="Same.")
    workflow.close_as_duplicate(second, actor=officer, original=case, reason="Same.")
    with pytest.raises(workflow.TransitionError, match=f"duplicate of {case.reference}"):
        workflow.close_as_duplicate(third, actor=officer, original=second, reason="Same.")
    workflow.withdraw_case(case, actor=officer, reason="Phoned.")
    with pytest.raises(workflow.TransitionError, match="will not be answered"):
        workflow.close_as_duplicate(third, actor=officer, original=case, reason="Same.")
    third.refresh_from_db()
    assert third.status == Case.Status.OPEN


def test_reopening_puts_the_case_back_where_it_was_and_its_letters_move_again(
    case, letter, officer
):
    ask_for_clarification(case, officer)
    workflow.lapse_case(
        case, actor=officer, because=Case.LapsedBecause.CLARIFICATION, reason="No reply."
    )
    with pytest.raises(workflow.TransitionError, match="lapsed"):
        workflow.submit_letter(letter, actor=officer)

    with pytest.raises(workflow.TransitionError, match="Say why"):
        workflow.reopen_case(case, actor=officer, reason="")
    workflow.reopen_case(case, actor=officer, reason="The clarification was in the spam folder.")
    case.refresh_from_db()
    assert case.status == Case.Status.ON_HOLD  # still waiting for the clarification
    assert (case.closed_on, case.closure_reason, case.lapsed_because) == (None, "", "")
    assert in_work_list(case)
    event = case.events.get(action=CaseEvent.Action.CASE_REOPENED)
    assert event.details["closed_as"] == Case.Status.LAPSED
    assert event.details["closure_reason"] == "No reply."
    assert event.comment == "The clarification was in the spam folder."
    workflow.submit_letter(letter, actor=officer)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.IN_REVIEW
    with pytest.raises(workflow.TransitionError, match="not closed"):
        workflow.reopen_case(case, actor=officer, reason="Again.")


def test_an_officer_closes_a_duplicate_and_both_pages_say_so(
    client, case, officer, authority, requester
):
    again = builders.open_case(actor=officer, authority=authority, requester=requester)
    signed_in(client, officer)
    url = reverse("case_close", args=[again.pk])
    missing = client.post(url, {"how": "duplicate", "duplicate_of": "", "reason": "Twice."})
    assert missing.status_code == 200
    assert "Enter the reference of the case it duplicates." in missing.content.decode()
    unknown = client.post(url, {"how": "duplicate", "duplicate_of": "FOI/1999/1", "reason": "x"})
    assert "There is no case with the reference FOI/1999/1." in unknown.content.decode()
    assert "Twice." in missing.content.decode()  # what was typed is kept

    response = client.post(
        url, {"how": "duplicate", "duplicate_of": case.reference.lower(), "reason": "Twice."}
    )
    assert response.status_code == 302
    page = client.get(reverse("case_detail", args=[again.pk])).content.decode()
    assert "as a duplicate of <a" in page and case.reference in page
    assert reverse("case_reopen", args=[again.pk]) in page
    original_page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert again.reference in original_page

    _, token = tokens.issue_link(again)
    portal = client.get(reverse("portal_case", args=[token])).content.decode()
    assert f"as a duplicate of {case.reference}" in portal
    assert "Twice." in portal
    assert reverse("case_detail", args=[case.pk]) not in portal


def test_an_officer_reopens_a_case_from_its_page(client, case, officer):
    workflow.withdraw_case(case, actor=officer, reason="Phoned.")
    signed_in(client, officer)
    url = reverse("case_reopen", args=[case.pk])
    assert "Reopen the case" in client.get(url).content.decode()
    assert "Enter a reason." in client.post(url, {"reason": " "}).content.decode()
    response = client.post(url, {"reason": "Wrong case: it was the other one."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert "only a request closed without a letter" in client.get(url).content.decode()


def test_a_lapse_from_the_close_page_that_the_workflow_refuses_says_why(client, case, officer):
    signed_in(client, officer)
    response = client.post(
        reverse("case_close", args=[case.pk]), {"how": "lapsed_fee", "reason": "Never paid."}
    )
    assert response.status_code == 200
    assert "The case is not waiting for a fee" in response.content.decode()
    assert "Never paid." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
