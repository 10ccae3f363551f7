"""Logging a request and turning it into numbered questions, through the browser's eyes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exemptions.models import Regime
from responses.models import Case, CaseEvent, Decision, Question
from tests.conftest import PASSWORD, linked_styles

REQUEST_TEXT = """Dear Sir or Madam,

Please provide the following information from 1 January 2022 to the date of this request.

Q1. Does the force use facial recognition technology?
Q2. Please name the suppliers of that technology.
Q3. Has the force shared image-based intelligence with:
(a) the Home Office
(b) any foreign state

If you must prioritise, please answer Q2 and Q3.

Yours faithfully,
Rowan"""


def log_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def intake_data(**overrides):
    today = timezone.localdate()
    data = {
        "requester_name": "Rowan Requester",
        "requester_email": "rowan@example.com",
        "requester_address": "",
        "received_on_0": str(today.day),
        "received_on_1": str(today.month),
        "received_on_2": str(today.year),
        "received_via": "email",
        "subject": "Facial recognition",
        "regime": Regime.objects.get(code=Regime.FOIA).pk,
        "request_text": REQUEST_TEXT,
    }
    data.update(overrides)
    return data


def editor_data(case, questions, *, revision=None, action="save", selected=(), delete=(), **fields):
    """What the request editor posts: the details and one row per (question_id, text)."""
    data = {
        "revision": case.revision if revision is None else revision,
        "subject": fields.get("subject", case.subject),
        "scope": fields.get("scope", case.scope),
        "prioritisation_note": fields.get("prioritisation_note", case.prioritisation_note),
        "searches": fields.get("searches", case.searches),
        "action": action,
        "questions-TOTAL_FORMS": len(questions),
        "questions-INITIAL_FORMS": len(questions),
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    for index, (question_id, text) in enumerate(questions):
        data[f"questions-{index}-question_id"] = question_id or ""
        data[f"questions-{index}-text"] = text
        if index in selected:
            data[f"questions-{index}-selected"] = "on"
        if index in delete:
            data[f"questions-{index}-DELETE"] = "on"
    return data


def shown_questions(response):
    """The question texts the editor shows, in order."""
    return [form["text"].value() for form in response.context["formset"].forms]


@pytest.fixture
def officer_client(client, officer, authority):
    return log_in(client, officer)


@pytest.fixture
def logged_case(officer_client):
    response = officer_client.post(reverse("log_request"), intake_data())
    assert response.status_code == 302
    return Case.objects.get()


@pytest.fixture
def confirmed_case(officer_client, logged_case):
    """A case whose three proposed questions the officer accepted."""
    response = officer_client.get(reverse("case_request", args=[logged_case.pk]))
    questions = [(None, text) for text in shown_questions(response)]
    details = response.context["details"].initial
    officer_client.post(
        reverse("case_request", args=[logged_case.pk]),
        editor_data(
            logged_case,
            questions,
            scope=details["scope"],
            prioritisation_note=details["prioritisation_note"],
        ),
    )
    logged_case.refresh_from_db()
    return logged_case


# --- logging a request -----------------------------------------------------------------


def test_officer_logs_a_request_and_is_taken_to_check_its_questions(
    officer_client, officer, authority
):
    page = officer_client.get(reverse("log_request"))
    assert page.status_code == 200
    assert "Log a request" in page.content.decode()
    # Date received defaults to today, the regime to the authority's.
    today = timezone.localdate()
    assert page.context["form"]["received_on"].value() == today
    assert page.context["form"]["regime"].value() == authority.default_regime_id

    response = officer_client.post(reverse("log_request"), intake_data())

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("case_request", args=[case.pk])
    assert case.reference.startswith(f"FOI/{today.year}/")
    assert case.assigned_to == officer
    assert case.requester.name == "Rowan Requester"
    assert case.requester.email == "rowan@example.com"
    assert case.regime == authority.default_regime
    assert case.request_text == REQUEST_TEXT
    assert case.subject == "Facial recognition"
    # Questions are only saved once the officer accepts them.
    assert not case.questions.exists()
    event = CaseEvent.objects.get(case=case)
    assert (event.action, event.actor) == ("case_opened", officer)


def test_proposed_questions_scope_and_note_are_shown_for_checking(officer_client, logged_case):
    response = officer_client.get(reverse("case_request", args=[logged_case.pk]))

    assert response.status_code == 200
    assert "Check the questions" in response.content.decode()
    assert shown_questions(response) == [
        "Does the force use facial recognition technology?",
        "Please name the suppliers of that technology.",
        "Has the force shared image-based intelligence with:\n(a) the Home Office\n"
        "(b) any foreign state",
    ]
    details = response.context["details"].initial
    assert "from 1 January 2022 to the date of this request" in details["scope"]
    assert details["prioritisation_note"] == "If you must prioritise, please answer Q2 and Q3."


def test_accepting_the_proposals_saves_numbered_questions_and_audits_it(
    officer_client, officer, confirmed_case
):
    assert list(confirmed_case.questions.values_list("number", "text")) == [
        (1, "Does the force use facial recognition technology?"),
        (2, "Please name the suppliers of that technology."),
        (
            3,
            "Has the force shared image-based intelligence with:\n(a) the Home Office\n"
            "(b) any foreign state",
        ),
    ]
    assert "1 January 2022" in confirmed_case.scope
    assert confirmed_case.prioritisation_note.startswith("If you must prioritise")
    assert confirmed_case.revision == 2
    event = confirmed_case.events.get(action="questions_confirmed")
    assert event.actor == officer
    assert len(event.details["questions"]["after"]) == 3
    assert event.details["fields"]["scope"]["before"] == ""

    page = officer_client.get(reverse("case_detail", args=[confirmed_case.pk]))
    assert "Please name the suppliers of that technology." in page.content.decode()


def test_postal_address_alone_is_enough_contact(officer_client):
    response = officer_client.post(
        reverse("log_request"),
        intake_data(requester_email="", requester_address="2 Some Street\nTown"),
    )
    assert response.status_code == 302
    assert Case.objects.get().requester.postal_address == "2 Some Street\nTown"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"requester_email": "", "requester_address": "  "},
            "Enter the requester&#x27;s email address or postal address",
        ),
        ({"requester_name": ""}, "Enter the requester&#x27;s name"),
        ({"requester_email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"request_text": ""}, "Paste the text of the request"),
        (
            {"received_on_0": "31", "received_on_1": "2", "received_on_2": "2025"},
            "Date received must be a real date",
        ),
        (
            {"received_on_0": "", "received_on_1": "", "received_on_2": ""},
            "Enter the day, month and year",
        ),
    ],
)
def test_bad_input_is_explained_and_nothing_typed_is_lost(officer_client, overrides, message):
    data = intake_data(subject="Drones <b>and</b> cameras", **overrides)
    response = officer_client.post(reverse("log_request"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert "govuk-error-summary" in html
    # Shown twice: in the summary and beside the field.
    assert html.count(message) >= 2
    assert "Error: Log a request" in html
    # What was typed comes back, escaped.
    assert "Drones &lt;b&gt;and&lt;/b&gt; cameras" in html
    if data["request_text"]:
        assert "Q2. Please name the suppliers of that technology." in html


def test_date_received_cannot_be_in_the_future(officer_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = officer_client.post(
        reverse("log_request"),
        intake_data(
            received_on_0=str(tomorrow.day),
            received_on_1=str(tomorrow.month),
            received_on_2=str(tomorrow.year),
        ),
    )
    assert response.status_code == 200
    assert "The date received must be today or in the past" in response.content.decode()
    assert not Case.objects.exists()


# --- editing the questions ---------------------------------------------------------------


def questions_of(case):
    return list(case.questions.values_list("pk", "text"))


def test_add_then_save_appends_a_question(officer_client, confirmed_case):
    url = reverse("case_request", args=[confirmed_case.pk])
    rows = questions_of(confirmed_case)

    added = officer_client.post(url, editor_data(confirmed_case, rows, action="add"))
    assert added.status_code == 200
    assert shown_questions(added) == [text for _, text in rows] + [""]
    # Nothing saved yet.
    assert confirmed_case.questions.count() == 3

    response = officer_client.post(
        url, editor_data(confirmed_case, [*rows, (None, "Q4 typed by the officer?")])
    )
    assert response.status_code == 302
    assert list(confirmed_case.questions.values_list("number", "text"))[-1] == (
        4,
        "Q4 typed by the officer?",
    )


def test_blank_added_question_is_an_error_that_keeps_the_other_edits(
    officer_client, confirmed_case
):
    url = reverse("case_request", args=[confirmed_case.pk])
    rows = questions_of(confirmed_case)
    rows[0] = (rows[0][0], "Edited first question")

    response = officer_client.post(url, editor_data(confirmed_case, [*rows, (None, "  ")]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the text of question 4, or remove it" in html
    assert "govuk-error-summary" in html
    assert shown_questions(response)[0] == "Edited first question"
    assert confirmed_case.questions.get(number=1).text != "Edited first question"


def test_merge_two_selected_questions(officer_client, confirmed_case):
    url = reverse("case_request", args=[confirmed_case.pk])
    rows = questions_of(confirmed_case)

    merged = officer_client.post(
        url, editor_data(confirmed_case, rows, action="merge", selected=(0, 1))
    )
    assert shown_questions(merged) == [
        "Does the force use facial recognition technology?\n"
        "Please name the suppliers of that technology.",
        rows[2][1],
    ]

    first_id = rows[0][0]
    officer_client.post(
        url, editor_data(confirmed_case, [(first_id, shown_questions(merged)[0]), rows[2]])
    )
    assert list(confirmed_case.questions.values_list("pk", "number")) == [
        (first_id, 1),
        (rows[2][0], 2),
    ]


def test_merge_needs_two_selected_questions(officer_client, confirmed_case):
    url = reverse("case_request", args=[confirmed_case.pk])
    response = officer_client.post(
        url,
        editor_data(confirmed_case, questions_of(confirmed_case), action="merge", selected=(1,)),
    )
    assert "Select two or more questions to merge" in response.content.decode()
    assert len(shown_questions(response)) == 3


def test_split_a_question_at_a_dashes_line(officer_client, confirmed_case):
    url = reverse("case_request", args=[confirmed_case.pk])
    rows = questions_of(confirmed_case)
    rows[1] = (rows[1][0], "Please name the suppliers.\n---\nWhat did each contract cost?")

    response = officer_client.post(url, editor_data(confirmed_case, rows, action="split:1"))

    assert shown_questions(response) == [
        rows[0][1],
        "Please name the suppliers.",
        "What did each contract cost?",
        rows[2][1],
    ]


def test_split_without_a_marker_explains_how(officer_client, confirmed_case):
    url = reverse("case_request", args=[confirmed_case.pk])
    response = officer_client.post(
        url, editor_data(confirmed_case, questions_of(confirmed_case), action="split:0")
    )
    assert "type a line containing only --- where it should break" in response.content.decode()


def test_reorder_and_remove_then_save_renumbers(officer_client, officer, confirmed_case):
    url = reverse("case_request", args=[confirmed_case.pk])
    rows = questions_of(confirmed_case)

    moved = officer_client.post(url, editor_data(confirmed_case, rows, action="down:0"))
    assert shown_questions(moved) == [rows[1][1], rows[0][1], rows[2][1]]
    moved_up = officer_client.post(url, editor_data(confirmed_case, rows, action="up:2"))
    assert shown_questions(moved_up) == [rows[0][1], rows[2][1], rows[1][1]]

    # Save Q3 first, Q1 second, and remove Q2.
    response = officer_client.post(
        url, editor_data(confirmed_case, [rows[2], rows[0], rows[1]], delete=(2,))
    )
    assert response.status_code == 302
    assert list(confirmed_case.questions.values_list("pk", "number")) == [
        (rows[2][0], 1),
        (rows[0][0], 2),
    ]
    event = confirmed_case.events.filter(action="request_updated").get()
    assert event.actor == officer
    assert event.details["questions"]["before"] == [text for _, text in rows]
    assert event.details["questions"]["after"] == [rows[2][1], rows[0][1]]


def test_removing_every_question_is_refused(officer_client, confirmed_case):
    url = reverse("case_request", args=[confirmed_case.pk])
    response = officer_client.post(
        url, editor_data(confirmed_case, questions_of(confirmed_case), delete=(0, 1, 2))
    )
    assert "Add at least one question" in response.content.decode()
    assert confirmed_case.questions.count() == 3


def test_a_question_answered_by_a_decision_cannot_be_removed(officer_client, confirmed_case):
    decision = Decision.objects.create(case=confirmed_case, outcome=Decision.Outcome.NOT_HELD)
    decision.questions.add(confirmed_case.questions.get(number=2))
    url = reverse("case_request", args=[confirmed_case.pk])

    response = officer_client.post(
        url, editor_data(confirmed_case, questions_of(confirmed_case), delete=(1,))
    )

    assert "Q2 cannot be removed or merged away: a decision answers it" in response.content.decode()
    assert confirmed_case.questions.count() == 3


def test_scope_note_and_searches_are_edited_and_audited(officer_client, confirmed_case):
    url = reverse("case_request", args=[confirmed_case.pk])
    response = officer_client.post(
        url,
        editor_data(
            confirmed_case,
            questions_of(confirmed_case),
            scope="From 1 March 2022.",
            searches="Searched the Digital Forensics Unit's records.",
        ),
    )
    assert response.status_code == 302
    confirmed_case.refresh_from_db()
    assert confirmed_case.scope == "From 1 March 2022."
    assert confirmed_case.searches == "Searched the Digital Forensics Unit's records."
    event = confirmed_case.events.get(action="request_updated")
    assert event.details["fields"]["searches"] == {
        "before": "",
        "after": "Searched the Digital Forensics Unit's records.",
    }
    assert "questions" not in event.details
    page = officer_client.get(reverse("case_detail", args=[confirmed_case.pk])).content.decode()
    assert "Searched the Digital Forensics Unit&#x27;s records." in page


def test_stale_revision_shows_both_versions_and_saves_nothing(
    client, officer_client, second_officer, confirmed_case
):
    url = reverse("case_request", args=[confirmed_case.pk])
    rows = questions_of(confirmed_case)
    opened_at = confirmed_case.revision

    # A colleague saves first.
    colleague = log_in(client.__class__(), second_officer)
    colleague.post(url, editor_data(confirmed_case, rows, searches="Colleague's searches."))

    rows[0] = (rows[0][0], "My reworded first question")
    response = officer_client.post(
        url, editor_data(confirmed_case, rows, revision=opened_at, searches="My searches.")
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this request" in html
    assert "My searches." in html and "Colleague&#x27;s searches." in html
    assert "My reworded first question" in html
    confirmed_case.refresh_from_db()
    assert confirmed_case.searches == "Colleague's searches."
    assert confirmed_case.questions.get(number=1).text != "My reworded first question"
    # The form now carries the saved revision: saving again keeps the officer's version.
    assert response.context["details"]["revision"].value() == str(confirmed_case.revision)
    again = officer_client.post(url, editor_data(confirmed_case, rows, searches="My searches."))
    assert again.status_code == 302
    confirmed_case.refresh_from_db()
    assert confirmed_case.searches == "My searches."


# --- who may do what ---------------------------------------------------------------------


def test_reviewer_cannot_log_or_edit(client, reviewer, confirmed_case):
    log_in(client, reviewer)
    assert client.get(reverse("log_request")).status_code == 403
    assert client.post(reverse("log_request"), intake_data()).status_code == 403
    url = reverse("case_request", args=[confirmed_case.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, editor_data(confirmed_case, questions_of(confirmed_case), searches="Reviewer was here")
    )
    assert response.status_code == 403
    confirmed_case.refresh_from_db()
    assert confirmed_case.searches == ""


def test_outsider_gets_403_and_anonymous_is_sent_to_sign_in(client, outsider, logged_case):
    url = reverse("case_request", args=[logged_case.pk])
    client.logout()  # the case was logged by an officer on this client
    response = client.get(reverse("log_request"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(url, {}).status_code == 302
    log_in(client, outsider)
    assert client.get(reverse("log_request")).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_question_ids_from_another_case_are_not_taken_over(officer_client, confirmed_case):
    other = Question.objects.create(case=confirmed_case, number=99, text="Belongs elsewhere")
    second = officer_client.post(reverse("log_request"), intake_data(request_text="1. Just one?"))
    second_case = Case.objects.get(pk=int(second["Location"].rstrip("/").split("/")[-2]))
    officer_client.post(
        reverse("case_request", args=[second_case.pk]),
        editor_data(second_case, [(other.pk, "Just one?")]),
    )
    other.refresh_from_db()
    assert other.case == confirmed_case and other.text == "Belongs elsewhere"
    assert list(second_case.questions.values_list("number", "text")) == [(1, "Just one?")]


def test_question_boxes_are_sized_to_their_text(officer_client, logged_case):
    """A question with a list of bodies runs past four lines; the box must show it whole so
    it can be checked against the request (the browser check is in tests/e2e)."""
    response = officer_client.get(reverse("case_request", args=[logged_case.pk]))
    page = response.content.decode()
    assert '[id^="question-"] .govuk-textarea { field-sizing: content;' in linked_styles(page)
    assert 'id="question-2"' in page
