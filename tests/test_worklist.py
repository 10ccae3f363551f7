"""The work list and the daily reminders."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from responses import workflow, worklist
from responses.models import Case, ClockEvent

TODAY = datetime.date(2026, 2, 16)  # a Monday with no bank holiday near it


@pytest.fixture
def make_case(authority, requester, officer):
    def build(received_on, **fields):
        return workflow.open_case(
            actor=officer,
            authority=authority,
            regime=authority.default_regime,
            requester=requester,
            questions=["Q?"],
            request_text="Q?",
            received_on=received_on,
            assigned_to=fields.pop("assigned_to", officer),
            **fields,
        )

    return build


@pytest.fixture
def cases(make_case):
    return {
        "due_today": make_case(datetime.date(2026, 1, 19), subject="due today"),
        "due_in_five": make_case(datetime.date(2026, 1, 26), subject="due in five"),
        "overdue": make_case(datetime.date(2026, 1, 5), subject="overdue"),
        "later": make_case(datetime.date(2026, 2, 10), subject="later"),
    }


def test_items_are_bucketed_and_sorted_by_deadline(cases):
    items = worklist.work_items(today=TODAY)
    assert [item.case.subject for item in items] == ["overdue", "due today", "due in five", "later"]
    assert [item.bucket for item in items] == ["overdue", "due_soon", "due_soon", "later"]
    assert items[1].deadline == TODAY and items[1].working_days_left == 0
    assert items[2].working_days_left == 5


def test_on_hold_and_in_review_buckets(cases, officer):
    ClockEvent.objects.create(
        case=cases["later"],
        kind=ClockEvent.Kind.CLARIFICATION,
        starts_on=datetime.date(2026, 2, 12),
        reason="Which period?",
        created_by=officer,
    )
    Case.objects.filter(pk=cases["due_in_five"].pk).update(status=Case.Status.IN_REVIEW)
    by_subject = {item.case.subject: item for item in worklist.work_items(today=TODAY)}
    assert by_subject["later"].bucket == "on_hold" and by_subject["later"].deadline is None
    assert by_subject["due in five"].bucket == "in_review"
    assert worklist.work_items(today=TODAY)[-1].case.subject == "later"  # on hold sorts last


def test_filter_by_officer_and_bucket(cases, make_case, second_officer):
    make_case(datetime.date(2026, 1, 5), subject="someone else's", assigned_to=second_officer)
    mine = worklist.work_items(officer=second_officer, today=TODAY)
    assert [item.case.subject for item in mine] == ["someone else's"]
    overdue = worklist.work_items(bucket="overdue", today=TODAY)
    assert {item.case.subject for item in overdue} == {"overdue", "someone else's"}


def test_page_lists_cases_with_flat_query_count(
    client, officer, make_case, django_assert_max_num_queries
):
    client.force_login(officer)
    make_case(datetime.date(2026, 1, 5))
    # 17: one of them saves the session, which every request does so that an idle session
    # ends a working day after the last request (SESSION_SAVE_EVERY_REQUEST); one each
    # fetches the open cases' clock columns, their clock events, decision notices (a
    # notice's compliance date is the deadline), the regimes, the authorities and the
    # shown page's cases.
    with django_assert_max_num_queries(17) as few:
        client.get("/work/")
    for day in range(1, 20):
        make_case(datetime.date(2026, 1, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/work/")
    assert page.content.decode().count("FOI/2026/") == 20


def test_page_is_for_case_workers_only(client, outsider, reviewer):
    client.force_login(outsider)
    assert client.get("/work/").status_code == 403
    client.force_login(reviewer)
    assert client.get("/work/").status_code == 200


def test_reminders_five_days_before_on_the_day_and_overdue(cases):
    call_command("send_deadline_reminders", today=TODAY)
    assert {message.subject: message.to for message in mail.outbox} == {
        "1 overdue FOI case(s)": ["olivia@example.org"],
        f"{cases['due_in_five'].reference} is due in 5 working days, on Monday 23 February": [
            "olivia@example.org"
        ],
        f"{cases['due_today'].reference} is due today": ["olivia@example.org"],
    }


def test_reminders_are_not_sent_twice_on_one_day(cases):
    call_command("send_deadline_reminders", today=TODAY)
    sent = len(mail.outbox)
    call_command("send_deadline_reminders", today=TODAY)
    assert len(mail.outbox) == sent
    assert cases["due_today"].events.filter(action="reminder_sent").count() == 1


def test_a_long_work_list_is_paged_soonest_first_keeping_the_filter(client, officer, make_case):
    for day in range(1, 29):
        make_case(datetime.date(2026, 1, day))
    for day in range(1, 28):
        make_case(datetime.date(2026, 2, day))
    client.force_login(officer)

    first = client.get("/work/?bucket=").content.decode()
    second = client.get("/work/?bucket=&page=2").content.decode()

    assert first.count("FOI/2026/") == 50 and second.count("FOI/2026/") == 5
    assert "1 to 50 of 55" in first
    assert "bucket=&amp;page=2" in first
    # Soonest deadline first: the earliest received on the first page, the latest on the next.
    assert "FOI/2026/000001" in first and "FOI/2026/000001" not in second
    assert "FOI/2026/000055" in second and "FOI/2026/000055" not in first


def test_the_open_cases_index_leaves_out_exactly_what_open_leaves_out():
    from responses.models.cases import FINISHED_STATUSES

    finished = {Case.Status.RESPONDED, *Case.CLOSED_WITHOUT_LETTER}
    assert set(FINISHED_STATUSES) == finished
    assert set(Case.Status.values) - finished  # and some statuses are open
