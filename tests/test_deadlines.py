"""The working-day clock: calendars, deadlines, events, overrides and the explainer."""

import datetime
import io
import json
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from responses import deadlines, working_days
from responses.deadlines import (
    deadline_for,
    explain_deadline,
    review_days,
    review_request_deadline,
)
from responses.models import BankHolidayOverride
from responses.working_days import (
    HolidayOverride,
    add_working_days,
    calendar_for_divisions,
    working_days_between,
    working_days_calendar,
)

D = datetime.date
NO_OVERRIDES = ()


@pytest.fixture(autouse=True)
def fresh_calendars():
    """Tests that refresh the data must not leak it into others."""
    working_days.clear_calendar_cache()
    yield
    working_days.clear_calendar_cache()


def uk():
    return working_days_calendar("FOIA", overrides=NO_OVERRIDES)


def event(kind, starts_on, ends_on=None, extension_days=None, undone=False, pk=None):
    return SimpleNamespace(
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        extension_days=extension_days,
        undone_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC) if undone else None,
        pk=pk,
    )


# foia_domain.md §2.2: received, ICO rule, 2018 Code rule, E&W only, FOISA, FOIA + 20 PIT.
VECTORS = [
    (
        D(2025, 12, 19),
        D(2026, 1, 22),
        D(2026, 1, 22),
        D(2026, 1, 21),
        D(2026, 1, 22),
        D(2026, 2, 19),
    ),
    (
        D(2025, 12, 20),
        D(2026, 1, 22),
        D(2026, 1, 23),
        D(2026, 1, 21),
        D(2026, 1, 22),
        D(2026, 2, 19),
    ),
    (D(2025, 3, 10), D(2025, 4, 8), D(2025, 4, 8), D(2025, 4, 7), D(2025, 4, 7), D(2025, 5, 9)),
    (D(2025, 7, 1), D(2025, 7, 30), D(2025, 7, 30), D(2025, 7, 29), D(2025, 7, 29), D(2025, 8, 29)),
]


@pytest.mark.parametrize("received, ico, code2018, england_wales, foisa, extended", VECTORS)
def test_worked_vectors(received, ico, code2018, england_wales, foisa, extended):
    assert deadline_for(received, "FOIA", rule="ico", overrides=NO_OVERRIDES) == ico
    assert deadline_for(received, "EIR", rule="ico", overrides=NO_OVERRIDES) == ico
    assert deadline_for(received, "FOIA", rule="code2018", overrides=NO_OVERRIDES) == code2018
    wrong = calendar_for_divisions([working_days.ENGLAND_AND_WALES])
    assert add_working_days(received, 20, wrong) == england_wales
    assert deadline_for(received, "FOISA", rule="ico", overrides=NO_OVERRIDES) == foisa
    assert (
        deadline_for(received, "FOIA", rule="ico", extension_days=20, overrides=NO_OVERRIDES)
        == extended
    )


def test_receipt_rule_comes_from_settings(settings):
    settings.DEADLINE_RECEIPT_RULE = "code2018"
    assert deadline_for(D(2025, 12, 20), "FOIA", overrides=NO_OVERRIDES) == D(2026, 1, 23)
    settings.DEADLINE_RECEIPT_RULE = "ico"
    assert deadline_for(D(2025, 12, 20), "FOIA", overrides=NO_OVERRIDES) == D(2026, 1, 22)


def test_2025_uk_wide_union_of_bank_holidays():
    expected = {
        D(2025, 1, 1), D(2025, 1, 2), D(2025, 3, 17), D(2025, 4, 18), D(2025, 4, 21),
        D(2025, 5, 5), D(2025, 5, 26), D(2025, 7, 14), D(2025, 8, 4), D(2025, 8, 25),
        D(2025, 12, 1), D(2025, 12, 25), D(2025, 12, 26),
    }  # fmt: skip
    calendar = uk()
    year = [D(2025, 1, 1) + datetime.timedelta(days=n) for n in range(365)]
    holidays = {day for day in year if day.weekday() < 5 and not calendar.is_working_day(day)}
    assert holidays == expected


def test_scotland_calendar_has_only_scottish_holidays():
    scotland = working_days_calendar("FOISA", overrides=NO_OVERRIDES)
    assert not scotland.is_working_day(D(2025, 1, 2))  # 2nd January
    assert not scotland.is_working_day(D(2025, 12, 1))  # St Andrew's Day (substitute)
    assert scotland.is_working_day(D(2025, 3, 17))  # St Patrick's Day is NI only
    assert scotland.is_working_day(D(2025, 8, 25))  # E&W summer holiday
    assert not scotland.is_working_day(D(2025, 8, 4))  # Scotland's summer holiday


def test_christmas_and_good_friday_count_beyond_the_data():
    calendar = uk()
    assert calendar.data_ends_on == D(2028, 12, 26)
    assert not calendar.is_working_day(D(2031, 12, 25))  # a Thursday
    assert not calendar.is_working_day(D(2031, 4, 11))  # Good Friday 2031
    assert calendar.is_working_day(D(2031, 4, 10))


def test_explainer_names_each_excluded_day():
    explanation = explain_deadline(D(2025, 3, 10), "FOIA", rule="ico", overrides=NO_OVERRIDES)
    assert explanation.day_one == D(2025, 3, 11)
    assert explanation.deadline == D(2025, 4, 8)
    assert [str(day) for day in explanation.excluded_days] == [
        "Mon 17 Mar 2025 – St Patrick’s Day (Northern Ireland)"
    ]
    assert "  Mon 17 Mar 2025 – St Patrick’s Day (Northern Ireland)" in explanation.lines
    assert explanation.lines[-1] == "Deadline: Tue 8 Apr 2025 (working day 20)."


def test_explainer_over_christmas_lists_days_by_division():
    explanation = explain_deadline(D(2025, 12, 20), "FOIA", rule="code2018", overrides=())
    assert [str(day) for day in explanation.excluded_days] == [
        "Thu 25 Dec 2025 – Christmas Day (whole UK)",
        "Fri 26 Dec 2025 – Boxing Day (whole UK)",
        "Thu 1 Jan 2026 – New Year’s Day (whole UK)",
        "Fri 2 Jan 2026 – 2nd January (Scotland)",
    ]
    assert explanation.counted_from == D(2025, 12, 22)
    assert explanation.day_one == D(2025, 12, 23)
    assert any("2018 Code of Practice" in line for line in explanation.lines)


def test_working_days_between_inverts_add():
    calendar = uk()
    assert working_days_between(D(2025, 3, 10), D(2025, 4, 8), calendar) == 20
    assert working_days_between(D(2025, 4, 8), D(2025, 3, 10), calendar) == -20
    assert working_days_between(D(2025, 3, 10), D(2025, 3, 10), calendar) == 0


def test_internal_review_periods():
    assert review_request_deadline(D(2025, 3, 10), "FOIA", overrides=()) == add_working_days(
        D(2025, 3, 10), 40, uk()
    )
    assert review_request_deadline(D(2025, 3, 10), "FOIA", overrides=()) == D(2025, 5, 9)

    def review_due_date(received_on, regime_code, complex=False):
        days = review_days(regime_code, complex=complex)
        return explain_deadline(received_on, regime_code, overrides=(), base_days=days).deadline

    assert review_due_date(D(2025, 3, 10), "FOIA") == D(2025, 4, 8)
    assert review_due_date(D(2025, 3, 10), "FOIA", complex=True) == D(2025, 5, 9)
    # EIR reg 11(4): 40 working days for every review; FOISA s21: 20, no extension.
    assert review_due_date(D(2025, 3, 10), "EIR") == D(2025, 5, 9)
    assert review_due_date(D(2025, 3, 10), "FOISA", complex=True) == D(2025, 4, 7)


# ------------------------------------------------------------------ events


def test_clarification_restarts_the_count_from_its_receipt():
    clarification = event("clarification", D(2025, 3, 12), D(2025, 3, 20))
    assert deadline_for(D(2025, 3, 10), "FOIA", events=[clarification], overrides=()) == (
        deadline_for(D(2025, 3, 20), "FOIA", overrides=())
    )
    waiting = event("clarification", D(2025, 3, 12))
    explanation = explain_deadline(D(2025, 3, 10), "FOIA", events=[waiting], overrides=())
    assert explanation.deadline is None
    assert explanation.stopped_since == D(2025, 3, 12)
    assert "Deadline: none while the clock is stopped" in explanation.lines[-1]


def test_fees_notice_pauses_the_working_days_until_payment():
    # 2 Jun 2025 + 20 WD = 30 Jun; notice Mon 9 Jun, paid Fri 13 Jun: 5 WD disregarded.
    assert deadline_for(D(2025, 6, 2), "FOIA", overrides=()) == D(2025, 6, 30)
    fee = event("fees_notice", D(2025, 6, 9), D(2025, 6, 13))
    explanation = explain_deadline(D(2025, 6, 2), "FOIA", events=[fee], overrides=())
    assert explanation.deadline == D(2025, 7, 7)
    assert "5 working days disregarded" in explanation.events[0].text
    unpaid = event("fees_notice", D(2025, 6, 9))
    assert deadline_for(D(2025, 6, 2), "FOIA", events=[unpaid], overrides=()) is None


def test_fees_notice_after_the_deadline_does_not_move_it():
    late = event("fees_notice", D(2025, 7, 1))
    assert deadline_for(D(2025, 6, 2), "FOIA", events=[late], overrides=()) == D(2025, 6, 30)


def test_pit_and_eir_extensions():
    pit = event("pit_extension", D(2025, 3, 20), extension_days=20)
    assert deadline_for(D(2025, 3, 10), "FOIA", events=[pit], overrides=()) == D(2025, 5, 9)
    explanation = explain_deadline(D(2025, 3, 10), "FOIA", events=[pit], overrides=())
    assert explanation.statutory_deadline == D(2025, 4, 8)
    assert not explanation.warnings
    long = event("pit_extension", D(2025, 3, 20), extension_days=30)
    explanation = explain_deadline(D(2025, 3, 10), "FOIA", events=[long], overrides=())
    assert any("no more than 20" in warning for warning in explanation.warnings)
    reg7 = event("eir_extension", D(2025, 3, 20), extension_days=20)
    assert deadline_for(D(2025, 3, 10), "EIR", events=[reg7], overrides=()) == D(2025, 5, 9)


def test_undone_events_are_ignored():
    events = [
        event("clarification", D(2025, 3, 12), D(2025, 3, 20), undone=True),
        event("pit_extension", D(2025, 3, 20), extension_days=20, undone=True),
        event("fees_notice", D(2025, 3, 13), undone=True),
    ]
    assert deadline_for(D(2025, 3, 10), "FOIA", events=events, overrides=()) == D(2025, 4, 8)


# --------------------------------------------------------------- overrides


def test_override_adds_and_removes_a_day():
    proclaimed = HolidayOverride(D(2025, 3, 20), "uk-wide", True, "Proclaimed day", "Proclamation")
    assert deadline_for(D(2025, 3, 10), "FOIA", overrides=[proclaimed]) == D(2025, 4, 9)
    explanation = explain_deadline(D(2025, 3, 10), "FOIA", overrides=[proclaimed])
    assert "Thu 20 Mar 2025 – Proclaimed day (added by an administrator)" in [
        str(day) for day in explanation.excluded_days
    ]
    removed = HolidayOverride(D(2025, 3, 17), "both", False, "St Patrick’s Day", "Disputed")
    assert deadline_for(D(2025, 3, 10), "FOIA", overrides=[removed]) == D(2025, 4, 7)
    explanation = explain_deadline(D(2025, 3, 10), "FOIA", overrides=[removed])
    assert any(
        line.startswith("Counted as a working day: Mon 17 Mar") for line in explanation.lines
    )
    # A Scotland-only override leaves the UK-wide calendar alone.
    scottish = HolidayOverride(D(2025, 3, 20), "scotland", True, "Scottish day", "Proclamation")
    assert deadline_for(D(2025, 3, 10), "FOIA", overrides=[scottish]) == D(2025, 4, 8)
    assert deadline_for(D(2025, 3, 10), "FOISA", overrides=[scottish]) == D(2025, 4, 8)


def test_overrides_are_read_from_the_database(db):
    assert deadline_for(D(2025, 3, 10), "FOIA") == D(2025, 4, 8)
    BankHolidayOverride.objects.create(
        date=D(2025, 3, 20), calendar="uk-wide", title="Proclaimed", reason="Royal proclamation"
    )
    assert deadline_for(D(2025, 3, 10), "FOIA") == D(2025, 4, 9)


def test_work_list_needs_no_query_per_case(db, django_assert_num_queries, authority, requester):
    from responses.models import Case
    from responses.workflow import open_case

    for day in range(1, 6):
        open_case(
            actor=None,
            authority=authority,
            regime=authority.default_regime,
            requester=requester,
            received_on=D(2025, 3, day),
            request_text="Any recorded information.",
        )
    # Overrides, cases + regime, prefetched events, prefetched decision notices.
    with django_assert_num_queries(4):
        overrides = working_days.load_overrides()
        cases = Case.objects.select_related("regime", "authority").prefetch_related(
            "clock_events", "decision_notices"
        )
        results = [deadlines.case_deadline(case, overrides=overrides) for case in cases]
    assert len(results) == 5 and all(r.deadline for r in results)


# --------------------------------------------------------------- properties

received_dates = st.dates(min_value=D(2013, 1, 1), max_value=D(2027, 12, 31))
regimes = st.sampled_from(["FOIA", "EIR", "FOISA"])
rules = st.sampled_from(["ico", "code2018"])


@settings(max_examples=200, deadline=None)
@given(received_dates, regimes, rules, st.integers(min_value=0, max_value=40))
def test_deadline_is_always_a_working_day(received, regime, rule, extra):
    result = deadline_for(received, regime, extension_days=extra, rule=rule, overrides=())
    calendar = working_days_calendar(regime, overrides=())
    assert calendar.is_working_day(result)
    assert result > received


@settings(max_examples=200, deadline=None)
@given(received_dates, st.integers(min_value=0, max_value=30), regimes, rules)
def test_later_receipt_never_gives_an_earlier_deadline(received, delay, regime, rule):
    later = received + datetime.timedelta(days=delay)
    assert deadline_for(later, regime, rule=rule, overrides=()) >= deadline_for(
        received, regime, rule=rule, overrides=()
    )


@settings(max_examples=100, deadline=None)
@given(
    received_dates,
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=60),
    rules,
)
def test_clarification_restarts_from_its_receipt(received, asked_after, answered_after, rule):
    asked = received + datetime.timedelta(days=asked_after)
    answered = asked + datetime.timedelta(days=answered_after)
    clarification = event("clarification", asked, answered)
    assert deadline_for(
        received, "FOIA", events=[clarification], rule=rule, overrides=()
    ) == deadline_for(answered, "FOIA", rule=rule, overrides=())


@settings(max_examples=150, deadline=None)
@given(
    received_dates,
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
)
def test_fees_pause_disregards_exactly_the_notice_period(received, notice_after, paid_after):
    calendar = uk()
    notice = received + datetime.timedelta(days=notice_after)
    paid = notice + datetime.timedelta(days=paid_after)
    without = deadline_for(received, "FOIA", rule="ico", overrides=())
    result = deadline_for(
        received, "FOIA", events=[event("fees_notice", notice, paid)], rule="ico", overrides=()
    )
    assert result >= without
    if notice > without:
        assert result == without
    assert not notice <= result <= paid
    counted = [
        received + datetime.timedelta(days=n)
        for n in range(1, (result - received).days + 1)
        if calendar.is_working_day(received + datetime.timedelta(days=n))
        and not notice <= received + datetime.timedelta(days=n) <= paid
    ]
    assert len(counted) == 20 and counted[-1] == result


@settings(max_examples=100, deadline=None)
@given(received_dates, st.integers(min_value=1, max_value=40))
def test_extension_adds_working_days_after_the_deadline(received, days):
    base = deadline_for(received, "FOIA", rule="ico", overrides=())
    extended = deadline_for(
        received,
        "FOIA",
        events=[event("pit_extension", received, extension_days=days)],
        rule="ico",
        overrides=(),
    )
    assert extended == add_working_days(base, days, uk())
    assert working_days_between(base, extended, uk()) == days


@settings(max_examples=100, deadline=None)
@given(
    received_dates,
    st.lists(
        st.tuples(
            st.sampled_from(["clarification", "fees_notice", "pit_extension"]),
            st.integers(min_value=0, max_value=30),
            st.integers(min_value=0, max_value=30),
        ),
        max_size=4,
    ),
)
def test_undoing_every_event_restores_the_original_deadline(received, specs):
    events = [
        event(
            kind,
            received + datetime.timedelta(days=start),
            received + datetime.timedelta(days=start + length),
            extension_days=length or 1,
            undone=True,
        )
        for kind, start, length in specs
    ]
    assert deadline_for(received, "FOIA", events=events, overrides=()) == deadline_for(
        received, "FOIA", overrides=()
    )


@settings(max_examples=100, deadline=None)
@given(received_dates, st.integers(min_value=1, max_value=20))
def test_an_added_holiday_inside_the_period_pushes_the_deadline_one_working_day(received, k):
    calendar = uk()
    day = add_working_days(received, k, calendar)
    base = deadline_for(received, "FOIA", rule="ico", overrides=())
    added = HolidayOverride(day, "both", True, "Proclaimed", "Test")
    moved = deadline_for(received, "FOIA", rule="ico", overrides=[added])
    assert moved == add_working_days(base, 1, calendar)


# ----------------------------------------------------------------- commands


def run_deadline(*args):
    out = io.StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


def test_deadline_command_last_line_is_the_iso_date(db):
    lines = run_deadline("2025-12-19")
    assert lines[-1] == "deadline: 2026-01-22"
    assert "  Fri 2 Jan 2026 – 2nd January (Scotland)" in lines
    assert run_deadline("2025-03-10", "--regime", "FOISA")[-1] == "deadline: 2025-04-07"
    assert run_deadline("2025-03-10", "--extension-days", "20")[-1] == "deadline: 2025-05-09"
    assert run_deadline("2025-12-20", "--rule", "code2018")[-1] == "deadline: 2026-01-23"


def test_deadline_command_rejects_a_bad_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run_deadline("20/12/2025")


def test_refresh_from_a_file_is_preferred_afterwards(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    parsed, source = working_days.load_bank_holiday_data()
    assert source.startswith("bundled")
    raw = {
        division: {
            "division": division,
            "events": [
                {"title": title, "date": day.isoformat(), "notes": "", "bunting": True}
                for day, title in sorted(parsed[division].items())
            ]
            + [{"title": "Proclaimed day", "date": "2025-03-20", "notes": "", "bunting": True}],
        }
        for division in working_days.UK_DIVISIONS
    }
    source_file = tmp_path / "bank-holidays.json"
    source_file.write_text(json.dumps(raw))
    out = io.StringIO()
    call_command("refresh_bank_holidays", "--from-file", str(source_file), stdout=out)
    assert "Saved to" in out.getvalue()
    assert (tmp_path / "var" / "bank-holidays.json").exists()
    assert working_days.bank_holiday_source().startswith("saved at")
    assert deadline_for(D(2025, 3, 10), "FOIA", overrides=()) == D(2025, 4, 9)


def test_refresh_keeps_the_data_when_the_network_fails(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("refresh_bank_holidays", "--url", "http://127.0.0.1:9/", "--timeout", "2")
    assert not (tmp_path / "var" / "bank-holidays.json").exists()
    assert deadline_for(D(2025, 3, 10), "FOIA", overrides=()) == D(2025, 4, 8)


def test_refresh_refuses_malformed_data(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"england-and-wales": {"events": []}}))
    with pytest.raises(CommandError, match="not in GOV.UK's format"):
        call_command("refresh_bank_holidays", "--from-file", str(bad))
    assert not (tmp_path / "var" / "bank-holidays.json").exists()


def test_internal_review_case_uses_the_review_period(db, authority, requester):
    from exemptions.models import Regime
    from responses.workflow import open_case

    eir, _ = Regime.objects.get_or_create(
        code=Regime.EIR, defaults={"statute": "EIR 2004", "regulator": "ICO"}
    )
    review = open_case(
        actor=None,
        authority=authority,
        regime=eir,
        requester=requester,
        kind="internal_review",
        received_on=D(2025, 3, 10),
        request_text="Please review the refusal.",
    )
    # EIR reg 11(4): 40 working days to decide representations.
    assert deadlines.case_deadline(review, overrides=()).deadline == D(2025, 5, 9)


def test_a_scottish_authority_counts_scottish_holidays_for_environmental_requests(
    authority, requester, officer
):
    """FOIA and FOISA calendars are fixed by statute; EIR follows the authority."""
    import datetime

    from exemptions.models import Regime
    from responses import workflow
    from responses.models import Authority

    eir, _ = Regime.objects.get_or_create(code="EIR", defaults={"statute": "EIR 2004"})
    case = workflow.open_case(
        actor=officer,
        authority=authority,
        regime=eir,
        requester=requester,
        questions=["Q?"],
        request_text="Q?",
        received_on=datetime.date(2025, 3, 10),
    )
    # UK-wide: 17 March (Northern Ireland) is not a working day.
    assert deadlines.case_deadline(case).deadline == datetime.date(2025, 4, 8)
    Authority.objects.filter(pk=authority.pk).update(bank_holiday_calendar="scotland")
    case.refresh_from_db()
    assert deadlines.case_deadline(case).deadline == datetime.date(2025, 4, 7)
