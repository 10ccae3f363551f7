"""Who may open each page: one table, every URL name in every URLconf x every persona.

A new URL name without a row here fails the suite, saying to add one.

Each row gives the exact status a GET gets for each persona, and for a POST where the
persona is refused (a POST that is allowed would do the work, so it is left to the page's
own tests and marked ``DOES``). Personas: anonymous; an outsider (signed in, no role); an
officer; a reviewer; an administrator (not a superuser); a superuser; the requester (no
account, but holding the link to their case: the requester's pages are opened with it,
and it opens nothing else); and another requester, holding a valid link to another case,
who gets on this case's pages exactly what an unknown link gets.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from responses import clock_events, tokens, workflow
from responses.models import CaseEvent, ClockEvent, Letter
from tests import builders

pytest_plugins = ["tests.review_fixtures"]

PERSONAS = (
    "anonymous",
    "outsider",
    "officer",
    "reviewer",
    "administrator",
    "superuser",
    "requester",
    "other_requester",
)

SIGN_IN = "302 to the sign-in page"
ADMIN_SIGN_IN = "302 to the admin's sign-in page"
REDIRECT = "302 elsewhere"
DOES = "allowed: the POST does the work (see the page's own tests)"
# The workflow refuses and the page redirects back saying why (nothing changes: see
# test_refused_posts_change_nothing). Other refusals are a 403.
REFUSED_BY_WORKFLOW = "302 to a page that shows the workflow's refusal"
OK, REFUSED, NOT_FOUND, GET_NOT_ALLOWED, POST_ONLY = 200, 403, 404, 405, 405
# Another case's link opens that case: its page, showing nothing of the swept case (its
# internal review form refuses there with a 400: that case is not answered yet).
OWN_CASE = "200: their own case's page, nothing of this case"
OWN_CASE_REFUSED = "400: their own case's page saying why not, nothing of this case"


@dataclass(frozen=True)
class Rule:
    """What fills the URL, and the status per persona (in PERSONAS order)."""

    target: str  # a key of the `world` fixture: whose pk goes into the URL
    get: tuple
    post: tuple
    kind: str = ""


# The requesters' columns of a staff page: someone with only a link is not signed in.
STAFF_ONLY = (SIGN_IN, REFUSED, OK, OK, OK, OK, SIGN_IN, SIGN_IN)
REFUSE_POST = (SIGN_IN, REFUSED, DOES, DOES, DOES, DOES, SIGN_IN, SIGN_IN)
EDITORS_ONLY = (SIGN_IN, REFUSED, OK, REFUSED, OK, OK, SIGN_IN, SIGN_IN)
EDITORS_POST = (SIGN_IN, REFUSED, DOES, REFUSED, DOES, DOES, SIGN_IN, SIGN_IN)
GET_ONLY_PAGE = (SIGN_IN, REFUSED, *(GET_NOT_ALLOWED,) * 4, SIGN_IN, SIGN_IN)
# The requester's pages: only their link opens them. An unknown link, and another case's
# link, are both simply not found.
LINK_ONLY = (NOT_FOUND,) * 6 + (OK, NOT_FOUND)
# Form targets that take only POST, checked before sign-in: a GET says nothing more.
POST_FIRST = (POST_ONLY,) * 8

RULES = {
    # Signing in and out
    "login": Rule(
        "none", (OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, OK, OK), (DOES,) * 8
    ),
    "logout": Rule("none", POST_FIRST, (DOES,) * 8),
    # Cases and the work list
    "home": Rule("none", STAFF_ONLY, REFUSE_POST),
    # Each person's own email settings.
    "notification_settings": Rule("none", STAFF_ONLY, REFUSE_POST),
    "work_list": Rule("none", STAFF_ONLY, REFUSE_POST),
    "log_request": Rule("none", EDITORS_ONLY, EDITORS_POST),
    "case_detail": Rule("case", STAFF_ONLY, REFUSE_POST),
    "case_request": Rule("case", EDITORS_ONLY, EDITORS_POST),
    "case_history": Rule("case", STAFF_ONLY, REFUSE_POST),
    "clock_event_add": Rule("case", EDITORS_ONLY, EDITORS_POST, kind="clarification"),
    "clock_event_undo": Rule("case", EDITORS_ONLY, EDITORS_POST),
    # Decisions and drafting
    "case_drafting": Rule("case", STAFF_ONLY, REFUSE_POST),
    "decision_add": Rule("case", EDITORS_ONLY, EDITORS_POST),
    "decision_edit": Rule("decision", EDITORS_ONLY, EDITORS_POST),
    "decision_precedents": Rule("decision", EDITORS_ONLY, GET_ONLY_PAGE),
    "new_decision_precedents": Rule("case", EDITORS_ONLY, GET_ONLY_PAGE),
    "decision_delete": Rule("decision", EDITORS_ONLY, EDITORS_POST),
    "letter_create": Rule(
        "case",
        (SIGN_IN, REFUSED, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, SIGN_IN, SIGN_IN),
        EDITORS_POST,
        kind="acknowledgement",
    ),
    "letter_edit": Rule("draft", STAFF_ONLY, EDITORS_POST),
    "letter_preview": Rule("draft", STAFF_ONLY, EDITORS_POST),
    "letter_pdf": Rule("draft", STAFF_ONLY, REFUSE_POST),
    "review_outcome": Rule("outcome", STAFF_ONLY, EDITORS_POST),
    # Enclosures: staff see them (and their files); officers add, change and remove them.
    "letter_enclosures": Rule("draft", STAFF_ONLY, EDITORS_POST),
    "enclosure_edit": Rule("enclosure", EDITORS_ONLY, EDITORS_POST),
    "enclosure_delete": Rule("enclosure", POST_FIRST, EDITORS_POST),
    "enclosure_file": Rule("enclosure", STAFF_ONLY, REFUSE_POST),
    "frozen_enclosure_file": Rule("frozen_enclosure", STAFF_ONLY, REFUSE_POST),
    # Review, issue and corrections
    "review_queue": Rule(
        "none",
        # A superuser holds every role, the reviewer's included.
        (SIGN_IN, REFUSED, REFUSED, OK, REFUSED, OK, SIGN_IN, SIGN_IN),
        (SIGN_IN, REFUSED, REFUSED, DOES, REFUSED, DOES, SIGN_IN, SIGN_IN),
    ),
    "review_letter": Rule("submitted", STAFF_ONLY, REFUSE_POST),
    "review_letter_frame": Rule("submitted", STAFF_ONLY, REFUSE_POST),
    "review_comment": Rule("submitted", POST_FIRST, REFUSE_POST),
    "review_approve": Rule("submitted", POST_FIRST, REFUSE_POST),
    "review_return": Rule("submitted", POST_FIRST, REFUSE_POST),
    "review_reveal": Rule("submitted", POST_FIRST, REFUSE_POST),
    "letter_submit": Rule("draft", EDITORS_ONLY, EDITORS_POST),
    "letter_issue": Rule("issued", STAFF_ONLY, EDITORS_POST),
    "letter_issued_pdf": Rule("issued", STAFF_ONLY, REFUSE_POST),
    # Keeping a waiting entry out of the disclosure log (this one is published: the page
    # says so, and a POST is refused by the workflow on the page itself).
    "publication_decline": Rule("issued", EDITORS_ONLY, EDITORS_POST),
    "letter_reopen": Rule(
        "approved",
        POST_FIRST,
        (SIGN_IN, REFUSED, DOES, REFUSED_BY_WORKFLOW, DOES, DOES, SIGN_IN, SIGN_IN),
    ),
    "letter_correct": Rule(
        "issued",
        POST_FIRST,
        (SIGN_IN, REFUSED, DOES, REFUSED_BY_WORKFLOW, DOES, DOES, SIGN_IN, SIGN_IN),
    ),
    "requester_link": Rule("case", STAFF_ONLY, EDITORS_POST),
    "case_withdraw": Rule("case", EDITORS_ONLY, EDITORS_POST),
    # Statistics: staff see them; the public copies are open to everyone
    "statistics": Rule("none", STAFF_ONLY, REFUSE_POST),
    "statistics_csv": Rule("none", STAFF_ONLY, REFUSE_POST),
    "public_statistics": Rule("none", (OK,) * 8, POST_FIRST),
    "public_statistics_csv": Rule("none", (OK,) * 8, POST_FIRST),
    "case_close": Rule("case", EDITORS_ONLY, EDITORS_POST),
    "case_reopen": Rule("case", EDITORS_ONLY, EDITORS_POST),
    "case_regime": Rule("case", EDITORS_ONLY, EDITORS_POST),
    "decision_notice_add": Rule("responded", EDITORS_ONLY, EDITORS_POST),
    "log_internal_review": Rule("responded", EDITORS_ONLY, EDITORS_POST),
    # The requester's pages
    # The token alone names the case: another case's link reaches only that case.
    "portal_case": Rule("issued", LINK_ONLY[:-1] + (OWN_CASE,), LINK_ONLY[:-1] + (OWN_CASE,)),
    "portal_letter_html": Rule("issued", LINK_ONLY, LINK_ONLY),
    "portal_letter_pdf": Rule("issued", LINK_ONLY, LINK_ONLY),
    "portal_enclosure": Rule("issued", LINK_ONLY, LINK_ONLY),
    "portal_request_review": Rule(
        "issued", POST_FIRST, (NOT_FOUND,) * 6 + (DOES, OWN_CASE_REFUSED)
    ),
    # Anyone may check a PDF against the letters we issued.
    "verify": Rule("none", (OK,) * 8, (DOES,) * 8),
    "health": Rule("none", (OK,) * 8, POST_FIRST),
    # The disclosure log: public, no sign-in; only administrators withdraw or republish.
    "disclosure_log": Rule("none", (OK,) * 8, POST_FIRST),
    "disclosure_log_feed": Rule("none", (OK,) * 8, POST_FIRST),
    "disclosure_log_entry": Rule("publication", (OK,) * 8, POST_FIRST),
    "disclosure_log_pdf": Rule("publication", (OK,) * 8, POST_FIRST),
    "disclosure_log_enclosure": Rule("publication", (OK,) * 8, POST_FIRST),
    "api_disclosure_log": Rule("none", (OK,) * 8, POST_FIRST),
    "api_disclosure_log_entry": Rule("publication", (OK,) * 8, POST_FIRST),
    "disclosure_log_withdraw": Rule(
        "publication",
        POST_FIRST,
        (SIGN_IN, REFUSED, REFUSED, REFUSED, DOES, DOES, SIGN_IN, SIGN_IN),
    ),
    "disclosure_log_republish": Rule(
        "publication",
        POST_FIRST,
        (SIGN_IN, REFUSED, REFUSED, REFUSED, DOES, DOES, SIGN_IN, SIGN_IN),
    ),
    # The exemption library
    "exemptions:library": Rule("none", STAFF_ONLY, REFUSE_POST),
    "exemptions:clause": Rule("clause", STAFF_ONLY, REFUSE_POST),
    # Django's admin: only its front door is swept here (its pages are tested in test_admin).
    "admin:index": Rule(
        "none",
        (ADMIN_SIGN_IN,) * 4 + (OK, OK, ADMIN_SIGN_IN, ADMIN_SIGN_IN),
        (ADMIN_SIGN_IN,) * 4 + (DOES, DOES, ADMIN_SIGN_IN, ADMIN_SIGN_IN),
    ),
}
# Whole URLconfs handled by one row above, with the reason.
COVERED_ELSEWHERE = {"admin": "Django's admin: staff only; its front door is admin:index"}


def url_names(resolver=None, namespace=""):
    """{name: pattern} for every named URL in every URLconf, namespaced like reverse()."""
    names = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names.update(url_names(pattern, inner))
        elif isinstance(pattern, URLPattern) and pattern.name:
            names[namespace + pattern.name] = pattern
    return names


def swept_names():
    return {
        name for name in url_names() if name.split(":")[0] not in COVERED_ELSEWHERE or name in RULES
    }


def test_every_url_name_has_a_rule():
    missing = sorted(swept_names() - set(RULES))
    assert not missing, (
        f"No permission rule for {missing}: add a row to RULES in tests/test_permissions.py "
        "saying who may open it."
    )
    assert not set(RULES) - set(url_names()), "RULES names a URL that no longer exists"


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-123")


@pytest.fixture
def world(catalogue, authority, requester, officer, reviewer, fake_renderer):
    """One of everything a URL can point at, made through the real services."""
    people = dict(actor=officer, authority=authority, requester=requester)
    issued = builders.response_letter(**people)
    builders.enclose(issued, actor=officer)
    builders.issued_letter(issued, officer=officer, reviewer=reviewer)
    review = builders.review_case(issued.case)
    outcome = builders.draft_letter(review, actor=officer, kind=Letter.Kind.REVIEW_OUTCOME)
    submitted = builders.response_letter(**people)
    builders.submit(submitted, actor=officer)
    approved = builders.approve(
        builders.response_letter(**people), officer=officer, reviewer=reviewer
    )
    draft = builders.response_letter(**people)
    enclosure = builders.enclose(draft, actor=officer)
    other_case = builders.open_case(**people)
    event = clock_events.start_event(
        draft.case,
        actor=officer,
        kind=ClockEvent.Kind.CLARIFICATION,
        starts_on=timezone.localdate(),
        reason="Which drones?",
    )
    return {
        "case": draft.case,
        "decision": draft.case.decisions.get(),
        "draft": draft,
        "submitted": submitted,
        "approved": approved,
        "issued": issued,
        "responded": issued.case,
        "outcome": outcome,
        "event": event,
        "clause": "letter-acknowledgement",
        "token": tokens.issue_link(issued.case)[1],
        "publication": issued.publication,
        "enclosure": enclosure,
        "frozen_enclosure": workflow.latest_version(issued).enclosures.get(),
        # The other requester's own case, with a link that works for it.
        "other_token": tokens.issue_link(other_case)[1],
        "other_case": other_case,
    }


def url_for(name, rule, world, persona):
    kwargs = {}
    for converter in url_names()[name].pattern.converters:
        if converter == "pk":
            kwargs["pk"] = world[rule.target].pk
        elif converter in ("kind",):
            kwargs["kind"] = rule.kind
        elif converter == "event_pk":
            kwargs["event_pk"] = world["event"].pk
        elif converter == "code":
            kwargs["code"] = world["clause"]
        elif converter == "enclosure_pk":
            kwargs["enclosure_pk"] = world["frozen_enclosure"].pk
        elif converter == "annex":
            kwargs["annex"] = world["frozen_enclosure"].annex
        elif converter == "letter_pk":
            kwargs["letter_pk"] = world[rule.target].pk
        elif converter == "slug":
            kwargs["slug"] = world[rule.target].slug
        elif converter == "token":
            kwargs["token"] = world["token"] if persona == "requester" else "not-a-real-link"
            if persona == "other_requester":
                kwargs["token"] = world["other_token"]
        else:
            raise AssertionError(f"{name}: say what fills <{converter}> in url_for")
    return reverse(name, kwargs=kwargs)


POSTED = {"reason": "x", "text": "x", "comment": "x"}


def outcome(response, world=None):
    """The response as the table writes it."""
    is_page = response.get("Content-Type", "").startswith("text/html")
    if world is not None and response.status_code in (200, 400) and is_page:
        body = response.content.decode()
        other, swept = world["other_case"].reference, world["issued"].case.reference
        if other in body and swept not in body:
            return OWN_CASE if response.status_code == 200 else OWN_CASE_REFUSED
    if (
        getattr(response, "redirect_chain", None)
        and "Only an officer can" in response.content.decode()
    ):
        return REFUSED_BY_WORKFLOW
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/sign-in/"):
            return SIGN_IN
        if location.startswith("/admin/login/"):
            return ADMIN_SIGN_IN
        return REDIRECT
    return response.status_code


def test_every_persona_gets_exactly_what_the_table_says(client, world, request, settings):
    """One sweep over one set of objects: every request made here is a GET or a refusal."""
    # Eight personas post from one address: the per-address limits are tested on their own.
    settings.RATE_LIMITS = {scope: (10_000, 3600) for scope in settings.RATE_LIMITS}
    letters = [world[key].pk for key in ("draft", "submitted", "approved", "issued", "outcome")]

    def states():
        return list(Letter.objects.filter(pk__in=letters).values_list("pk", "status", "revision"))

    before = states()
    events_before = CaseEvent.objects.exclude(action=CaseEvent.Action.PDF_DOWNLOADED).count()
    wrong = []
    for index, persona in enumerate(PERSONAS):
        client.logout()
        if persona in ("requester", "other_requester"):
            own = world["token" if persona == "requester" else "other_token"]
            assert client.get(reverse("portal_case", args=[own])).status_code == 200
        elif persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        for name, rule in RULES.items():
            url = url_for(name, rule, world, persona)
            judge = world if persona == "other_requester" else None
            got = outcome(client.get(url), judge)
            if got != rule.get[index]:
                wrong.append(f"{persona} GET {name} ({url}): {got}, expected {rule.get[index]}")
            if rule.post[index] != DOES:
                follow = rule.post[index] == REFUSED_BY_WORKFLOW
                got = outcome(client.post(url, POSTED, follow=follow), judge)
                if got != rule.post[index]:
                    wrong.append(
                        f"{persona} POST {name} ({url}): {got}, expected {rule.post[index]}"
                    )
    assert not wrong, "\n".join(wrong)
    # Nothing refused was kept.
    assert states() == before
    assert world["case"].decisions.count() == 1
    assert not Letter.objects.filter(corrects__isnull=False).exists()
    assert (
        CaseEvent.objects.exclude(action=CaseEvent.Action.PDF_DOWNLOADED).count() == events_before
    )
