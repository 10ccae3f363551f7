"""Issued documents in file storage: local files by default, an S3-compatible bucket when
configured; written once, named by SHA-256, read back byte for byte."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from responses.models import IssuedDocument
from responses.models.stored_files import StoredFileMismatch, store_once
from tests import builders

pytest_plugins = ["tests.review_fixtures", "tests.object_storage"]


def test_an_issued_pdf_is_a_file_named_by_its_hash(
    letter, officer, reviewer, fake_renderer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = builders.issued_letter(letter, officer=officer, reviewer=reviewer)

    assert document.file.name == f"issued/{document.sha256}.pdf"
    stored = (tmp_path / document.file.name).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == document.sha256
    assert bytes(IssuedDocument.objects.get().pdf) == stored


def test_a_stored_file_is_never_overwritten(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    store_once(default_storage, "issued/abc.pdf", b"%PDF first")
    # The same bytes again: accepted, nothing changes.
    assert store_once(default_storage, "issued/abc.pdf", b"%PDF first") == "issued/abc.pdf"
    with pytest.raises(StoredFileMismatch):
        store_once(default_storage, "issued/abc.pdf", b"%PDF other")
    assert (tmp_path / "issued/abc.pdf").read_bytes() == b"%PDF first"
    assert [path.name for path in (tmp_path / "issued").iterdir()] == ["abc.pdf"]


def test_an_issued_pdf_in_the_bucket_matches_its_sha256(
    s3_bucket, letter, officer, reviewer, fake_renderer, client
):
    s3, bucket = s3_bucket
    document = builders.issued_letter(letter, officer=officer, reviewer=reviewer)

    body = s3.get_object(Bucket=bucket, Key=f"issued/{document.sha256}.pdf")["Body"].read()
    assert hashlib.sha256(body).hexdigest() == document.sha256
    assert body.startswith(b"%PDF")
    # The public copy went to the bucket too.
    copy = document.public_copy
    key = f"public/{copy.sha256}.pdf"
    assert hashlib.sha256(s3.get_object(Bucket=bucket, Key=key)["Body"].read()).hexdigest() == (
        copy.sha256
    )
    # And the officer's download serves what the bucket holds.
    client.force_login(officer)
    response = client.get(reverse("letter_issued_pdf", args=[letter.pk]))
    assert response.status_code == 200
    assert response.content == body


def test_the_bucket_is_never_overwritten_either(s3_bucket):
    s3, bucket = s3_bucket
    store_once(default_storage, "issued/abc.pdf", b"%PDF first")
    with pytest.raises(StoredFileMismatch):
        store_once(default_storage, "issued/abc.pdf", b"%PDF other")
    body = s3.get_object(Bucket=bucket, Key="issued/abc.pdf")["Body"].read()
    assert body == b"%PDF first"
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == ["issued/abc.pdf"]


def test_uploads_go_to_the_bucket(s3_bucket, authority):
    s3, bucket = s3_bucket
    authority.logo.save("crest.png", ContentFile(b"\x89PNG fake"), save=True)
    assert s3.get_object(Bucket=bucket, Key=authority.logo.name)["Body"].read() == (b"\x89PNG fake")
