"""The case list: search, filters, sorting, pagination and the deadline of each row."""

import datetime
import re

import pytest

from exemptions.models import Regime
from responses.models import Case, ClockEvent, Requester
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_case(authority, requester, officer):
    def build(received_on=datetime.date(2026, 1, 5), **fields):
        fields.setdefault("requester", requester)
        return builders.open_case(
            actor=officer,
            authority=authority,
            questions=["Q?"],
            received_on=received_on,
            **fields,
        )

    return build


def references(response):
    """The case references in the table, in the order shown."""
    return re.findall(r'href="/cases/\d+/">([^<]+)</a>', response.content.decode())


def listed(client, **query):
    response = client.get("/", query)
    assert response.status_code == 200
    return response


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def three(make_case, second_officer):
    other = Requester.objects.create(name="Priya Patel", email="priya@press.example")
    return {
        "bins": make_case(
            datetime.date(2026, 1, 5),
            subject="Bin collections",
            request_text="How many missed refuse collections were reported in 2025?",
        ),
        "cars": make_case(
            datetime.date(2026, 1, 12),
            subject="Fleet",
            request_text="Please list the electric vehicles in the council fleet.",
            requester=other,
            assigned_to=second_officer,
        ),
        "trees": make_case(
            datetime.date(2026, 1, 19),
            subject="Tree felling",
            request_text="Which oak trees were felled on Mill Lane?",
            assigned_to=None,
        ),
    }


def test_without_filters_every_case_newest_first(signed_in, three):
    shown = references(listed(signed_in))
    assert shown == [three[key].reference for key in ("trees", "cars", "bins")]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("priya patel", ["cars"]),  # requester's name, any case
        ("PRESS.EXAMPLE", ["cars"]),  # requester's email
        ("tree fell", ["trees"]),  # subject
        ("refuse", ["bins"]),  # a word of the request text
        ("Electric Vehicles", ["cars"]),  # words of the request text, any case
        ("mill oak", ["trees"]),  # all the words, in any order
        ("giraffe", []),
    ],
)
def test_search_by_each_field(signed_in, three, q, expected):
    assert references(listed(signed_in, q=q)) == [three[key].reference for key in expected]


def test_search_by_reference(signed_in, three):
    reference = three["cars"].reference
    assert references(listed(signed_in, q=reference.lower())) == [reference]


def test_filter_open_and_closed_and_status(signed_in, three):
    Case.objects.filter(pk=three["bins"].pk).update(status=Case.Status.RESPONDED)
    Case.objects.filter(pk=three["cars"].pk).update(status=Case.Status.ON_HOLD)
    assert references(listed(signed_in, state="closed")) == [three["bins"].reference]
    assert references(listed(signed_in, state="open")) == [
        three["trees"].reference,
        three["cars"].reference,
    ]
    assert references(listed(signed_in, status="on_hold")) == [three["cars"].reference]
    assert len(references(listed(signed_in, status=["on_hold", "responded"]))) == 2


def test_filter_by_regime(signed_in, three, catalogue):
    eir = Regime.objects.get(code=Regime.EIR)
    Case.objects.filter(pk=three["trees"].pk).update(regime=eir)
    assert references(listed(signed_in, regime="EIR")) == [three["trees"].reference]
    assert three["trees"].reference not in references(listed(signed_in, regime="FOIA"))


def test_filter_by_officer(signed_in, three, second_officer):
    assert references(listed(signed_in, officer="me")) == [three["bins"].reference]
    assert references(listed(signed_in, officer="none")) == [three["trees"].reference]
    assert references(listed(signed_in, officer=str(second_officer.pk))) == [
        three["cars"].reference
    ]


def test_filter_by_received_dates(signed_in, three):
    query = {
        "received_from_0": "10",
        "received_from_1": "1",
        "received_from_2": "2026",
        "received_to_0": "18",
        "received_to_1": "1",
        "received_to_2": "2026",
    }
    assert references(listed(signed_in, **query)) == [three["cars"].reference]


def test_filter_by_kind(signed_in, three):
    Case.objects.filter(pk=three["cars"].pk).update(kind=Case.Kind.INTERNAL_REVIEW)
    assert references(listed(signed_in, kind="internal_review")) == [three["cars"].reference]


def test_sort_orders(signed_in, three, make_case):
    # Logged last (the highest reference) but received first.
    backlog = make_case(datetime.date(2026, 1, 2), subject="Backlog")
    by_reference = [three[key].reference for key in ("bins", "cars", "trees")] + [backlog.reference]
    oldest = [backlog.reference] + by_reference[:3]
    assert references(listed(signed_in)) == oldest[::-1]  # newest first by default
    assert references(listed(signed_in, sort="oldest")) == oldest
    assert references(listed(signed_in, sort="reference")) == by_reference


def test_a_bad_date_says_so_and_keeps_the_other_filters(signed_in, three):
    response = listed(
        signed_in,
        q="refuse",
        received_from_0="31",
        received_from_1="2",
        received_from_2="2026",
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a real date" in page
    assert 'value="refuse"' in page  # the search box keeps what was typed
    assert references(response) == [three["bins"].reference]  # and still searches


def test_nothing_matches_offers_to_clear_the_filters(signed_in, three):
    page = listed(signed_in, q="giraffe").content.decode()
    assert "No cases match" in page
    assert "clear the filters" in page


def test_pages_of_fifty_keep_the_filters(signed_in, make_case):
    for day in range(1, 28):
        for _ in range(2):
            make_case(datetime.date(2026, 1, day), subject="Potholes")
    make_case(datetime.date(2026, 1, 2), subject="Parking")
    first = listed(signed_in, q="potholes")
    page = first.content.decode()
    assert "Showing 1 to 50 of 54 cases" in page
    assert len(references(first)) == 50
    assert "?q=potholes&amp;page=2" in page
    second = listed(signed_in, q="potholes", page="2")
    assert "Showing 51 to 54 of 54 cases" in second.content.decode()
    assert len(references(second)) == 4


def test_each_row_shows_requester_regime_officer_and_deadline(
    signed_in, make_case, officer, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 2, 16, 12, 0))
    overdue = make_case(datetime.date(2026, 1, 5), subject="Late one")
    stopped = make_case(datetime.date(2026, 2, 10), subject="Stopped one")
    ClockEvent.objects.create(
        case=stopped,
        kind=ClockEvent.Kind.CLARIFICATION,
        starts_on=datetime.date(2026, 2, 12),
        reason="Which period?",
        created_by=officer,
    )
    page = listed(signed_in).content.decode()
    late_row = page[page.index(overdue.reference) :].split("</tr>")[0]
    assert "Rowan Requester" in late_row and "FOIA" in late_row and "Olivia Officer" in late_row
    assert "2 February 2026" in late_row and "Overdue" in late_row
    stopped_row = page[page.index(stopped.reference) :].split("</tr>")[0]
    assert "Clock stopped" in stopped_row and "Overdue" not in stopped_row


def test_query_count_does_not_grow_with_rows(signed_in, make_case, django_assert_max_num_queries):
    make_case()
    with django_assert_max_num_queries(20) as few:
        listed(signed_in, q="drones")
    for _ in range(30):
        make_case()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(references(listed(signed_in, q="drones"))) == 31


def test_only_case_workers(client, outsider, reviewer):
    client.force_login(outsider)
    assert client.get("/").status_code == 403
    client.force_login(reviewer)
    assert client.get("/", {"q": "x"}).status_code == 200


def test_a_deep_page_links_its_neighbours_and_keeps_the_filters():
    from django.core.paginator import Paginator
    from django.template import Context, Template

    page = Paginator(range(2000), 50).get_page(30)
    html = Template('{% load pagination %}{% pagination page query "Pages of cases" %}').render(
        Context({"page": page, "query": "q=drones"})
    )
    assert 'aria-current="page">30</a>' in html
    for near in (1, 28, 29, 31, 32, 40):
        assert f'href="?q=drones&amp;page={near}"' in html
    assert "page=15" not in html and "govuk-pagination__item--ellipses" in html
