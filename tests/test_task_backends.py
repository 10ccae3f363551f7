"""Issuing through the production task backends: django-tasks-db's worker (the default)
and RQ on Redis (the alternative). The task is queued as the web request queues it, and a
real worker of each kind picks it up and issues the letter."""

import socket

import pytest
from django.core.management import call_command

from responses import issuing
from responses.models import IssueAttempt, Letter
from tests import builders

pytest_plugins = ["tests.review_fixtures"]

REDIS_DB = "redis://127.0.0.1:6379/15"


@pytest.fixture
def approved(letter, officer, reviewer):
    builders.approve(letter, officer=officer, reviewer=reviewer)
    return letter


def queue_issue(letter, officer, capture):
    with capture(execute=True):
        return issuing.issue_letter(letter, actor=officer)


@pytest.mark.django_db(transaction=True)  # the worker closes its connections, as in production
def test_the_database_worker_issues_a_queued_letter(approved, officer, fake_renderer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    attempt = issuing.issue_letter(approved, actor=officer)  # queued when it commits
    attempt.refresh_from_db()
    assert attempt.status == IssueAttempt.Status.PENDING  # queued, not run in the request

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    attempt.refresh_from_db()
    approved.refresh_from_db()
    assert attempt.status == IssueAttempt.Status.DONE
    assert approved.status == Letter.Status.ISSUED
    assert fake_renderer  # rendered once, by the worker


def redis_is_running():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_an_rq_worker_issues_a_queued_letter(
    approved, officer, fake_renderer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.RQ_QUEUES = {"default": {"URL": REDIS_DB}}
    django_rq = pytest.importorskip("django_rq", reason="the [rq] extra is not installed")
    monkeypatch.setattr(django_rq.settings, "QUEUES", settings.RQ_QUEUES)
    from django_tasks_rq import Job
    from rq import SimpleWorker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()

    attempt = queue_issue(approved, officer, django_capture_on_commit_callbacks)
    attempt.refresh_from_db()
    assert attempt.status == IssueAttempt.Status.PENDING
    assert queue.count == 1

    # rqworker's own worker class, without forking, so it shares this test's database.
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)

    attempt.refresh_from_db()
    approved.refresh_from_db()
    assert attempt.status == IssueAttempt.Status.DONE
    assert approved.status == Letter.Status.ISSUED
