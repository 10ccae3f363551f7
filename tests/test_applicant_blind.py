"""FOI is applicant-blind: reviewers see who asked only after giving a logged reason."""

import pytest

from responses import workflow
from responses.models import CaseEvent
from tests import builders


@pytest.fixture
def case(catalogue, authority, requester, officer):
    return builders.open_case(
        actor=officer,
        authority=authority,
        requester=requester,
        questions=["How many?"],
        request_text="How many?\n\nYours, Rowan Requester (rowan@example.com)",
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
