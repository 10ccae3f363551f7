"""Every form with a mistake opens with the GOV.UK error summary, each message a link to
the field it is about (on the same page), so nobody has to hunt for what went wrong."""

import re

import pytest
from django.urls import reverse

from tests.builders import decide, open_case


@pytest.fixture
def case(catalogue, authority, requester, officer):
    return open_case(actor=officer, authority=authority, requester=requester)


def summary_links(html):
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary on the page"
    summary = match.group(0)
    assert html.count('class="govuk-error-summary"') == 1, "two error summaries"
    # It comes before the page's heading, as GOV.UK asks.
    assert html.index('class="govuk-error-summary"') < html.index("<h1")
    return re.findall(r'<a href="#([^"]+)">', summary), summary


def assert_links_reach_fields(html, expected_fields):
    anchors, summary = summary_links(html)
    for field in expected_fields:
        assert any(anchor.startswith(f"id_{field}") for anchor in anchors), (field, summary)
    for anchor in anchors:
        assert f'id="{anchor}"' in html, f"the summary links to #{anchor}, which is not on the page"


@pytest.mark.parametrize(
    "url_name, data, fields",
    [
        ("log_request", {"subject": ""}, ["requester_name", "subject", "request_text"]),
        ("decision_add", {"action": "save"}, ["questions", "outcome"]),
        ("clock_event_add", {"reason": ""}, ["reason"]),
        ("case_withdraw", {"reason": ""}, ["reason"]),
    ],
)
def test_a_form_with_mistakes_starts_with_a_linked_error_summary(
    client, officer, case, url_name, data, fields
):
    client.force_login(officer)
    args = {
        "log_request": [],
        "decision_add": [case.pk],
        "clock_event_add": [case.pk, "clarification"],
        "case_withdraw": [case.pk],
    }[url_name]
    response = client.post(reverse(url_name, args=args), data)
    assert response.status_code == 200
    assert_links_reach_fields(response.content.decode(), fields)


def test_an_error_about_the_whole_form_links_to_its_first_field(client, officer, case):
    client.force_login(officer)
    decision_url = reverse("decision_add", args=[case.pk])
    question = case.questions.get()
    response = client.post(
        decision_url, {"action": "save", "questions": [question.pk], "outcome": "ncnd"}
    )
    anchors, summary = summary_links(response.content.decode())
    assert "Select the exemptions relied on to neither confirm nor deny" in summary
    assert anchors == ["id_ncnd_exemptions_1"]


# ----------------------------------------------------------------- a shorter decision form


def details(html, css_id):
    match = re.search(rf'<details class="govuk-details" id="{css_id}"( open)?>', html)
    assert match, f"no folded part #{css_id}"
    return bool(match.group(1))


def test_the_decision_form_folds_away_what_most_decisions_do_not_need(client, officer, case):
    client.force_login(officer)
    html = client.get(reverse("decision_add", args=[case.pk])).content.decode()
    assert not details(html, "ncnd-exemptions")
    assert not details(html, "withhold-exemptions")
    assert not details(html, "cost-estimate")


def test_a_folded_part_opens_when_it_needs_correcting(client, officer, case):
    client.force_login(officer)
    question = case.questions.get()
    response = client.post(
        reverse("decision_add", args=[case.pk]),
        {"action": "save", "questions": [question.pk], "outcome": "ncnd"},
    )
    html = response.content.decode()
    assert details(html, "ncnd-exemptions")  # the error is there
    assert not details(html, "withhold-exemptions")


def test_a_folded_part_with_a_value_starts_open(client, officer, case):
    decision = decide(case, actor=officer, outcome="ncnd", citations=[("24", "ncnd")])
    client.force_login(officer)
    html = client.get(reverse("decision_edit", args=[decision.pk])).content.decode()
    assert details(html, "ncnd-exemptions")
    assert not details(html, "cost-estimate")
