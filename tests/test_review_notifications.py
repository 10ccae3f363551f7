"""A returned letter shows the reviewer's comments where they apply, and the people on
either side of a review hear about it by email, unless they turned that off."""

import pytest
from django.core import mail
from django.urls import reverse

from responses import workflow
from responses.models import NotificationSetting
from tests import builders


@pytest.fixture
def letter(catalogue, authority, requester, officer):
    return builders.response_letter(actor=officer, authority=authority, requester=requester)


def inbox(address):
    return [message for message in mail.outbox if address in message.to]


def test_reviewers_are_emailed_when_a_letter_is_sent_for_review(
    letter, officer, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        builders.submit(letter, actor=officer)
    [message] = inbox(reviewer.email)
    assert letter.case.reference in message.subject
    assert f"/review/letters/{letter.pk}/" in message.body
    assert builders.ANSWER not in message.body  # a link, never the letter's text
    assert inbox(officer.email) == []  # not the person who sent it


def test_the_officer_is_emailed_when_the_letter_is_returned_or_approved(
    letter, officer, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = builders.submit(letter, actor=officer)
        workflow.return_letter(
            letter, actor=reviewer, version_number=version.number, comment="Check the date."
        )
    [returned] = inbox(officer.email)
    assert "returned" in returned.subject
    assert f"/letters/{letter.pk}/" in returned.body
    letter.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        builders.approve(letter, officer=officer, reviewer=reviewer)
    assert "approved" in inbox(officer.email)[-1].subject


def test_anyone_can_turn_the_emails_off(
    client, letter, officer, reviewer, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    page = client.get(reverse("notification_settings")).content.decode()
    assert "checked" in page  # on until turned off
    response = client.post(reverse("notification_settings"), {})
    assert response.status_code == 302
    assert not NotificationSetting.objects.get(user=reviewer).review_emails
    with django_capture_on_commit_callbacks(execute=True):
        builders.submit(letter, actor=officer)
    assert inbox(reviewer.email) == []


def test_a_returned_letter_shows_the_comments_beside_their_sections(
    client, letter, officer, reviewer
):
    version = builders.submit(letter, actor=officer)
    key = builders.answer_key(letter)
    workflow.add_review_comment(
        version, actor=reviewer, text="Say which <b>policy</b>.", section_key=key
    )
    workflow.return_letter(
        letter, actor=reviewer, version_number=version.number, comment="See my note on Q1."
    )
    client.force_login(officer)
    html = client.get(reverse("letter_edit", args=[letter.pk])).content.decode()
    section = html[html.index(f'id="{key}"') :]
    section = section[: section.index("</section>")]
    assert "Say which &lt;b&gt;policy&lt;/b&gt;." in section
    top = html[html.index('data-testid="letter-comments"') :]
    assert "See my note on Q1." in top[: top.index("</div>")]
    assert html.index('data-testid="letter-comments"') < html.index(f'id="{key}"')
