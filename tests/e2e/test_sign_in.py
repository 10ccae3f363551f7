"""Signing in and out through the GOV.UK pages, in a real browser."""

import pytest
from playwright.sync_api import expect

from responses.workflow import open_case
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def test_officer_signs_in_sees_the_case_list_and_signs_out(
    page, live_server, officer, authority, requester
):
    case = open_case(
        actor=officer,
        authority=authority,
        regime=authority.default_regime,
        requester=requester,
        request_text="Please send the number of speed cameras in Westshire.",
        subject="Speed cameras",
        assigned_to=officer,
        questions=["How many speed cameras are there?"],
    )

    sign_in(page, live_server, officer)

    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    expect(page.get_by_role("cell", name="Speed cameras")).to_be_visible()
    expect(page.get_by_role("cell", name="Olivia Officer")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    # Signed out means signed out: the case list sends us back to sign in.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/sign-in/?next=/")
    expect(page.get_by_text(case.reference)).to_have_count(0)


def test_a_wrong_password_shows_the_error_summary(page, live_server, officer):
    sign_in(page, live_server, officer, password="not-the-password")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
