"""Many people pressing the same button at once, on PostgreSQL (row locks; skipped on
SQLite, which lets only one writer in at a time anyway).

Each request runs in a thread of its own with its own database connection, through the
test client, as a browser's request would. PostgreSQL allows 100 connections in all, and
other test runs may hold some: the requests are all released together, and as many run
at once as there are connections to spare (all of them when the server has room).
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from responses import workflow
from responses.models import (
    CaseEvent,
    IssueAttempt,
    IssuedDocument,
    Letter,
    LetterParagraph,
    ReviewDecision,
)
from tests import builders
from tests.conftest import make_user

pytest_plugins = ["tests.review_fixtures"]

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def spare_connections(wanted):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity"
        )
        (spare,) = cursor.fetchone()
    # Leave a few for the test itself and for anyone else on the server.
    return max(4, min(wanted, spare - 10))


def all_at_once(calls):
    """Run every call at the same moment (as far as connections allow); their results."""
    start = threading.Event()

    def run(call):
        start.wait()
        try:
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=spare_connections(len(calls))) as pool:
        futures = [pool.submit(run, call) for call in calls]
        start.set()
        return [future.result() for future in futures]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_100_simultaneous_saves_of_one_draft_lose_no_update(letter, officer):
    paragraph = LetterParagraph.objects.filter(section__letter=letter).first()
    letter.refresh_from_db()
    base = {"revision": letter.revision}
    for other in LetterParagraph.objects.filter(section__letter=letter):
        base[f"p-{other.pk}"] = other.text
        base[f"p-{other.pk}-section"] = other.section.key
    clients = [signed_in(officer) for _ in range(100)]
    url = reverse("letter_edit", args=[letter.pk])

    def save(number):
        text = f"Wording number {number} of one hundred."
        response = clients[number].post(url, {**base, f"p-{paragraph.pk}": text})
        return number, text, response.status_code, response.content.decode()

    results = all_at_once([lambda n=n: save(n) for n in range(100)])

    saved = [result for result in results if result[2] == 302]
    conflicts = [result for result in results if result[2] == 409]
    assert len(saved) == 1 and len(conflicts) == 99, sorted({r[2] for r in results})
    paragraph.refresh_from_db()
    assert paragraph.text == saved[0][1]
    # Every loser is shown the saved letter and keeps their own text.
    for _number, text, _status, page in conflicts:
        assert "Someone else changed this letter" in page
        assert text in page and saved[0][1] in page


def test_100_simultaneous_approvals_produce_one(letter, officer, roles):
    reviewers = [make_user(f"reviewer{n}", "Reviewers", roles) for n in range(5)]
    version = builders.submit(letter, actor=officer)

    def approve(user):
        try:
            workflow.approve_letter(letter, actor=user, version_number=version.number)
            return "approved"
        except workflow.TransitionError:
            return "refused"

    outcomes = all_at_once([lambda u=reviewers[n % 5]: approve(u) for n in range(100)])

    assert outcomes.count("approved") == 1 and outcomes.count("refused") == 99
    assert ReviewDecision.objects.filter(version__letter=letter).count() == 1
    assert CaseEvent.objects.filter(case=letter.case, action="letter_approved").count() == 1
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED


def test_20_simultaneous_issue_clicks_produce_one_issued_document(
    letter, officer, reviewer, fake_renderer
):
    builders.approve(letter, officer=officer, reviewer=reviewer)
    clients = [signed_in(officer) for _ in range(20)]
    url = reverse("letter_issue", args=[letter.pk])

    # TASK_BACKEND is `immediate` in the tests: each click that queues the task renders
    # and stores the PDF inside its own request, the worst case for a race.
    statuses = all_at_once([lambda c=c: c.post(url).status_code for c in clients])

    assert statuses == [302] * 20
    assert IssuedDocument.objects.filter(version__letter=letter).count() == 1
    assert IssueAttempt.objects.filter(version__letter=letter).count() == 1
    assert len(fake_renderer) == 1
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ISSUED
    assert CaseEvent.objects.filter(case=letter.case, action="letter_issued").count() == 1
