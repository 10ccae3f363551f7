"""Case references: human-readable, per prefix and year, and never handed out twice."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from responses import workflow
from responses.models import Case


def open_case(authority, requester, officer, **fields):
    return workflow.open_case(
        actor=officer,
        authority=authority,
        regime=authority.default_regime,
        requester=requester,
        questions=["Q?"],
        request_text="Q?",
        **fields,
    )


def test_references_count_up_per_year(authority, requester, officer):
    first = open_case(authority, requester, officer, received_on=datetime.date(2026, 3, 2))
    second = open_case(authority, requester, officer, received_on=datetime.date(2026, 3, 3))
    next_year = open_case(authority, requester, officer, received_on=datetime.date(2027, 1, 4))
    assert [first.reference, second.reference, next_year.reference] == [
        "FOI/2026/000001",
        "FOI/2026/000002",
        "FOI/2027/000001",
    ]


def test_an_internal_review_has_its_own_series(authority, requester, officer):
    request = open_case(authority, requester, officer, received_on=datetime.date(2026, 3, 2))
    review = open_case(
        authority,
        requester,
        officer,
        received_on=datetime.date(2026, 4, 1),
        kind=Case.Kind.INTERNAL_REVIEW,
        reviewed_case=request,
    )
    assert review.reference == "IR/2026/000001"


@pytest.mark.django_db(transaction=True)
def test_cases_opened_at_the_same_moment_get_different_references(authority, requester, officer):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == ":memory:":
        pytest.skip("needs a database that several connections share")
    workers = 6
    start = threading.Barrier(workers)
    references, errors = [], []

    def open_one():
        try:
            start.wait()
            references.append(open_case(authority, requester, officer).reference)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_one) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    year = timezone.localdate().year
    assert sorted(references) == [f"FOI/{year}/{n:06d}" for n in range(1, workers + 1)]
