"""Officers moving a case's clock from the case page: record, answer, extend, undo."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from exemptions.models import Regime
from responses.deadlines import case_deadline
from responses.models import CaseEvent, ClockEvent
from responses.workflow import open_case
from tests.conftest import PASSWORD

D = datetime.date


@pytest.fixture
def case(authority, requester, officer):
    return open_case(
        actor=officer,
        authority=authority,
        regime=authority.default_regime,
        requester=requester,
        received_on=D(2025, 3, 10),
        request_text="All recorded information about speed cameras.",
    )


@pytest.fixture
def eir_case(authority, requester, officer):
    eir, _ = Regime.objects.get_or_create(
        code=Regime.EIR,
        defaults={"statute": "Environmental Information Regulations 2004", "regulator": "ICO"},
    )
    return open_case(
        actor=officer,
        authority=authority,
        regime=eir,
        requester=requester,
        received_on=D(2025, 3, 10),
        request_text="Air quality readings.",
    )


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def date_fields(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def add_url(case, kind):
    return reverse("clock_event_add", args=[case.pk, kind])


def clock_audit(case):
    return list(case.events.filter(action__startswith="clock_").order_by("pk"))


def test_officer_stops_and_restarts_the_clock_for_clarification(client, officer, case):
    client = signed_in(client, officer)
    assert case_deadline(case).deadline == D(2025, 4, 8)

    page = client.get(add_url(case, "clarification"))
    assert page.status_code == 200
    assert "Record a request for clarification" in page.text

    response = client.post(
        add_url(case, "clarification"),
        {**date_fields("starts_on", D(2025, 3, 12)), "reason": "Which cameras: fixed or mobile?"},
    )
    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[case.pk])
    assert case_deadline(case).deadline is None
    [audit] = clock_audit(case)
    assert audit.action == "clock_clarification"
    assert audit.actor == officer
    assert audit.comment == "Which cameras: fixed or mobile?"
    assert audit.details["deadline_before"] == "2025-04-08"
    assert audit.details["deadline_after"] is None

    response = client.post(
        add_url(case, "clarification_received"), date_fields("ends_on", D(2025, 3, 20))
    )
    assert response.status_code == 302
    # Twenty working days from Thu 20 Mar 2025 (no holidays before 18 Apr).
    assert case_deadline(case).deadline == D(2025, 4, 17)
    assert clock_audit(case)[-1].action == "clock_clarification_received"
    assert clock_audit(case)[-1].details["deadline_after"] == "2025-04-17"


def test_fees_notice_and_payment(client, officer, case):
    client = signed_in(client, officer)
    client.post(
        add_url(case, "fees_notice"),
        {**date_fields("starts_on", D(2025, 3, 11)), "reason": "£12.40 for copying"},
    )
    assert case_deadline(case).deadline is None
    client.post(add_url(case, "fee_paid"), date_fields("ends_on", D(2025, 3, 14)))
    # 11-14 Mar are four working days disregarded.
    assert case_deadline(case).deadline == D(2025, 4, 14)
    assert [e.action for e in clock_audit(case)] == ["clock_fees_notice", "clock_fee_paid"]


def test_reply_without_a_waiting_event_goes_back_to_the_case(client, officer, case):
    response = signed_in(client, officer).get(add_url(case, "fee_paid"))
    assert response.status_code == 302
    assert not ClockEvent.objects.exists()


def test_public_interest_extension_over_20_days_needs_confirmation(client, officer, case):
    client = signed_in(client, officer)
    data = {"extension_days": "25", "reason": "s31 public interest test outstanding"}
    response = client.post(add_url(case, "pit_extension"), data)
    assert response.status_code == 200
    assert "more than the 20 the ICO normally accepts" in response.text
    assert not ClockEvent.objects.exists()

    response = client.post(add_url(case, "pit_extension"), {**data, "confirm_exceptional": "on"})
    assert response.status_code == 302
    explanation = case_deadline(case)
    assert explanation.statutory_deadline == D(2025, 4, 8)
    assert explanation.deadline == D(2025, 5, 16)
    assert explanation.warnings
    assert clock_audit(case)[-1].details["extension_days"] == 25


def test_extension_needs_a_reason(client, officer, case):
    response = signed_in(client, officer).post(
        add_url(case, "pit_extension"), {"extension_days": "10", "reason": ""}
    )
    assert response.status_code == 200
    assert "Say why" in response.text
    assert not ClockEvent.objects.exists()


def test_future_dates_and_dates_before_receipt_are_refused(client, officer, case):
    client = signed_in(client, officer)
    future = datetime.date.today() + datetime.timedelta(days=3)
    response = client.post(
        add_url(case, "clarification"), {**date_fields("starts_on", future), "reason": "x"}
    )
    assert "cannot be in the future" in response.text
    response = client.post(
        add_url(case, "clarification"), {**date_fields("starts_on", D(2025, 3, 1)), "reason": "x"}
    )
    assert "cannot be before Mon 10 Mar 2025" in response.text
    assert not ClockEvent.objects.exists()


def test_extensions_belong_to_their_regime(client, officer, case, eir_case):
    client = signed_in(client, officer)
    assert client.get(add_url(case, "eir_extension")).status_code == 404
    assert client.get(add_url(eir_case, "pit_extension")).status_code == 404
    assert client.get(add_url(case, "no_such_thing")).status_code == 404

    response = client.post(add_url(eir_case, "eir_extension"), {"reason": "Ten years of data"})
    assert response.status_code == 302
    assert case_deadline(eir_case).deadline == D(2025, 5, 9)
    response = client.post(add_url(eir_case, "eir_extension"), {"reason": "Again"})
    assert response.status_code == 200
    assert "already extended" in response.text
    assert ClockEvent.objects.filter(case=eir_case).count() == 1


def test_undo_restores_the_deadline_and_is_audited(client, officer, case):
    client = signed_in(client, officer)
    client.post(add_url(case, "pit_extension"), {"extension_days": "20", "reason": "PIT for s43"})
    event = ClockEvent.objects.get()
    assert case_deadline(case).deadline == D(2025, 5, 9)

    undo_url = reverse("clock_event_undo", args=[case.pk, event.pk])
    page = client.get(undo_url)
    assert page.status_code == 200
    assert "PIT for s43" in page.text
    response = client.post(undo_url, {"reason": "Recorded on the wrong case"})
    assert response.status_code == 302

    event.refresh_from_db()
    assert event.undone_at is not None and event.undone_by == officer
    assert case_deadline(case).deadline == D(2025, 4, 8)
    audit = clock_audit(case)[-1]
    assert audit.action == "clock_event_undone"
    assert audit.comment == "Recorded on the wrong case"
    assert audit.details["deadline_before"] == "2025-05-09"
    assert audit.details["deadline_after"] == "2025-04-08"
    # An undone event cannot be undone twice.
    assert client.post(undo_url, {"reason": "again"}).status_code == 404


@pytest.mark.parametrize("persona", ["reviewer", "outsider"])
def test_only_officers_and_administrators_move_the_clock(client, request, persona, case):
    client = signed_in(client, request.getfixturevalue(persona))
    event = ClockEvent.objects.create(
        case=case, kind="pit_extension", starts_on=D(2025, 3, 12), extension_days=5, reason="x"
    )
    before = CaseEvent.objects.count()
    assert client.get(add_url(case, "pit_extension")).status_code == 403
    response = client.post(add_url(case, "pit_extension"), {"extension_days": "5", "reason": "y"})
    assert response.status_code == 403
    undo_url = reverse("clock_event_undo", args=[case.pk, event.pk])
    assert client.post(undo_url, {"reason": "z"}).status_code == 403
    event.refresh_from_db()
    assert event.undone_at is None
    assert ClockEvent.objects.count() == 1
    assert CaseEvent.objects.count() == before


def test_administrator_may_move_the_clock(client, administrator, case):
    response = signed_in(client, administrator).post(
        add_url(case, "pit_extension"), {"extension_days": "5", "reason": "PIT"}
    )
    assert response.status_code == 302
    assert ClockEvent.objects.get().created_by == administrator


def test_anonymous_visitor_is_sent_to_sign_in(client, case):
    response = client.get(add_url(case, "clarification"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_explainer_tag_shows_named_days_and_escapes_reasons(case, officer):
    ClockEvent.objects.create(
        case=case,
        kind="pit_extension",
        starts_on=D(2025, 3, 12),
        extension_days=5,
        reason="<script>alert(1)</script>",
        created_by=officer,
    )
    html = Template("{% load deadlines %}{% deadline_explainer case %}").render(
        Context({"case": case})
    )
    assert "Mon 17 Mar 2025 – St Patrick’s Day (Northern Ireland)" in html
    assert "Tuesday 15 April 2025" in html  # 8 Apr + 5 working days
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_clock_actions_tag_offers_undo_only_to_editors(case, officer, reviewer):
    ClockEvent.objects.create(
        case=case, kind="clarification", starts_on=D(2025, 3, 12), reason="Which years?"
    )
    template = Template("{% load deadlines %}{% clock_actions case %}")
    officer_html = template.render(Context({"case": case, "user": officer}))
    assert "Record the clarification received" in officer_html
    assert "Record a request for clarification" not in officer_html  # one is already waiting
    assert "Undo" in officer_html and "/undo/" in officer_html
    reviewer_html = template.render(Context({"case": case, "user": reviewer}))
    assert "Which years?" in reviewer_html
    assert "/undo/" not in reviewer_html
    assert "Record the clarification received" not in reviewer_html


def test_impossible_date_is_explained(client, officer, case):
    response = signed_in(client, officer).post(
        add_url(case, "clarification"),
        {"starts_on_0": "31", "starts_on_1": "2", "starts_on_2": "2025", "reason": "x"},
    )
    assert response.status_code == 200
    assert "Enter a real date" in response.text
    assert not ClockEvent.objects.exists()


def test_stopping_the_clock_puts_the_case_on_hold_until_the_reply(officer, authority, requester):
    import datetime

    from responses import clock_events, workflow
    from responses.models import Case, ClockEvent

    case = workflow.open_case(
        actor=officer,
        authority=authority,
        regime=authority.default_regime,
        requester=requester,
        questions=["Q?"],
        request_text="Q?",
        received_on=datetime.date(2026, 2, 2),
    )
    event = clock_events.start_event(
        case,
        actor=officer,
        kind=ClockEvent.Kind.CLARIFICATION,
        starts_on=datetime.date(2026, 2, 3),
        reason="Which force area?",
    )
    case.refresh_from_db()
    assert case.status == Case.Status.ON_HOLD
    clock_events.end_event(event, actor=officer, ends_on=datetime.date(2026, 2, 9))
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    actions = list(case.events.values_list("action", flat=True))
    assert actions.index("case_on_hold") < actions.index("case_resumed")
