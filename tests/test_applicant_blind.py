"""FOI is applicant-blind: reviewers see who asked only after giving a logged reason."""

import pytest

from responses import workflow
from responses.models import CaseEvent
from tests import builders

pytest_plugins = ["tests.review_fixtures"]


@pytest.fixture
def case(catalogue, authority, requester, officer):
    return builders.open_case(
        actor=officer,
        authority=authority,
        requester=requester,
        questions=["How many? (As Rowan Requester of 2 Some Street asked before.)"],
        request_text=(
            "How many? (As Rowan Requester of 2 Some Street asked before.)"
            "\n\nYours, Rowan Requester (rowan@example.com)"
        ),
    )


@pytest.fixture
def letter_in_review(case, officer):
    letter = builders.response_letter(case, actor=officer)
    builders.edit_answer(letter, actor=officer, text="Dear Rowan Requester, here it is.")
    workflow.submit_letter(letter, actor=officer)
    return letter


def case_page(client, user, case):
    client.force_login(user)
    return client.get(f"/cases/{case.pk}/").content.decode()


def test_officer_sees_who_asked(client, officer, case):
    page = case_page(client, officer, case)
    assert "Rowan Requester" in page and "rowan@example.com" in page


def test_reviewer_sees_the_case_without_the_requester(client, reviewer, case):
    page = case_page(client, reviewer, case)
    assert "Rowan Requester" not in page and "rowan@example.com" not in page
    assert "applicant-blind" in page
    assert "Yours, [requester] ([requester])" in page  # the request as received, masked


def test_revealing_takes_a_reason_is_logged_and_lasts_the_session(
    client, reviewer, case, letter_in_review
):
    client.force_login(reviewer)
    review_page = client.get(f"/review/letters/{letter_in_review.pk}/").content.decode()
    frame_url = f"/review/letters/{letter_in_review.pk}/letter.html"
    assert frame_url in review_page
    assert "Rowan Requester" not in review_page
    framed_letter = client.get(frame_url)
    assert "Dear [requester], here it is." in framed_letter.content.decode()
    assert "default-src 'none'" in framed_letter["Content-Security-Policy"]
    client.post(f"/review/letters/{letter_in_review.pk}/reveal/", {"reason": ""})
    assert "Rowan Requester" not in case_page(client, reviewer, case)
    client.post(
        f"/review/letters/{letter_in_review.pk}/reveal/", {"reason": "Possible repeat request."}
    )
    event = CaseEvent.objects.get(case=case, action="requester_revealed")
    assert event.actor == reviewer and event.comment == "Possible repeat request."
    assert "Rowan Requester" in case_page(client, reviewer, case)
    assert "Dear Rowan Requester" in client.get(frame_url).content.decode()


# ---- Every page and file a reviewer can open -------------------------------------------

# What identifies the requester fixture (Rowan Requester, rowan@example.com, 2 Some Street).
IDENTIFYING = ("Rowan", "rowan@example.com", "Some Street")


def identifying(text):
    return [needle for needle in IDENTIFYING if needle.lower() in text.lower()]


def reveal(client, letter, reason="Checking for a repeat request."):
    client.post(f"/review/letters/{letter.pk}/reveal/", {"reason": reason})


@pytest.fixture
def draft(case, officer):
    """A draft that names the requester in its addressee, greeting, text and question."""
    letter = builders.response_letter(case, actor=officer)
    builders.edit_answer(
        letter,
        actor=officer,
        text="Rowan Requester of 2 Some Street asked; write to rowan@example.com.",
    )
    return letter


@pytest.fixture
def resubmitted(draft, officer, reviewer):
    """Version 2 in review, whose change since version 1 names the requester."""
    workflow.submit_letter(draft, actor=officer)
    workflow.add_review_comment(
        workflow.latest_version(draft), actor=reviewer, text="Is Rowan Requester a journalist?"
    )
    workflow.return_letter(draft, actor=reviewer, version_number=1, comment="Say more to Rowan.")
    builders.edit_answer(draft, actor=officer, text="Rowan asked again, from 2 Some Street.")
    workflow.submit_letter(draft, actor=officer)
    return draft


def test_the_draft_preview_masks_the_requester_until_revealed(client, reviewer, draft):
    client.force_login(reviewer)
    preview = client.get(f"/letters/{draft.pk}/preview/").content.decode()
    assert identifying(preview) == []
    assert "Dear [requester]," in preview
    assert "[requester] of [requester] asked; write to [requester]." in preview
    reveal_on_the_case(client, draft)
    preview = client.get(f"/letters/{draft.pk}/preview/").content.decode()
    assert identifying(preview) == list(IDENTIFYING)


def reveal_on_the_case(client, letter):
    """Reveal through the review page's form (the letter need not be in review)."""
    reveal(client, letter)
    assert CaseEvent.objects.filter(action=CaseEvent.Action.REQUESTER_REVEALED).exists()


def test_the_read_only_editor_masks_the_requester(client, reviewer, draft):
    client.force_login(reviewer)
    page = client.get(f"/letters/{draft.pk}/").content.decode()
    assert identifying(page) == []
    assert "[requester] of [requester] asked" in page
    reveal_on_the_case(client, draft)
    assert (
        "Rowan Requester of 2 Some Street" in client.get(f"/letters/{draft.pk}/").content.decode()
    )


def test_officers_and_administrators_see_the_requester_everywhere(
    client, officer, administrator, resubmitted
):
    for user in (officer, administrator):
        client.force_login(user)
        for url in (
            f"/letters/{resubmitted.pk}/preview/",
            f"/review/letters/{resubmitted.pk}/",
            f"/review/letters/{resubmitted.pk}/letter.html",
        ):
            assert "Rowan" in client.get(url).content.decode(), (user, url)
    assert not CaseEvent.objects.filter(action=CaseEvent.Action.REQUESTER_REVEALED).exists()


@pytest.mark.slow
def test_the_draft_pdf_masks_the_requester_until_revealed(client, reviewer, officer, draft):
    import io

    from pypdf import PdfReader

    def pdf_text():
        response = client.get(f"/letters/{draft.pk}/draft.pdf")
        assert response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    client.force_login(reviewer)
    text = pdf_text()
    assert identifying(text) == []
    assert "Dear [requester]" in text
    reveal_on_the_case(client, draft)
    assert identifying(pdf_text()) == list(IDENTIFYING)


def test_the_review_diff_and_page_mask_the_requester_until_revealed(client, reviewer, resubmitted):
    client.force_login(reviewer)
    page = client.get(f"/review/letters/{resubmitted.pk}/").content.decode()
    assert "What changed since version 1" in page
    assert identifying(page) == []
    assert "<ins>asked again, from </ins>[requester]." in page
    assert "Is [requester] a journalist?" in page  # comments on version 1
    frame = client.get(f"/review/letters/{resubmitted.pk}/letter.html").content.decode()
    assert identifying(frame) == []
    assert "Dear [requester]," in frame
    history = client.get(f"/cases/{resubmitted.case_id}/history/").content.decode()
    assert "Say more to [requester]." in history and identifying(history) == []
    assert identifying(client.get(f"/cases/{resubmitted.case_id}/").content.decode()) == []

    reveal(client, resubmitted)
    page = client.get(f"/review/letters/{resubmitted.pk}/").content.decode()
    assert "Rowan" in page and "rowan@example.com" in page  # in the diff
    assert "Rowan" in client.get(f"/review/letters/{resubmitted.pk}/letter.html").content.decode()


def test_the_frozen_version_keeps_the_requester(client, reviewer, resubmitted):
    client.force_login(reviewer)
    client.get(f"/review/letters/{resubmitted.pk}/")
    client.get(f"/review/letters/{resubmitted.pk}/letter.html")
    version = workflow.latest_version(resubmitted)
    assert "Dear Rowan Requester," in version.html
    assert "Rowan asked again" in version.section_texts()[builders.answer_key(resubmitted)][1]


def test_the_issued_pdf_asks_a_reason_logs_it_and_serves_the_bytes_unchanged(
    client, fake_renderer, officer, reviewer, draft
):
    document = builders.issued_letter(draft, officer=officer, reviewer=reviewer)
    url = f"/letters/{draft.pk}/issued.pdf"
    client.force_login(reviewer)
    issue_page = client.get(f"/letters/{draft.pk}/issue/").content.decode()
    assert "you will be asked why you need it" in issue_page

    prompt = client.get(url)
    assert prompt.status_code == 200
    assert prompt["Content-Type"].startswith("text/html")
    assert "The issued letter names the requester" in prompt.content.decode()
    assert identifying(prompt.content.decode()) == []

    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400 and "Enter a reason" in refused.content.decode()
    assert not CaseEvent.objects.filter(action=CaseEvent.Action.REQUESTER_REVEALED).exists()

    response = client.post(url, {"reason": "Checking the letter as sent."})
    assert response.status_code == 302 and response["Location"] == url
    event = CaseEvent.objects.get(action=CaseEvent.Action.REQUESTER_REVEALED)
    assert event.actor == reviewer and event.comment == "Checking the letter as sent."
    download = client.get(url)
    assert download["Content-Type"] == "application/pdf"
    assert download.content == bytes(document.pdf)


def test_officers_get_the_issued_pdf_at_once(client, fake_renderer, officer, reviewer, draft):
    document = builders.issued_letter(draft, officer=officer, reviewer=reviewer)
    client.force_login(officer)
    response = client.get(f"/letters/{draft.pk}/issued.pdf")
    assert response.content == bytes(document.pdf)
    assert not CaseEvent.objects.filter(action=CaseEvent.Action.REQUESTER_REVEALED).exists()


def test_masking_finds_the_details_in_any_case_and_the_name_in_part():
    from responses.masking import mask_requester
    from responses.models import Requester

    requester = Requester(
        name="Dr Will O'Price", email="will@example.com", postal_address="2 Some Street\nTown"
    )
    text = "Dear Dr Will O'Price, Will wrote from WILL@EXAMPLE.COM at 2 some street; we will reply."
    assert mask_requester(text, requester) == (
        "Dear [requester], [requester] wrote from [requester] at [requester]; we will reply."
    )
    escaped = "Dear Dr Will O&#39;Price and O&#x27;Price"
    assert mask_requester(escaped, requester, html=True) == "Dear [requester] and [requester]"
    assert mask_requester("Townsend", requester) == "Townsend"  # whole words only
