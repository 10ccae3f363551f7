"""Safe defaults every page has: sign-in lockout, rate limits, CSP, headers, sessions."""

import base64
import datetime
import hashlib
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.urls import reverse

from responses import snapshots, tokens
from responses.rendering.html import screen_stylesheet
from responses.views.ratelimit import client_ip
from tests import builders
from tests.conftest import PASSWORD, SigningInClient

pytest_plugins = ["tests.review_fixtures"]

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


# Sign-in lockout


def test_wrong_passwords_lock_the_username_out_and_say_when_to_try_again(client, officer):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = sign_in(client, officer.username, "wrong")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()

    locked = sign_in(client, officer.username, "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "You cannot sign in at the moment" in page
    assert "You can try again after" in page
    assert 'class="govuk-header"' in page  # the GOV.UK page, not axes' plain text

    # Even the right password is refused until the cool-off has passed...
    assert sign_in(client, officer.username, PASSWORD).status_code == 429
    # ...and then it works again.
    later = datetime.datetime.now(datetime.UTC) + settings.AXES_COOLOFF_TIME
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        assert sign_in(client, officer.username, PASSWORD).status_code == 302


def test_the_lockout_page_names_the_time_the_cool_off_ends(client, officer):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 14, 0, tzinfo=datetime.UTC)):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = sign_in(client, officer.username, "wrong")
    # 14:00 GMT plus the default 15 minutes.
    assert "2:15pm on 2 March 2026" in response.content.decode()


def test_a_lockout_holds_for_that_username_from_that_address_only(client, officer, reviewer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, officer.username, "wrong", address="10.0.0.1")
    assert sign_in(client, officer.username, PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert sign_in(client, reviewer.username, PASSWORD, address="10.0.0.1").status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, officer.username, "wrong")
    assert sign_in(client, officer.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, officer.username, "wrong")
    assert sign_in(client, officer.username, PASSWORD).status_code == 302


def test_the_admin_sign_in_is_locked_out_too(client, administrator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("admin:login"),
            {"username": administrator.username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
        )
    assert response.status_code == 429
    assert "You cannot sign in at the moment" in response.content.decode()


# Rate limits on the public forms


@pytest.fixture
def tight_limits(settings):
    settings.RATE_LIMITS = {"verify": (2, 3600), "review_request": (1, 3600)}


def check_fingerprint(client, address="10.0.0.1"):
    return client.post(reverse("verify"), {"sha256": "0" * 64}, REMOTE_ADDR=address)


def test_verify_refuses_too_many_checks_from_one_address(client, db, tight_limits):
    assert check_fingerprint(client).status_code == 200
    assert check_fingerprint(client).status_code == 200
    refused = check_fingerprint(client)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Too many attempts" in page
    assert "You can try again after" in page
    assert 'class="govuk-header"' in page
    # Reading the form is never limited, and another address has its own count.
    assert client.get(reverse("verify"), REMOTE_ADDR="10.0.0.1").status_code == 200
    assert check_fingerprint(client, address="10.0.0.2").status_code == 200


def test_the_verify_limit_resets_with_the_next_window(client, db, tight_limits):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 14, 0, tzinfo=datetime.UTC)):
        for _ in range(2):
            check_fingerprint(client)
        assert check_fingerprint(client).status_code == 429
    with time_machine.travel(datetime.datetime(2026, 3, 2, 15, 0, 1, tzinfo=datetime.UTC)):
        assert check_fingerprint(client).status_code == 200


def test_review_requests_are_limited_and_the_refusal_keeps_what_was_written(
    client, case, tight_limits
):
    token = tokens.issue_link(case)[1]
    url = reverse("portal_request_review", args=[token])
    client.post(url, {"text": "First try."}, REMOTE_ADDR="10.0.0.1")
    refused = client.post(
        url, {"text": "Please look again at <my> question."}, REMOTE_ADDR="10.0.0.1"
    )
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many attempts" in page
    assert "Please look again at &lt;my&gt; question." in page
    assert case.internal_reviews.count() == 0


def test_behind_trusted_proxies_the_address_is_the_one_our_proxy_saw(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.5"  # not the one the client wrote itself
    settings.TRUSTED_PROXY_COUNT = 3  # fewer entries than proxies: not to be trusted
    assert client_ip(request) == "10.0.0.9"


# Headers on every page


@pytest.fixture
def pages(client, case, officer):
    """A staff page, a requester's page and a public page."""
    token = tokens.issue_link(case)[1]
    staff = client_for(officer).get(reverse("case_detail", args=[case.pk]))
    requester = client.get(reverse("portal_case", args=[token]))
    public = client.get(reverse("verify"))
    return {"staff": staff, "requester": requester, "public": public}


def client_for(user):
    client = SigningInClient()
    client.force_login(user)
    return client


def directives(response):
    policy = response["Content-Security-Policy"]
    return dict((part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip())


@pytest.mark.parametrize("page", ["staff", "requester", "public"])
def test_every_page_has_a_policy_that_runs_no_inline_script(pages, page):
    response = pages[page]
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("page", ["staff", "requester", "public"])
def test_every_page_switches_off_browser_features_and_is_not_stored(pages, page):
    response = pages[page]
    features = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in features
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_static_files_keep_their_caching_and_need_no_policy(client, db):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_frozen_letter_keeps_its_own_locked_down_policy(
    client, case, letter, officer, reviewer, fake_renderer
):
    issued = builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    token = tokens.issue_link(case)[1]
    response = client.get(reverse("portal_letter_html", args=[token, issued.version.letter_id]))
    assert response["Content-Security-Policy"] == snapshots.FROZEN_LETTER_CSP
    assert "Permissions-Policy" in response


def test_the_editor_allows_the_letter_stylesheet_in_its_preview_and_nothing_else(letter, officer):
    """The srcdoc preview frame runs under the editor page's policy."""
    response = client_for(officer).get(reverse("letter_edit", args=[letter.pk]))
    digest = base64.b64encode(hashlib.sha256(screen_stylesheet().encode()).digest()).decode()
    style_src = directives(response)["style-src"]
    assert style_src == ["'self'", f"'sha256-{digest}'"]
    assert "'unsafe-inline'" not in directives(response)["script-src"]


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\b(?:src|nonce)=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def site_templates():
    # Letters are documents of their own (the PDF, and frames with their own policy).
    return [
        path
        for path in TEMPLATES_DIR.rglob("*.html")
        if TEMPLATES_DIR / "letters" not in path.parents
    ]


def test_no_template_has_an_inline_script_handler_or_style():
    offenders = []
    for path in site_templates():
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, INLINE_STYLE, re.compile("javascript:")):
            offenders += [
                f"{path.relative_to(TEMPLATES_DIR)}: {m.group(0)}" for m in pattern.finditer(text)
            ]
    assert site_templates()
    assert offenders == []


def test_the_template_scan_catches_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">')
    assert not INLINE_SCRIPT.search('<script src="/static/js/init.js"></script>')
    assert not INLINE_SCRIPT.search('<script nonce="{{ request.csp_nonce }}">')
    assert EVENT_HANDLER.search('<button onclick="go()">')
    assert not EVENT_HANDLER.search('<a class="govuk-link" href="/">')


# Sessions


def test_a_staff_session_ends_after_a_working_day_without_a_request(case, officer):
    page = reverse("case_detail", args=[case.pk])
    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client = client_for(officer)
        assert client.get(page).status_code == 200
    # Each request starts the clock again: 8 hours apart, the session lives on...
    with time_machine.travel(start + datetime.timedelta(hours=8), tick=False):
        assert client.get(page).status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=16), tick=False):
        assert client.get(page).status_code == 200
    # ...but after more than nine idle hours it has ended.
    with time_machine.travel(start + datetime.timedelta(hours=25, minutes=1), tick=False):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# Files


def test_uploads_are_readable_by_their_owner_only(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    name = default_storage.save("logos/new/logo.png", ContentFile(b"png"))
    path = Path(default_storage.path(name))
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
