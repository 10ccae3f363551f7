"""A complex FOIA internal review: 40 working days instead of 20, everywhere the date shows."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from exemptions.models import Regime
from responses import clock_events, reminders, review_clock, worklist
from responses.clock_events import ClockEventError
from responses.deadlines import case_deadline
from responses.models import Case, CaseEvent, ClockEvent
from responses.workflow import open_case
from responses.working_days import add_working_days, working_days_between
from tests.conftest import PASSWORD

D = datetime.date
RECEIVED = D(2025, 3, 10)  # 20 working days: Tue 8 Apr 2025; 40: Fri 9 May 2025


def regime(code):
    found, _ = Regime.objects.get_or_create(
        code=code, defaults={"statute": code, "regulator": "Commissioner"}
    )
    return found


@pytest.fixture
def make_review(authority, requester, officer):
    def build(code=Regime.FOIA, received_on=RECEIVED):
        return open_case(
            actor=officer,
            authority=authority,
            regime=regime(code),
            requester=requester,
            kind=Case.Kind.INTERNAL_REVIEW,
            received_on=received_on,
            request_text="Please look again at the refusal.",
            assigned_to=officer,
        )

    return build


@pytest.fixture
def review(make_review):
    return make_review()


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def mark_complex(client, case, reason="Twelve exemptions and 3,000 pages to reconsider."):
    url = reverse("clock_event_add", args=[case.pk, "complex_review"])
    return client.post(url, {"reason": reason})


def test_reviews_are_due_in_their_regimes_period(make_review):
    assert case_deadline(make_review(Regime.FOIA), overrides=()).deadline == D(2025, 4, 8)
    # EIR reg 11(4): 40 working days for every review; FOISA s21(1): 20 (Scottish holidays).
    assert case_deadline(make_review(Regime.EIR), overrides=()).deadline == D(2025, 5, 9)
    assert case_deadline(make_review(Regime.FOISA), overrides=()).deadline == D(2025, 4, 7)


def test_officer_marks_a_review_complex_from_the_case_page(client, officer, review):
    client = signed_in(client, officer)
    page = client.get(reverse("case_detail", args=[review.pk]))
    assert "Mark the review as complex (40 working days)" in page.text

    form = client.get(reverse("clock_event_add", args=[review.pk, "complex_review"]))
    assert form.status_code == 200
    assert "Why the review is complex" in form.text

    response = mark_complex(client, review)
    assert response.status_code == 302
    explanation = case_deadline(review)
    assert explanation.deadline == D(2025, 5, 9)
    assert explanation.statutory_deadline == D(2025, 4, 8)
    assert any("complex internal review" in line for line in explanation.lines)

    page = client.get(reverse("case_detail", args=[review.pk]))
    assert "Friday 9 May 2025" in page.text
    assert "Twelve exemptions and 3,000 pages to reconsider." in page.text
    assert "Mark the review as complex" not in page.text  # once is enough

    [audit] = review.events.filter(action=CaseEvent.Action.REVIEW_MARKED_COMPLEX)
    assert audit.actor == officer
    assert audit.comment == "Twelve exemptions and 3,000 pages to reconsider."
    assert audit.details["deadline_before"] == "2025-04-08"
    assert audit.details["deadline_after"] == "2025-05-09"


def test_a_reason_is_required(client, officer, review):
    response = mark_complex(signed_in(client, officer), review, reason="")
    assert response.status_code == 200
    assert "Say why, so the deadline can be checked later" in response.text
    assert case_deadline(review).deadline == D(2025, 4, 8)


def test_undoing_it_brings_back_20_working_days(client, officer, review):
    client = signed_in(client, officer)
    mark_complex(client, review)
    event = review.clock_events.get(kind=ClockEvent.Kind.COMPLEX_REVIEW)
    client.post(
        reverse("clock_event_undo", args=[review.pk, event.pk]), {"reason": "Not so complex."}
    )
    assert case_deadline(review).deadline == D(2025, 4, 8)


def test_only_a_foia_internal_review_can_be_marked_complex(
    client, officer, authority, requester, make_review
):
    request = open_case(
        actor=officer,
        authority=authority,
        regime=regime(Regime.FOIA),
        requester=requester,
        received_on=RECEIVED,
        request_text="Speed cameras.",
    )
    client = signed_in(client, officer)
    for case in (request, make_review(Regime.EIR), make_review(Regime.FOISA)):
        assert mark_complex(client, case).status_code == 404
        with pytest.raises(ClockEventError):
            clock_events.start_event(
                case,
                actor=officer,
                kind=ClockEvent.Kind.COMPLEX_REVIEW,
                starts_on=RECEIVED,
                reason="Complex.",
            )
    with pytest.raises(ClockEventError, match="Only an internal review"):
        clock_events.start_event(
            request,
            actor=officer,
            kind=ClockEvent.Kind.COMPLEX_REVIEW,
            starts_on=RECEIVED,
            reason="Complex.",
        )


def test_a_review_is_not_offered_the_requests_clock_events(client, officer, review):
    """A review has no s10(3) extension, clarification stop or fees notice: its period
    is the Code's 20 working days, or 40 when complex."""
    page = signed_in(client, officer).get(reverse("case_detail", args=[review.pk]))
    assert "Record a request for clarification" not in page.text
    assert "Extend for the public interest test" not in page.text
    assert (
        client.get(reverse("clock_event_add", args=[review.pk, "pit_extension"])).status_code == 404
    )


def test_work_list_and_reminders_use_the_40_day_deadline(make_review, officer):
    review = make_review(received_on=D(2026, 1, 5))
    calendar = case_deadline(review).calendar
    clock_events.start_event(
        review,
        actor=officer,
        kind=ClockEvent.Kind.COMPLEX_REVIEW,
        starts_on=D(2026, 1, 5),
        reason="Voluminous.",
    )
    deadline = add_working_days(D(2026, 1, 5), 40, calendar)
    [item] = worklist.work_items()
    assert item.deadline == deadline

    five_before = D(2026, 1, 5)
    while working_days_between(five_before, deadline, calendar) != 5:
        five_before += datetime.timedelta(days=1)
    reminders.send_reminders(today=five_before)
    assert [message.subject for message in mail.outbox] == [
        f"{review.reference} is due in 5 working days, on {deadline:%A %-d %B}"
    ]


def test_a_complex_review_answered_after_20_days_is_within_its_extension(officer, review):
    clock_events.start_event(
        review,
        actor=officer,
        kind=ClockEvent.Kind.COMPLEX_REVIEW,
        starts_on=RECEIVED,
        reason="Voluminous.",
    )
    assert review_clock.timeliness(review, D(2025, 4, 8)) == ("in_time", 0)
    assert review_clock.timeliness(review, D(2025, 5, 1)) == ("within_extension", 0)
    assert review_clock.timeliness(review, D(2025, 5, 12)) == ("late", 1)
