"""Every staff page refuses people who should not see it; only two pages are public."""

import pytest
from django.urls import URLPattern, reverse

from responses import workflow
from responses.models import Decision, Letter

# Pages anyone may open: the requester's private-link pages and the verification page.
PUBLIC = {
    "portal_case",
    "portal_letter_html",
    "portal_letter_pdf",
    "portal_request_review",
    "verify",
    "login",
    "logout",
}


def named_patterns():
    from responses import urls

    return [p for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name]


@pytest.fixture
def objects(authority, requester, officer):
    case = workflow.open_case(
        actor=officer,
        authority=authority,
        regime=authority.default_regime,
        requester=requester,
        questions=["Q?"],
        request_text="Q?",
    )
    decision = Decision.objects.create(case=case, outcome=Decision.Outcome.NOT_HELD)
    letter = Letter.objects.create(case=case)
    return {"case": case, "decision": decision, "letter": letter}


def url_for(pattern, objects):
    """A URL for the pattern, filled with ids of real objects."""
    route = str(pattern.pattern)
    kwargs = {}
    for name in pattern.pattern.converters:
        if name == "pk":
            if route.startswith("decisions/"):
                kwargs[name] = objects["decision"].pk
            elif route.startswith(("letters/", "review/letters/")):
                kwargs[name] = objects["letter"].pk
            else:
                kwargs[name] = objects["case"].pk
        elif name == "kind":
            kwargs[name] = "clarification" if "clock" in route else "acknowledgement"
        elif name == "event_pk":
            kwargs[name] = 1
        else:
            kwargs[name] = "x"
    return reverse(pattern.name, kwargs=kwargs)


def staff_patterns():
    return [p for p in named_patterns() if p.name not in PUBLIC]


def test_the_staff_pages_are_all_covered():
    assert len(staff_patterns()) > 25


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(client, objects, method):
    for pattern in staff_patterns():
        response = getattr(client, method)(url_for(pattern, objects))
        if method == "get" and response.status_code == 405:
            continue  # a form's target: it takes only POST, and says nothing more
        assert response.status_code == 302, pattern.name
        assert response["Location"].startswith("/sign-in/"), pattern.name


@pytest.mark.parametrize("method", ["get", "post"])
def test_people_without_a_role_are_refused(client, outsider, objects, method):
    client.force_login(outsider)
    for pattern in staff_patterns():
        response = getattr(client, method)(url_for(pattern, objects))
        assert response.status_code in (403, 404, 405), (pattern.name, response.status_code)


def test_reviewers_cannot_change_case_work(client, reviewer, objects):
    """Reviewers read and decide on letters; they never edit requests or drafts."""
    client.force_login(reviewer)
    editing = [
        p
        for p in staff_patterns()
        if p.name
        in {
            "log_request",
            "case_request",
            "clock_event_add",
            "decision_add",
            "decision_edit",
            "decision_delete",
            "letter_create",
            "letter_edit",
            "letter_submit",
            "letter_issue",
            "requester_link",
            "review_outcome",
            "log_internal_review",
            "case_withdraw",
        }
    ]
    assert len(editing) == 14
    letter = objects["letter"]
    for pattern in editing:
        client.post(url_for(pattern, objects), {"reason": "x", "text": "x"})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT and letter.revision == 1
    assert objects["case"].decisions.count() == 1
    assert not objects["case"].events.exclude(action="case_opened").exists()
