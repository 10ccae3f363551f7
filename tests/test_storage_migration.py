"""The data migration that moved issued PDFs from the database into file storage."""

import hashlib

import pytest

from tests import builders
from tests.migrating import back_to_latest, migrate  # noqa: F401 (a fixture)

pytest_plugins = ["tests.review_fixtures"]

BEFORE = [("responses", "0020_notification_setting")]
AFTER = [("responses", "0021_issued_pdfs_in_file_storage")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_existing_pdfs_move_to_storage_keeping_each_sha256(
    letter, officer, reviewer, fake_renderer, settings, tmp_path
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
