"""Faults while issuing: a storage error while the PDF is stored, the database connection
dropped in the middle, the worker killed while rendering. Each leaves no half-issued
letter (no document, the letter still approved, no file named in the database), and
trying again issues it."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from responses import issuing, workflow
from responses.models import IssueAttempt, IssuedDocument, Letter, PublicCopy, stored_files
from responses.workflow.issue import RENDER_LEASE
from tests import builders

pytest_plugins = ["tests.review_fixtures"]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def approved(letter, officer, reviewer):
    builders.approve(letter, officer=officer, reviewer=reviewer)
    return letter


def assert_not_issued(letter):
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED
    assert not IssuedDocument.objects.filter(version__letter=letter).exists()
    assert not PublicCopy.objects.exists()


def retry(letter, officer):
    attempt = workflow.request_issue(letter, actor=officer)
    issuing.run_attempt(attempt.pk)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ISSUED
    document = IssuedDocument.objects.get(version__letter=letter)
    assert stored_files.sha256_of(document.pdf) == document.sha256
    return attempt


def test_a_storage_error_while_storing_the_pdf_issues_nothing_and_a_retry_completes(
    approved, officer, fake_renderer, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    real_store_once = stored_files.store_once

    def failing_store(storage, name, data):
        raise OSError("The bucket refused the upload")

    monkeypatch.setattr(stored_files, "store_once", failing_store)
    attempt = workflow.request_issue(approved, actor=officer)
    issuing.run_attempt(attempt.pk)

    attempt.refresh_from_db()
    assert attempt.status == IssueAttempt.Status.FAILED
    assert "The bucket refused the upload" in attempt.error
    assert_not_issued(approved)

    monkeypatch.setattr(stored_files, "store_once", real_store_once)
    retry(approved, officer)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_database_connection_dropped_mid_issue_issues_nothing_and_a_retry_completes(
    approved, officer, fake_renderer, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    real_store_once = stored_files.store_once

    def drop_connection_then_store(storage, name, data):
        # The server ends our session while the letter's row is locked inside mark_issued.
        pid = connection.connection.info.backend_pid
        with connection.__class__(connection.settings_dict).cursor() as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return real_store_once(storage, name, data)

    monkeypatch.setattr(stored_files, "store_once", drop_connection_then_store)
    attempt = workflow.request_issue(approved, actor=officer)
    issuing.run_attempt(attempt.pk)

    # The failure is recorded over a new connection.
    attempt.refresh_from_db()
    assert attempt.status == IssueAttempt.Status.FAILED
    assert_not_issued(approved)

    monkeypatch.setattr(stored_files, "store_once", real_store_once)
    retry(approved, officer)


# The worker: `manage.py db_worker` with a render that takes a minute, so it is certainly
# rendering when it is killed.
SLOW_WORKER = """
import time, django
django.setup()
from django.core.management import call_command
from responses import issuing
issuing.render_pdf = lambda version: time.sleep(60) or b"%PDF never"
call_command("db_worker", "--no-startup-delay", "--interval", "0.2")
"""


def worker_env():
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return {
        **{name: value for name, value in os.environ.items() if not name.startswith("DJANGO")},
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}",
        "TASK_BACKEND": "database",
    }


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out")
        time.sleep(0.1)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_issues_nothing_and_a_retry_completes(
    approved, officer, fake_renderer, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", SLOW_WORKER],
        cwd=ROOT,
        env=worker_env(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        attempt = issuing.issue_letter(approved, actor=officer)  # queued on commit
        wait_for(
            lambda: IssueAttempt.objects.get(pk=attempt.pk).status == IssueAttempt.Status.RUNNING
        )
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # no chance to record anything
        worker.wait(timeout=10)

    attempt.refresh_from_db()
    assert attempt.status == IssueAttempt.Status.RUNNING
    assert_not_issued(approved)

    # The lease runs out, the attempt is given up, and the officer tries again.
    with time_machine.travel(timezone.now() + RENDER_LEASE + timedelta(seconds=1)):
        assert workflow.expire_lapsed_issue_attempts() == 1
        attempt.refresh_from_db()
        assert attempt.status == IssueAttempt.Status.FAILED
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        retry(approved, officer)
