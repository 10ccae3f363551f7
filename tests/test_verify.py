"""/verify/: anyone can check a PDF, or its fingerprint, against the letters we issued."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from responses.models import IssuedDocument
from tests import builders
from tests.builders import FAKE_PDF

pytest_plugins = ["tests.review_fixtures"]


@pytest.fixture
def issued(letter, officer, reviewer, fake_renderer):
    return builders.issued_letter(letter, officer=officer, reviewer=reviewer)


def check(client, **data):
    return client.post(reverse("verify"), data)


def test_an_uploaded_issued_pdf_is_recognised(client, issued):
    upload = SimpleUploadedFile("letter.pdf", bytes(issued.pdf), "application/pdf")
    body = check(client, pdf=upload).content.decode()
    assert "This is a letter issued by Westshire Police" in body
    assert issued.version.letter.case.reference in body
    assert issued.issued_at.strftime("%-d %B %Y") in body


def test_a_pasted_fingerprint_is_recognised_in_any_case_and_spacing(client, issued):
    pasted = " ".join([issued.sha256[:32].upper(), issued.sha256[32:]])
    body = check(client, sha256=pasted).content.decode()
    assert "This is a letter issued by Westshire Police" in body


def test_an_altered_pdf_is_not_ours(client, issued):
    upload = SimpleUploadedFile("letter.pdf", bytes(issued.pdf) + b" ", "application/pdf")
    body = check(client, pdf=upload).content.decode()
    assert "This is not a letter issued by us" in body
    assert "This is a letter issued by" not in body


def test_nothing_or_nonsense_is_an_error(client, db):
    assert check(client).status_code == 400
    assert "Upload a PDF or paste" in check(client).content.decode()
    response = check(client, sha256="not-a-hash")
    assert response.status_code == 400
    assert "64 characters" in response.content.decode()


def test_the_page_needs_no_sign_in(client, db):
    response = client.get(reverse("verify"))
    assert response.status_code == 200
    assert "Check a letter is genuine" in response.content.decode()


def test_fake_pdf_fixture_is_not_issued_until_issued(client, db):
    body = check(client, sha256=IssuedDocument.digest(FAKE_PDF)).content.decode()
    assert "This is not a letter issued by us" in body
