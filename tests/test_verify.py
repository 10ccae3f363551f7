"""/verify/: anyone can check a PDF, or its fingerprint, against the letters we issued."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from responses import workflow
from responses.models import IssuedDocument, Publication
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


@pytest.fixture
def public_copy(issued):
    """Issuing the response published it: the disclosure log's PDF is a second document."""
    copy = issued.public_copy
    assert copy.publication.status == Publication.Status.PUBLISHED
    assert copy.sha256 != issued.sha256
    return copy


def test_the_published_public_copy_is_recognised(client, public_copy):
    upload = SimpleUploadedFile("public.pdf", bytes(public_copy.pdf), "application/pdf")
    response = check(client, pdf=upload)
    body = response.content.decode()
    reference = public_copy.publication.letter.case.reference
    assert f"This is the disclosure log's public copy of {reference}" in body
    assert public_copy.publication.published_at.strftime("%-d %B %Y") in body
    assert f'href="/disclosure-log/{public_copy.publication.slug}/"' in body
    assert "This is a letter issued by" not in body
    assert "This is not a letter issued by us" not in body


def test_the_public_copys_fingerprint_is_recognised(client, public_copy):
    body = check(client, sha256=public_copy.sha256.upper()).content.decode()
    assert "public copy of" in body


def test_an_altered_public_copy_is_not_ours(client, public_copy):
    upload = SimpleUploadedFile("public.pdf", bytes(public_copy.pdf) + b"\n", "application/pdf")
    body = check(client, pdf=upload).content.decode()
    assert "This is not a letter issued by us" in body
    assert "public copy" not in body


def test_the_issued_letter_is_still_the_letter_once_published(client, issued, public_copy):
    body = check(client, sha256=issued.sha256).content.decode()
    assert "This is a letter issued by Westshire Police" in body
    assert "public copy of" not in body


def test_a_withdrawn_copy_is_genuine_but_not_linked(client, public_copy, administrator):
    publication = workflow.withdraw_publication(
        public_copy.publication, actor=administrator, reason="Published in error."
    )
    body = check(client, sha256=public_copy.sha256).content.decode()
    reference = publication.letter.case.reference
    assert f"This is a genuine public copy of {reference}" in body
    assert f"withdrawn on {publication.withdrawn_at.strftime('%-d %B %Y')}" in body
    assert f"/disclosure-log/{publication.slug}/" not in body
    assert "This is not a letter issued by us" not in body


def test_a_copy_not_yet_published_is_not_confirmed(
    client, catalogue, authority, requester, officer, reviewer, fake_renderer
):
    letter = builders.response_letter(actor=officer, authority=authority, requester=requester)
    builders.approve(letter, officer=officer, reviewer=reviewer)
    later = datetime.date.today() + datetime.timedelta(days=28)
    workflow.choose_publication(letter, actor=officer, publish=True, publish_on=later)
    document = builders.issue(letter, actor=officer)
    assert document.public_copy.publication.status == Publication.Status.SCHEDULED
    body = check(client, sha256=document.public_copy.sha256).content.decode()
    assert "This is not a letter issued by us" in body
