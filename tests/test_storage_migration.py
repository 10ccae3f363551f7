"""The data migration that moved issued PDFs from the database into file storage."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import builders

pytest_plugins = ["tests.review_fixtures"]

BEFORE = [("responses", "0020_notification_setting")]
AFTER = [("responses", "0021_issued_pdfs_in_file_storage")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    """Whatever the test migrates to, the database ends at the latest migrations again,
    so the tests after it see the whole schema."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_pdfs_move_to_storage_keeping_each_sha256(
    letter, officer, reviewer, fake_renderer, settings, tmp_path, back_to_latest
):
    settings.MEDIA_ROOT = tmp_path
    document = builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    issued_bytes, public_bytes = bytes(document.pdf), bytes(document.public_copy.pdf)

    # Back to when the PDFs were columns: the reverse migration puts the bytes back in.
    old = migrate(BEFORE)
    old_document = old.get_model("responses", "IssuedDocument").objects.get()
    assert bytes(old_document.pdf) == issued_bytes
    # An empty storage, as before the move.
    for folder in ("issued", "public"):
        (tmp_path / folder).rename(tmp_path / f"{folder}-before")

    new = migrate(AFTER)
    moved = new.get_model("responses", "IssuedDocument").objects.get()
    assert moved.file.name == f"issued/{document.sha256}.pdf"
    stored = (tmp_path / moved.file.name).read_bytes()
    assert stored == issued_bytes
    assert hashlib.sha256(stored).hexdigest() == document.sha256
    copy = new.get_model("responses", "PublicCopy").objects.get()
    assert (tmp_path / copy.file.name).read_bytes() == public_bytes
