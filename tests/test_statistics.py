"""Compliance statistics: what each request counts as, the pages, the CSV, and that the
number of queries does not grow with the number of cases."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from responses import clock_events, workflow
from responses.drafting import decisions
from responses.models import ClockEvent, Decision, InternalReviewOutcome, Letter
from responses.statistics import figures, outcomes
from responses.statistics.export import figures_csv
from responses.statistics.outcomes import Initial
from tests import builders
from tests.conftest import PASSWORD

pytest_plugins = ["tests.review_fixtures"]

Outcome = Decision.Outcome
TODAY = timezone.localdate()


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def year_of(case):
    return figures.year_figures(case.received_on.year)


def answered(people, *, outcome=Outcome.PROVIDED, citations=(), questions=("Q?",), **fields):
    """A request answered with one decision per item of ``outcome`` (a str or a list)."""
    officer, reviewer, authority, requester = people
    case = builders.open_case(
        actor=officer, authority=authority, requester=requester, questions=questions, **fields
    )
    plan = outcome if isinstance(outcome, list) else [(outcome, citations)]
    for number, (each, cited) in enumerate(plan, start=1):
        extra = {}
        if each == Outcome.COST_LIMIT:
            extra = {
                "cost_estimate": decisions.cost_estimate_from_hours(
                    {"locating": 20, "retrieving": 10}
                ),
                "advice": "Narrow the request to one year.",
            }
        builders.decide(
            case, actor=officer, outcome=each, numbers=[number], citations=cited, **extra
        )
    letter = builders.draft_letter(case, actor=officer)
    builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    case.refresh_from_db()
    return case


@pytest.fixture
def people(catalogue, officer, reviewer, authority, requester, fake_renderer):
    return officer, reviewer, authority, requester


def test_every_decision_outcome_is_mapped_to_a_statistics_category():
    """A new Decision.Outcome must be slotted into outcomes.OUTCOME_CATEGORY."""
    assert set(outcomes.OUTCOME_CATEGORY) == set(Decision.Outcome.values)


def test_each_request_counts_under_its_initial_outcome(people):
    officer, reviewer, authority, requester = people
    granted = answered(people)
    answered(people, outcome=[(Outcome.PROVIDED, ()), (Outcome.NOT_HELD, ())], questions=("A", "B"))
    partial = answered(
        people,
        outcome=[(Outcome.PROVIDED, ()), (Outcome.WITHHELD, [("31", builders.WITHHOLD)])],
        questions=("A", "B"),
    )
    answered(people, outcome=Outcome.NCND, citations=[("24", builders.NCND)])
    answered(people, outcome=Outcome.NOT_HELD)
    answered(people, outcome=Outcome.COST_LIMIT)
    answered(people, outcome=Outcome.VEXATIOUS)
    # Section 12 for one question while the other is answered: partly withheld.
    answered(
        people,
        outcome=[(Outcome.PROVIDED, ()), (Outcome.COST_LIMIT, ())],
        questions=("A", "B"),
    )
    builders.open_case(actor=officer, authority=authority, requester=requester)  # not yet

    data = year_of(granted)
    q = (granted.received_on.month - 1) // 3 + 1
    counts = {kind: data.requests[kind].by_quarter[q] for kind in Initial}
    assert counts[Initial.GRANTED] == 2
    assert counts[Initial.PARTIAL] == 2
    assert counts[Initial.WITHHELD] == 1
    assert counts[Initial.NOT_HELD] == 1
    assert counts[Initial.COST_LIMIT] == 1
    assert counts[Initial.VEXATIOUS] == 1
    assert counts[Initial.NOT_YET_PROCESSED] == 1
    assert data.received.year == 9
    assert data.withheld_in_full.year == 3  # NCND, section 12, section 14(1)
    assert data.resolvable.year == 8  # all but the one not held
    assert data.ncnd.year == 1
    assert data.timeliness["in_time"].year == 8
    provisions = {row.label: row.year for row in data.provisions}
    assert provisions == {"FOIA section 24(2)": 1, "FOIA section 31(1)": 1}
    assert partial.status == "responded"


def test_requests_closed_without_a_letter_are_set_aside_not_resolvable(people):
    officer, reviewer, authority, requester = people
    withdrawn = builders.open_case(actor=officer, authority=authority, requester=requester)
    workflow.withdraw_case(withdrawn, actor=officer, reason="Phoned.")
    lapsed = builders.open_case(actor=officer, authority=authority, requester=requester)
    clock_events.start_event(
        lapsed,
        actor=officer,
        kind=ClockEvent.Kind.CLARIFICATION,
        starts_on=lapsed.received_on,
        reason="Which?",
    )
    on_hold = builders.open_case(actor=officer, authority=authority, requester=requester)
    clock_events.start_event(
        on_hold,
        actor=officer,
        kind=ClockEvent.Kind.FEES_NOTICE,
        starts_on=on_hold.received_on,
        reason="Copies.",
    )
    workflow.lapse_case(lapsed, actor=officer, because="clarification", reason="No reply.")
    duplicate = builders.open_case(actor=officer, authority=authority, requester=requester)
    workflow.close_as_duplicate(duplicate, actor=officer, original=on_hold, reason="Twice.")

    data = year_of(withdrawn)
    assert data.received.year == 4
    assert [data.requests[kind].year for kind in outcomes.SET_ASIDE] == [1, 1, 1, 1]
    assert data.received_excluding_set_aside.year == 0
    assert data.resolvable.year == 0

    workflow.reopen_case(withdrawn, actor=officer, reason="Wrong case.")
    data = year_of(withdrawn)
    assert data.requests[Initial.WITHDRAWN].year == 0
    assert data.resolvable.year == 1  # open again: not yet processed


def test_timeliness_counts_the_first_response_against_the_deadline(people):
    officer, reviewer, authority, requester = people
    received = TODAY - datetime.timedelta(days=70)
    late = answered(people, received_on=received)
    extended = builders.open_case(
        actor=officer, authority=authority, requester=requester, received_on=received
    )
    clock_events.start_event(
        extended,
        actor=officer,
        kind=ClockEvent.Kind.PIT_EXTENSION,
        starts_on=received + datetime.timedelta(days=7),
        reason="Public interest test.",
        extension_days=40,
    )
    builders.decide(extended, actor=officer)
    builders.issued_letter(
        builders.draft_letter(extended, actor=officer), officer=officer, reviewer=reviewer
    )
    data = year_of(late)
    assert data.timeliness["late"].year == 1
    assert data.timeliness["within_extension"].year == 1
    assert data.in_time.year == 1
    assert data.percent(data.in_time, data.answered)[-1] == "50%"


def test_internal_reviews_and_their_outcomes(people):
    officer, reviewer, authority, requester = people
    case = answered(people)
    review = builders.review_case(case)
    letter = builders.draft_letter(
        review,
        actor=officer,
        kind=Letter.Kind.REVIEW_OUTCOME,
        review_outcome=InternalReviewOutcome.Outcome.UPHELD_IN_PART,
    )
    data = year_of(review)
    assert data.reviews["received"].year == 1
    assert data.reviews["pending"].year == 1
    builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    data = year_of(review)
    assert data.reviews["upheld_in_part"].year == 1
    assert data.reviews["pending"].year == 0
    assert data.received.year == 1  # the review is not counted as a request


def test_the_csv_uses_the_central_government_column_names(people):
    case = answered(people, outcome=Outcome.WITHHELD, citations=[("24", builders.WITHHOLD)])
    rows = list(csv.DictReader(io.StringIO(figures_csv(year_of(case), "Westshire Police"))))
    assert [row["Period"] for row in rows][-1] == str(case.received_on.year)
    year = rows[-1]
    assert year['Total "resolvable" requests'] == "1"
    assert year["Initial Outcome Granted in full"] == "0"
    assert year["Initial Outcome Withheld in full"] == "1"
    assert year["20-day deadline met"] == "1"
    assert year["Permitted extension to 20-day deadline"] == "0"
    assert year["S(24) - National security"] == "1"
    assert year["S(31) - Law enforcement"] == "0"  # every exemption has its column
    assert year["Public body"] == "Westshire Police"


def test_a_section_cited_in_both_modes_counts_once_in_the_csv_and_twice_on_the_page(people):
    """NCND for one question and withheld for another under section 24: the page lists
    24(1) and 24(2) each once; the CSV's section column counts the request once."""
    case = answered(
        people,
        outcome=[
            (Outcome.NCND, [("24", builders.NCND)]),
            (Outcome.WITHHELD, [("24", builders.WITHHOLD)]),
        ],
        questions=("A", "B"),
    )
    second = answered(people, outcome=Outcome.WITHHELD, citations=[("24", builders.WITHHOLD)])
    data = year_of(case)
    assert {row.label: row.year for row in data.provisions} == {
        "FOIA section 24(1)": 2,
        "FOIA section 24(2)": 1,
    }
    rows = list(csv.DictReader(io.StringIO(figures_csv(data, "Westshire Police"))))
    assert rows[-1]["S(24) - National security"] == "2"
    assert second.recorded_citations.get().counts_for_section


def test_staff_see_the_page_with_charts_and_tables_and_the_public_copy_is_one_click(client, people):
    officer = people[0]
    case = answered(people, outcome=Outcome.NCND, citations=[("24", builders.NCND)])
    signed_in(client, officer)
    page = client.get(reverse("statistics"), {"year": case.received_on.year}).content.decode()
    assert page.count("<svg") >= 4 and 'role="img"' in page
    assert 'id="table-outcomes"' in page and "How these figures are counted" in page
    assert "FOIA section 24(2)" in page
    public_url = f"{reverse('public_statistics')}?year={case.received_on.year}"
    assert public_url in page

    client.logout()
    public = client.get(public_url)
    assert public.status_code == 200
    text = public.content.decode()
    assert "FOIA section 24(2)" in text
    for private in (case.reference, case.requester.name, reverse("work_list")):
        assert private not in text
    csv_response = client.get(reverse("public_statistics_csv"), {"year": case.received_on.year})
    assert csv_response["Content-Type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(csv_response.content.decode())))
    assert 'Total "resolvable" requests' in header


def test_a_year_that_is_not_one_says_so(client, officer):
    signed_in(client, officer)
    page = client.get(reverse("statistics"), {"year": "next"}).content.decode()
    assert "“next” is not a year we have figures for" in page


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_cases(client, people):
    officer = people[0]
    answered(people, outcome=Outcome.WITHHELD, citations=[("31", builders.WITHHOLD)])
    signed_in(client, officer)
    page, export = reverse("statistics"), reverse("statistics_csv")
    few = _queries(client, page), _queries(client, export)
    for _ in range(3):
        answered(people, outcome=Outcome.NCND, citations=[("24", builders.NCND)])
        answered(
            people, outcome=[(Outcome.PROVIDED, ()), (Outcome.NOT_HELD, ())], questions=("A", "B")
        )
    builders.review_case(answered(people))
    assert (_queries(client, page), _queries(client, export)) == few


def test_issuing_the_response_records_the_outcome_ncnd_and_timeliness_on_the_case(people):
    """The tables group what was recorded at issue; it matches what the decisions say."""
    partial = answered(
        people,
        outcome=[(Outcome.PROVIDED, ()), (Outcome.WITHHELD, [("31", builders.WITHHOLD)])],
        questions=("A", "B"),
    )
    own_data = answered(people, outcome=Outcome.OWN_DATA)
    assert (partial.statistics_outcome, partial.statistics_ncnd) == (Initial.PARTIAL, False)
    assert (own_data.statistics_outcome, own_data.statistics_ncnd) == (Initial.WITHHELD, True)
    assert partial.first_response_timeliness == "in_time"
    [(section, mode)] = partial.recorded_citations.values_list("exemption__section", "mode")
    assert (section, mode) == ("31", builders.WITHHOLD)
    assert [c.mode for c in own_data.recorded_citations.all()] == [builders.NCND]
    assert own_data.first_response_timeliness == "in_time"
    officer, reviewer, authority, requester = people
    opened = builders.open_case(actor=officer, authority=authority, requester=requester)
    assert (opened.statistics_outcome, opened.first_response_timeliness) == ("", "")


def test_classify_follows_the_rules_in_the_help_text():
    classify = outcomes.classify
    assert classify([Outcome.PROVIDED, Outcome.NOT_HELD]) == (Initial.GRANTED, False)
    assert classify([Outcome.NOT_HELD]) == (Initial.NOT_HELD, False)
    assert classify([Outcome.COST_LIMIT]) == (Initial.COST_LIMIT, False)
    assert classify([Outcome.COST_LIMIT, Outcome.VEXATIOUS]) == (Initial.WITHHELD, False)
    assert classify([Outcome.WITHHELD, Outcome.NOT_HELD]) == (Initial.WITHHELD, False)
    assert classify([Outcome.WITHHELD], ncnd_cited=True) == (Initial.WITHHELD, True)
    assert classify([Outcome.NOT_APPLICABLE]) == (Initial.UNRECORDED, False)
    assert classify([Outcome.NCND, Outcome.PROVIDED_IN_PART]) == (Initial.PARTIAL, True)


def test_the_commissioners_decision_notices_are_counted_by_the_notices_date(client, people):
    officer = people[0]
    case = answered(people)
    letter = case.letters.get(status=Letter.Status.ISSUED)
    notice_date = timezone.localdate()  # the response went today
    workflow.record_decision_notice(
        case,
        actor=officer,
        replaces=letter,
        reference="IC-765432-Z9Y8",
        notice_date=notice_date,
        required_step="issue a fresh response without relying on section 12",
        compliance_deadline=notice_date + datetime.timedelta(days=35),
        finding="the estimate included time spent redacting",
    )
    data = year_of(case)
    quarter = (notice_date.month - 1) // 3 + 1
    assert data.decision_notices.by_quarter == {q: int(q == quarter) for q in (1, 2, 3, 4)}
    rows = list(csv.DictReader(io.StringIO(figures_csv(data, "Westshire Police"))))
    assert rows[-1]["Commissioner decision notices requiring a fresh response"] == "1"
    signed_in(client, officer)
    page = client.get(reverse("statistics"), {"year": case.received_on.year}).content.decode()
    table = page.split('id="table-decision-notices"')[1].split("</table>")[0]
    assert "Decision notices requiring a fresh response" in table
