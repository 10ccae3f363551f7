"""Backup and restore, as the README's procedure does it: pg_dump the database, copy the
files, restore both into a fresh database and storage, and everything issued still
matches its SHA-256 and is recognised by /verify/."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from responses.models import IssuedDocument, PublicCopy
from tests import builders

pytest_plugins = ["tests.review_fixtures"]

ROOT = Path(__file__).resolve().parent.parent

# Run in the restored site: every issued PDF read back from storage, posted to /verify/.
VERIFY_EVERY_DOCUMENT = """
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from responses.models import IssuedDocument
from responses.models.stored_files import sha256_of
documents = list(IssuedDocument.objects.all())
assert documents, "nothing was restored"
for document in documents:
    pdf = bytes(document.pdf)
    assert sha256_of(pdf) == document.sha256, document.pk
    upload = SimpleUploadedFile("letter.pdf", pdf, "application/pdf")
    page = Client().post("/verify/", {"pdf": upload}).content.decode()
    assert "This is a letter issued by" in page, page
print(f"verified {len(documents)}")
"""


def postgres(*command, **kwargs):
    settings = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": settings["HOST"] or "127.0.0.1",
        "PGPORT": str(settings["PORT"] or 5432),
        "PGUSER": settings["USER"] or "postgres",
    }
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = settings["PASSWORD"]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


@pytest.fixture
def fresh_database():
    name = f"foi_restore_{uuid.uuid4().hex[:10]}"
    postgres("createdb", name)
    yield name
    postgres("dropdb", "--force", name)


def site_env(database, media_root):
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return {
        **{name: value for name, value in os.environ.items() if not name.startswith("DJANGO")},
        "DJANGO_SETTINGS_MODULE": "foi_portal.settings",
        "DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/{database}",
        "MEDIA_ROOT": str(media_root),
        "DEBUG": "false",
        "SECRET_KEY": "restore-test-" + "x1y2z3" * 10,
        "SECURE": "false",
        "ALLOWED_HOSTS": "testserver",
        "TASK_BACKEND": "database",
        "FOI_VAR_DIR": str(media_root.parent / "var"),
    }


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)  # pg_dump sees only what is committed
def test_a_restore_keeps_every_issued_pdf_and_verify_recognises_it(
    letter, officer, reviewer, fake_renderer, settings, tmp_path, fresh_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    assert PublicCopy.objects.filter(document=document).exists()

    # Back up: the database, then the files.
    dump = tmp_path / "foi.dump"
    postgres("pg_dump", "--format=custom", f"--file={dump}", connection.settings_dict["NAME"])
    shutil.make_archive(str(tmp_path / "media-backup"), "gztar", root_dir=settings.MEDIA_ROOT)

    # Restore into a fresh database and an empty storage.
    postgres("pg_restore", "--no-owner", f"--dbname={fresh_database}", str(dump))
    restored_media = tmp_path / "restored-media"
    shutil.unpack_archive(tmp_path / "media-backup.tar.gz", restored_media)
    env = site_env(fresh_database, restored_media)

    check = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check_stored_documents"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    assert "All 2 stored documents match their SHA-256" in check.stdout

    verify = subprocess.run(  # noqa: S603
        [sys.executable, "-c", VERIFY_EVERY_DOCUMENT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stderr
    assert "verified 1" in verify.stdout

    # And a lost or altered file is reported, not passed over.
    (restored_media / document.file.name).write_bytes(b"%PDF tampered")
    check = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check_stored_documents"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 1
    assert "does not match its SHA-256" in check.stderr
    assert IssuedDocument.objects.count() == 1
