"""The splitter with long and untidy requests: numbers of any length, footnotes, an
introduction that is not a question, and a request too long for one page of questions."""

import pytest
from django.urls import reverse

from responses.intake import MAX_QUESTIONS, parse_request, split_questions
from tests.builders import open_case


def numbered(count, start=1):
    return "\n".join(
        f"{n}. How many vehicles were bought in period {n}?" for n in range(start, count + 1)
    )


def test_questions_100_and_up_are_their_own_questions():
    questions = split_questions("Dear team,\n\n" + numbered(120))
    assert len(questions) == 120
    assert questions[99] == "How many vehicles were bought in period 100?"
    assert questions[-1] == "How many vehicles were bought in period 120?"


def test_q_markers_of_three_digits_too():
    text = "\n".join(f"Q{n}: Question {n}?" for n in range(98, 103))
    assert split_questions(text) == [f"Question {n}?" for n in range(98, 103)]


def test_a_year_at_the_start_of_a_line_is_not_a_question():
    text = "1. How many drones were bought?\n2. What did they cost in\n2023. and in 2024?"
    assert split_questions(text) == [
        "How many drones were bought?",
        "What did they cost in\n2023. and in 2024?",
    ]


def test_footnotes_after_the_questions_are_not_part_of_the_last_one():
    parsed = parse_request(
        "1. How many drones do you own?[1]\n2. What did they cost?²\n"
        "[1] As reported in the Westshire Gazette.\n² Including VAT.\n\nThanks,\nRowan"
    )
    assert parsed.questions == ["How many drones do you own?[1]", "What did they cost?²"]
    assert "As reported in the Westshire Gazette." in parsed.closing


def test_an_introduction_about_the_requester_is_not_a_question():
    parsed = parse_request(
        "I am a researcher at the University of Westshire studying police drones.\n\n"
        "How many drones does the force own?\n\nWhat was spent on them in 2024?\n\nKind regards"
    )
    assert parsed.questions == [
        "How many drones does the force own?",
        "What was spent on them in 2024?",
    ]
    assert parsed.preamble.startswith("I am a researcher")


@pytest.fixture
def long_case(catalogue, authority, requester, officer):
    text = numbered(MAX_QUESTIONS + 10)
    return open_case(
        actor=officer, authority=authority, requester=requester, questions=(), request_text=text
    )


def test_a_request_too_long_to_split_says_so(client, officer, long_case):
    client.force_login(officer)
    response = client.get(reverse("case_request", args=[long_case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"This request has {MAX_QUESTIONS + 10} questions, more than the {MAX_QUESTIONS}" in html
    assert "govuk-error-summary" in html


def test_posting_the_most_questions_a_request_can_have_is_not_a_bad_request(
    client, officer, long_case
):
    client.force_login(officer)
    data = {
        "questions-TOTAL_FORMS": str(MAX_QUESTIONS + 1),
        "questions-INITIAL_FORMS": "0",
        "action": "save",
        "revision": str(long_case.revision),
    }
    for n in range(MAX_QUESTIONS + 1):
        data[f"questions-{n}-question_id"] = ""
        data[f"questions-{n}-text"] = f"Question {n}?"
        data[f"questions-{n}-selected"] = ""
    response = client.post(reverse("case_request", args=[long_case.pk]), data)
    assert response.status_code == 200  # the page again, saying what to do; not a bare 400
    assert f"A request can have at most {MAX_QUESTIONS} questions here" in response.content.decode()
