"""The audit trail: who did what is kept as it was, and only known actions are written."""

import pytest
from django.urls import reverse

from responses import workflow
from responses.models import CaseEvent


@pytest.fixture
def opened_case(authority, requester, foia, officer):
    return workflow.open_case(
        actor=officer,
        authority=authority,
        regime=foia,
        requester=requester,
        subject="Drones",
        request_text="How many drones do you own?",
        questions=["How many drones do you own?"],
    )


def test_history_keeps_the_name_an_officer_had_when_they_acted(client, opened_case, officer):
    officer.first_name, officer.last_name = "Renamed", "Person"
    officer.save()

    client.force_login(officer)
    page = client.get(reverse("case_detail", args=[opened_case.pk])).content.decode()

    assert "Olivia Officer" in page
    assert "Renamed Person" not in page


def test_every_action_has_a_label_shown_in_the_history(opened_case):
    event = opened_case.events.get()
    assert event.action == CaseEvent.Action.CASE_OPENED
    assert event.label == "Request logged"
    assert all(label and label != value for value, label in CaseEvent.Action.choices)


def test_an_unknown_action_is_refused(opened_case, officer):
    with pytest.raises(ValueError, match="not an audit action"):
        CaseEvent.objects.record(opened_case, "made_up", officer)
    assert opened_case.events.count() == 1


def test_the_requester_and_the_system_are_named_by_no_one(opened_case):
    event = CaseEvent.objects.record(opened_case, CaseEvent.Action.PDF_DOWNLOADED, None)
    assert event.actor is None
    assert event.actor_name == ""
