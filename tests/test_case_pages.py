"""The case page and the case list: what each role sees, and what it costs."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from responses.models import Case, Decision, Letter, Requester
from responses.questions import QuestionDraft, save_request
from responses.workflow import open_case, withdraw_case
from tests.conftest import PASSWORD, SigningInClient


def log_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def make_case(authority, officer, *, received_on, subject="Drones", name="Rowan Requester"):
    requester = Requester.objects.create(
        name=name, email="rowan@example.com", postal_address="2 Some Street\nTown"
    )
    return open_case(
        actor=officer,
        authority=authority,
        regime=authority.default_regime,
        requester=requester,
        received_on=received_on,
        received_via=Case.Channel.POST,
        subject=subject,
        request_text="1. How many drones?\n2. What did they cost?",
        assigned_to=officer,
        questions=["How many drones <b>exactly</b>?", "What did they cost?\nPer year, please."],
    )


@pytest.fixture
def case(authority, officer):
    case = make_case(authority, officer, received_on=datetime.date(2026, 3, 2))
    save_request(
        case,
        actor=officer,
        revision=case.revision,
        questions=[QuestionDraft(question.text, question.pk) for question in case.questions.all()],
        scope="From 1 January 2022 to the date of this request.",
        prioritisation_note="If you must prioritise, answer Q2.",
        searches="The Air Support Unit searched its asset register.",
    )
    return Case.objects.get(pk=case.pk)


def test_case_page_shows_everything_at_a_glance(client, officer, case):
    decision = Decision.objects.create(case=case, outcome=Decision.Outcome.NOT_HELD)
    decision.questions.set(case.questions.all())
    Letter.objects.create(case=case, kind=Letter.Kind.ACKNOWLEDGEMENT)
    log_in(client, officer)

    response = client.get(reverse("case_detail", args=[case.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert case.reference in html
    assert "Rowan Requester" in html and "rowan@example.com" in html and "2 Some Street" in html
    assert "2 March 2026 (post)" in html
    assert "Olivia Officer" in html
    assert "Open" in html and "FOIA" in html
    assert "From 1 January 2022 to the date of this request." in html
    assert "If you must prioritise, answer Q2." in html
    assert "The Air Support Unit searched its asset register." in html
    # Questions verbatim, numbered, escaped, inner line breaks kept.
    assert re.search(r"Q1\.</dt>\s*<dd[^>]*>How many drones &lt;b&gt;exactly&lt;/b&gt;\?", html)
    assert "What did they cost?\nPer year, please." in html
    assert "Q1 &amp; 2" in html and "Information not held" in html
    assert "Acknowledgement" in html
    # History: who and what.
    assert "Request logged" in html and "Request edited" in html
    assert html.count("Olivia Officer") >= 3
    # Officers may edit.
    assert reverse("case_request", args=[case.pk]) in html


def test_case_page_without_questions_points_the_officer_to_the_proposals(
    client, officer, authority
):
    requester = Requester.objects.create(name="Sam", email="sam@example.com")
    bare = open_case(
        actor=officer,
        authority=authority,
        regime=authority.default_regime,
        requester=requester,
        request_text="How many?",
        assigned_to=officer,
    )
    log_in(client, officer)
    html = client.get(reverse("case_detail", args=[bare.pk])).content.decode()
    assert "The questions have not been confirmed yet." in html
    assert "Check the proposed questions" in html


def test_reviewer_sees_the_case_without_edit_buttons(client, reviewer, case):
    log_in(client, reviewer)
    response = client.get(reverse("case_detail", args=[case.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert case.reference in html
    assert reverse("case_request", args=[case.pk]) not in html
    listing = client.get(reverse("home")).content.decode()
    assert case.reference in listing
    assert "Log a request" not in listing


def test_outsiders_get_403_and_anonymous_users_sign_in(client, outsider, case):
    for url in (reverse("home"), reverse("case_detail", args=[case.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    log_in(client, outsider)
    assert client.get(reverse("home")).status_code == 403
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 403


def test_case_page_refuses_posts(client, officer, case):
    log_in(client, officer)
    assert client.post(reverse("case_detail", args=[case.pk])).status_code == 405


def test_missing_case_is_404(client, officer, db):
    log_in(client, officer)
    assert client.get(reverse("case_detail", args=[999])).status_code == 404


def test_case_list_is_newest_first_with_log_button(client, officer, authority):
    later = make_case(authority, officer, received_on=datetime.date(2026, 3, 5), subject="Later")
    earlier = make_case(
        authority, officer, received_on=datetime.date(2026, 2, 1), subject="Earlier"
    )
    log_in(client, officer)

    html = client.get(reverse("home")).content.decode()

    assert html.index(later.reference) < html.index(earlier.reference)
    assert "1 February 2026" in html and "5 March 2026" in html
    assert "Earlier" in html and "Olivia Officer" in html and "Open" in html
    assert reverse("log_request") in html and "Log a request" in html


def test_case_list_queries_do_not_grow_with_rows(
    officer, second_officer, authority, django_assert_max_num_queries
):
    client = log_in(SigningInClient(), officer)
    make_case(authority, officer, received_on=datetime.date(2026, 1, 1))
    with django_assert_max_num_queries(20) as one_row:
        client.get(reverse("home"))
    baseline = len(one_row.captured_queries)

    for day in range(2, 22):
        owner = officer if day % 2 else second_officer
        make_case(authority, owner, received_on=datetime.date(2026, 1, day), name=f"R{day}")
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("home"))
    assert response.content.decode().count("/cases/") >= 21


def test_case_page_queries_do_not_grow_with_questions_and_events(
    officer, case, django_assert_max_num_queries
):
    client = log_in(SigningInClient(), officer)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("case_detail", args=[case.pk]))
    baseline = len(few.captured_queries)

    for _ in range(5):
        case.refresh_from_db()
        save_request(
            case,
            actor=officer,
            revision=case.revision,
            questions=[QuestionDraft(q.text + "!", q.pk) for q in case.questions.all()],
        )
    with django_assert_max_num_queries(baseline):
        client.get(reverse("case_detail", args=[case.pk]))


@pytest.mark.parametrize(
    ("today", "says"),
    [
        # Received Monday 2 March 2026: working day 20 is Tuesday 31 March, because
        # St Patrick's Day (17 March) is a bank holiday in Northern Ireland.
        (datetime.date(2026, 3, 3), "19 working days left"),
        (datetime.date(2026, 3, 27), "2 working days left"),
        (datetime.date(2026, 3, 31), "Due today"),
        (datetime.date(2026, 4, 1), "Overdue by 1 working day"),
        (datetime.date(2026, 4, 7), "Overdue by 3 working days"),  # Good Friday, Easter Monday
    ],
)
def test_case_page_says_how_long_is_left_or_how_late_it_is(client, officer, case, today, says):
    log_in(client, officer)
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(12)), tick=False):
        html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Tuesday 31 March 2026" in html
    days_left = re.search(r'<span class="app-time-left">(.*?)</span>', html, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", "", days_left).split()) == says


def test_a_closed_case_keeps_its_deadline_but_no_countdown(client, officer, case):
    withdraw_case(case, actor=officer, reason="The requester no longer needs it.")
    log_in(client, officer)
    with time_machine.travel(datetime.datetime(2026, 4, 2, 12), tick=False):
        html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Tuesday 31 March 2026" in html
    assert "app-time-left" not in html and "Overdue" not in html
