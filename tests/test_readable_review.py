"""What reviewers and officers read: an issued letter shown as sent, and a history in words."""

import pytest
from django.urls import reverse

from tests import builders

pytest_plugins = ["tests.review_fixtures"]


@pytest.fixture
def letter(catalogue, authority, requester, officer):
    return builders.response_letter(actor=officer, authority=authority, requester=requester)


def test_the_preview_of_an_issued_letter_is_not_marked_draft(
    client, officer, reviewer, letter, fake_renderer
):
    client.force_login(officer)
    draft_page = client.get(reverse("letter_preview", args=[letter.pk])).content.decode()
    assert "DRAFT: not issued" in draft_page and 'class="watermark"' in draft_page
    builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    issued_page = client.get(reverse("letter_preview", args=[letter.pk])).content.decode()
    # The inlined stylesheet names the watermark's word; the issued page shows neither.
    assert "DRAFT: not issued" not in issued_page and 'class="watermark"' not in issued_page
    assert builders.ANSWER in issued_page


def test_the_history_gives_statuses_in_words(client, officer, reviewer, letter):
    builders.approve(letter, officer=officer, reviewer=reviewer)
    client.force_login(officer)
    page = client.get(reverse("case_history", args=[letter.case.pk])).content.decode()
    assert "Draft → Awaiting review" in page
    assert "Awaiting review → Approved" in page
    for code in ("in_review", "draft →", "→ approved", "→ open"):
        assert code not in page
