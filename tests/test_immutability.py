"""Submitted versions, verdicts, comments and issued PDFs can never be changed or deleted."""

import pytest
from django.core.exceptions import PermissionDenied

from responses import workflow
from responses.models import IssuedDocument, LetterVersion, ReviewComment, ReviewDecision
from tests import builders
from tests.builders import FAKE_PDF

pytest_plugins = ["tests.review_fixtures"]


@pytest.fixture
def issued(letter, officer, reviewer):
    workflow.submit_letter(letter, actor=officer)
    workflow.add_review_comment(
        workflow.latest_version(letter), actor=reviewer, text="Fine.", section_key="decision"
    )
    workflow.approve_letter(letter, actor=reviewer, version_number=builders.version_number(letter))
    return workflow.mark_issued(
        workflow.claim_issue_attempt(workflow.request_issue(letter, actor=officer)),
        pdf_bytes=FAKE_PDF,
    )


@pytest.mark.parametrize("model", [LetterVersion, ReviewDecision, ReviewComment, IssuedDocument])
def test_rows_refuse_save_and_delete(issued, model):
    row = model.objects.get()
    with pytest.raises(PermissionDenied):
        row.save()
    with pytest.raises(PermissionDenied):
        row.delete()
    assert model.objects.count() == 1


@pytest.mark.parametrize("model", [LetterVersion, ReviewDecision, ReviewComment, IssuedDocument])
def test_querysets_refuse_update_and_delete(issued, model):
    row = model.objects.get()
    with pytest.raises(PermissionDenied):
        model.objects.filter(pk=row.pk).update(pk=row.pk)
    with pytest.raises(PermissionDenied):
        model.objects.all().delete()
    assert model.objects.count() == 1


def test_changing_a_versions_html_is_refused_and_the_stored_text_stays(issued):
    version = LetterVersion.objects.get()
    version.html = "<p>Something else</p>"
    with pytest.raises(PermissionDenied):
        version.save()
    assert "We hold the policy" in LetterVersion.objects.get().html


def test_issued_pdf_bytes_are_kept_exactly(issued):
    document = IssuedDocument.objects.get()
    assert bytes(document.pdf) == FAKE_PDF
    assert document.sha256 == IssuedDocument.digest(FAKE_PDF)
