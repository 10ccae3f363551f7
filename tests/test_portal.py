"""The requester's private page: one case per link, letters as stored, internal review."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from responses import tokens
from responses.models import Case, CaseEvent, RequesterLink
from tests import builders

pytest_plugins = ["tests.review_fixtures"]


@pytest.fixture
def issued(letter, officer, reviewer, fake_renderer):
    return builders.issued_letter(letter, officer=officer, reviewer=reviewer)


@pytest.fixture
def token(case):
    return tokens.issue_link(case)[1]


def track(client, token):
    return client.get(reverse("portal_case", args=[token]))


def test_only_a_hash_of_the_token_is_stored(case, token):
    link = RequesterLink.objects.get()
    assert token not in link.token_hash
    assert link.token_hash == tokens.hash_token(token)
    assert len(token) >= 43


def test_page_shows_the_request_status_and_deadline(client, case, token):
    response = track(client, token)
    body = response.content.decode()
    assert response.status_code == 200
    assert case.reference in body
    assert "Do you hold a policy on drones?" in body
    assert "We are working on your request." in body
    assert "We must reply by" in body
    assert response["Cache-Control"].startswith("max-age=0")


def test_an_issued_letter_can_be_downloaded_as_stored_and_the_download_is_logged(
    client, case, token, issued
):
    body = track(client, token).content.decode()
    assert "We have replied to your request." in body
    pdf_url = reverse("portal_letter_pdf", args=[token, issued.version.letter_id])
    assert pdf_url in body
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response.content == bytes(issued.pdf)
    event = CaseEvent.objects.get(case=case, action="pdf_downloaded")
    assert event.actor is None

    html = client.get(reverse("portal_letter_html", args=[token, issued.version.letter_id]))
    assert html.status_code == 200
    assert "We hold the policy" in html.content.decode()
    assert "default-src 'none'" in html["Content-Security-Policy"]


def link_failure_page(response):
    return response.status_code, "This link does not work" in response.content.decode()


def test_expired_revoked_and_unknown_links_look_the_same(client, case, token, officer):
    unknown = track(client, "x" * 43)

    RequesterLink.objects.filter(case=case).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = track(client, token)

    fresh = tokens.issue_link(case)[1]
    tokens.revoke_links(case, actor=officer)
    revoked = track(client, fresh)

    assert link_failure_page(unknown) == link_failure_page(expired) == link_failure_page(revoked)
    assert link_failure_page(unknown) == (404, True)
    assert unknown.content == expired.content == revoked.content
    assert case.reference.encode() not in revoked.content


def test_a_new_link_stops_the_old_one(client, case, token, officer):
    _, new_token = tokens.issue_link(case, actor=officer)
    assert track(client, token).status_code == 404
    assert track(client, new_token).status_code == 200


def test_a_link_never_opens_another_cases_letter(
    client,
    authority,
    requester,
    officer,
    issued,
):
    other_case = builders.open_case(actor=officer, authority=authority, requester=requester)
    other_token = tokens.issue_link(other_case)[1]
    letter_pk = issued.version.letter_id
    for name in ("portal_letter_pdf", "portal_letter_html"):
        response = client.get(reverse(name, args=[other_token, letter_pk]))
        assert link_failure_page(response) == (404, True)
    assert not CaseEvent.objects.filter(action="pdf_downloaded").exists()


def test_after_a_response_the_requester_can_ask_for_an_internal_review(
    client, case, token, issued, django_capture_on_commit_callbacks
):
    body = track(client, token).content.decode()
    assert "Ask for an internal review" in body
    assert "Information Commissioner" in body
    assert 'data-testid="review-deadline"' in body

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal_request_review", args=[token]),
            {"text": "I think section 31 was applied too widely."},
        )
    assert response.status_code == 302
    review = Case.objects.get(kind=Case.Kind.INTERNAL_REVIEW)
    assert review.reviewed_case == case
    assert review.request_text == "I think section 31 was applied too widely."
    assert review.reference.startswith("IR/")
    assert CaseEvent.objects.filter(case=case, action="internal_review_requested").exists()
    (email,) = [m for m in mail.outbox if "Internal review requested" in m.subject]
    assert email.to == ["olivia@example.org"]

    body = track(client, token).content.decode()
    assert f"Internal review {review.reference}" in body
    assert "Ask for an internal review" not in body
    second = client.post(reverse("portal_request_review", args=[token]), {"text": "Again."})
    assert second.status_code == 400
    assert Case.objects.filter(kind=Case.Kind.INTERNAL_REVIEW).count() == 1


def test_the_review_request_form_keeps_its_origin_so_the_csrf_check_passes(case, token, issued):
    """A page with referrer policy no-referrer makes browsers send "Origin: null" with its
    form, which Django's CSRF check refuses: the requester could never ask for a review."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    body = track(browser, token).content.decode()
    assert '<meta name="referrer" content="same-origin">' in body
    assert "no-referrer" not in body.split("</head>")[0]

    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    response = browser.post(
        reverse("portal_request_review", args=[token]),
        {"text": "Please look again.", "csrfmiddlewaretoken": form_token},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 302
    assert Case.objects.filter(kind=Case.Kind.INTERNAL_REVIEW, reviewed_case=case).exists()


def test_no_internal_review_before_we_have_responded(client, case, token):
    assert "Ask for an internal review" not in track(client, token).content.decode()
    response = client.post(reverse("portal_request_review", args=[token]), {"text": "Please."})
    assert response.status_code == 400
    assert not Case.objects.filter(kind=Case.Kind.INTERNAL_REVIEW).exists()


def test_review_outcome_letter_appears_on_the_original_case_page(
    client, case, token, issued, officer, reviewer, fake_renderer
):
    from responses.models import InternalReviewOutcome, Letter

    review = builders.review_case(case, text="Look again please.")
    outcome_letter = builders.draft_letter(
        review,
        actor=officer,
        kind=Letter.Kind.REVIEW_OUTCOME,
        review_outcome=InternalReviewOutcome.Outcome.UPHELD_IN_PART,
    )
    builders.issued_letter(outcome_letter, officer=officer, reviewer=reviewer)

    body = track(client, token).content.decode()
    assert "Internal review outcome" in body
    assert "Upheld in part" in body
    response = client.get(reverse("portal_letter_pdf", args=[token, outcome_letter.pk]))
    assert response.status_code == 200


def test_an_officer_logs_a_review_request_that_came_by_email(client, case, issued, officer):
    client.force_login(officer)
    url = reverse("log_internal_review", args=[case.pk])
    assert "Log an internal review request" in client.get(f"/cases/{case.pk}/").content.decode()
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    refused = client.post(url, {"text": "Please review Q1.", "received_on": future})
    assert "must be today or in the past" in refused.content.decode()
    assert "Please review Q1." in refused.content.decode()  # nothing typed is lost

    # Dated before the response it would review: refused, saying why.
    before = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    early = client.post(
        url, {"text": "Please review Q1.", "received_on": before, "received_via": "post"}
    )
    assert "before our response" in early.content.decode()
    assert not case.internal_reviews.exists()

    mail.outbox.clear()
    today = timezone.localdate().isoformat()
    response = client.post(
        url, {"text": "Please review Q1.", "received_on": today, "received_via": "post"}
    )
    review = case.internal_reviews.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{review.pk}/"
    assert (review.request_text, review.received_via) == ("Please review Q1.", "post")
    assert review.received_on.isoformat() == today and review.assigned_to == officer
    assert case.events.get(action="internal_review_requested").actor == officer
    assert mail.outbox == []  # the officer logged it: no need to tell them
    again = client.post(url, {"text": "Again", "received_on": today, "received_via": "post"})
    assert "already open" in again.content.decode()
