"""Proposing numbered questions, scope and prioritisation note from a pasted request."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from responses.intake import parse_request, split_at_marker, split_questions

FACIAL_RECOGNITION = """Dear Sir or Madam,

Under the Freedom of Information Act 2000, please provide the following
information from 1 January 2022 to the date of this request.

Q1. Does the force use facial recognition technology? If so, which types
(live, retrospective, operator-initiated)?
Q2. Please name the suppliers of that technology.
Q3. Has the force shared data or image-based intelligence with any of the following:
(a) the Home Office
(b) the National Crime Agency
(c) any foreign state

If you must prioritise, please answer Q2 and Q3.

Yours faithfully,
Jane Doe"""


def test_reference_request_gives_three_questions_scope_and_note():
    parsed = parse_request(FACIAL_RECOGNITION)

    assert parsed.questions == [
        "Does the force use facial recognition technology? If so, which types\n"
        "(live, retrospective, operator-initiated)?",
        "Please name the suppliers of that technology.",
        "Has the force shared data or image-based intelligence with any of the following:\n"
        "(a) the Home Office\n(b) the National Crime Agency\n(c) any foreign state",
    ]
    assert "from 1 January 2022 to the date of this request" in parsed.scope
    assert parsed.prioritisation_note == "If you must prioritise, please answer Q2 and Q3."
    assert parsed.preamble == "Dear Sir or Madam,"
    assert "Yours faithfully" in parsed.closing
    # Nothing the requester wrote ends up in two places.
    assert not any("prioritise" in question for question in parsed.questions)
    assert not any("Jane Doe" in question for question in parsed.questions)


@pytest.mark.parametrize(
    "text",
    [
        "Q1. How many cameras?\nQ2. Where are they?\nQ3. Who monitors them?",
        "Q1: How many cameras?\nQ2: Where are they?\nQ3: Who monitors them?",
        "q1 How many cameras?\nq2 Where are they?\nq3 Who monitors them?",
        "Question 1: How many cameras?\nQuestion 2: Where are they?\n"
        "Question 3: Who monitors them?",
        "Question 1 - How many cameras?\nQuestion 2 - Where are they?\n"
        "Question 3 - Who monitors them?",
        "1. How many cameras?\n2. Where are they?\n3. Who monitors them?",
        "1) How many cameras?\n2) Where are they?\n3) Who monitors them?",
        "(1) How many cameras?\n(2) Where are they?\n(3) Who monitors them?",
        "(a) How many cameras?\n(b) Where are they?\n(c) Who monitors them?",
        "a) How many cameras?\nb) Where are they?\nc) Who monitors them?",
        "a. How many cameras?\nb. Where are they?\nc. Who monitors them?",
        "(i) How many cameras?\n(ii) Where are they?\n(iii) Who monitors them?",
        "i. How many cameras?\nii. Where are they?\niii. Who monitors them?",
        "I) How many cameras?\nII) Where are they?\nIII) Who monitors them?",
        "1: How many cameras?\n2: Where are they?\n3: Who monitors them?",
        "1 - How many cameras?\n2 - Where are they?\n3 - Who monitors them?",
        "Q.1 How many cameras?\nQ.2 Where are they?\nQ.3 Who monitors them?",
        "Part 1: How many cameras?\nPart 2: Where are they?\nPart 3: Who monitors them?",
        "Request 1 - How many cameras?\nRequest 2 - Where are they?\n"
        "Request 3 - Who monitors them?",
        "- How many cameras?\n- Where are they?\n- Who monitors them?",
        "* How many cameras?\n* Where are they?\n* Who monitors them?",
        "• How many cameras?\n• Where are they?\n• Who monitors them?",
        "How many cameras?\n\nWhere are they?\n\nWho monitors them?",
        "  1.  How many cameras?\n  2.  Where are they?\n  3.  Who monitors them?",
        "1. How many cameras?\n\n2. Where are they?\n\n\n3. Who monitors them?",
        "1.\tHow many cameras?\r\n2.\tWhere are they?\r\n3.\tWho monitors them?",
    ],
)
def test_every_marker_style_gives_the_same_questions(text):
    assert split_questions(text) == [
        "How many cameras?",
        "Where are they?",
        "Who monitors them?",
    ]


def test_heading_style_questions_take_the_text_below_them():
    text = "Question 1\nHow many cameras are there?\n\nQuestion 2\nWhere are they?"
    assert split_questions(text) == ["How many cameras are there?", "Where are they?"]


def test_sub_lists_stay_inside_their_question():
    text = (
        "1. Please provide for each year:\n"
        "   a) the number of arrests\n"
        "   b) the number of charges\n"
        "2. Please list the stations:\n"
        "   - by name\n"
        "   - by postcode\n"
    )
    assert split_questions(text) == [
        "Please provide for each year:\na) the number of arrests\nb) the number of charges",
        "Please list the stations:\n- by name\n- by postcode",
    ]


def test_a_loose_number_inside_a_question_starts_no_question():
    text = (
        "1 - How many officers attended the match,\n"
        "5 - 6 of them by my count?\n"
        "2 - What did policing it cost?"
    )
    assert split_questions(text) == [
        "How many officers attended the match,\n5 - 6 of them by my count?",
        "What did policing it cost?",
    ]


def test_part_of_at_the_start_of_a_line_is_prose_not_a_marker():
    text = "How many reports were made?\n\nPart 2 of the report mentions drones. Why?"
    assert split_questions(text) == [
        "How many reports were made?",
        "Part 2 of the report mentions drones. Why?",
    ]


def test_roman_numerals_count_on_past_four_and_nine():
    numerals = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi"]
    text = "\n".join(f"({numeral}) Question {n}?" for n, numeral in enumerate(numerals, 1))
    assert split_questions(text) == [f"Question {n}?" for n in range(1, 12)]


def test_a_lettered_list_keeps_counting_through_i_v_and_x():
    letters = "abcdefghijklmnopqrstuvwxy"
    text = "\n".join(f"({letter}) About {letter.upper()}?" for letter in letters)
    assert split_questions(text) == [f"About {letter.upper()}?" for letter in letters]


def test_roman_parts_under_a_numbered_question_stay_inside_it():
    text = (
        "1. For each of the last three years, please give:\n"
        "(i) the number of complaints\n"
        "(ii) the number upheld\n"
        "2. Who decides complaints?"
    )
    assert split_questions(text) == [
        "For each of the last three years, please give:\n(i) the number of complaints\n"
        "(ii) the number upheld",
        "Who decides complaints?",
    ]


def test_bullets_under_q_markers_are_part_of_the_question():
    text = "Q1. Which of these do you use:\n- drones\n- body cameras\nQ2. Since when?"
    assert split_questions(text) == [
        "Which of these do you use:\n- drones\n- body cameras",
        "Since when?",
    ]


def test_an_indented_numbered_list_belongs_to_the_question_above():
    text = "1. Give me the figures for:\n    1. burglary\n    2. robbery\n2. Who collects them?"
    assert split_questions(text) == [
        "Give me the figures for:\n1. burglary\n2. robbery",
        "Who collects them?",
    ]


def test_a_number_lower_than_the_last_question_does_not_start_a_question():
    text = "1. First?\n2. Second, about these:\n1. an item\n3. Third?"
    assert split_questions(text) == ["First?", "Second, about these:\n1. an item", "Third?"]


def test_a_question_keeps_its_inner_line_breaks_and_paragraphs():
    text = "1. First line\nsecond line\n\nsecond paragraph of Q1\n2. Next"
    assert split_questions(text) == ["First line\nsecond line\n\nsecond paragraph of Q1", "Next"]


def test_numbers_inside_sentences_are_not_markers():
    text = "1. How many of the 2,000 officers have 1.5 days' leave?\n2. Why were 3) and 4 late?"
    assert split_questions(text) == [
        "How many of the 2,000 officers have 1.5 days' leave?",
        "Why were 3) and 4 late?",
    ]


def test_year_at_line_start_is_not_a_question_marker():
    text = "1. How many arrests were there in\n2023. And how many charges?\n2. Who decides?"
    assert split_questions(text) == [
        "How many arrests were there in\n2023. And how many charges?",
        "Who decides?",
    ]


@pytest.mark.parametrize(
    "scope_line",
    [
        "From 1 January 2022 to the date of this request.",
        "For the period 1 April 2020 to 31 March 2023.",
        "Between 2019 and 2023.",
        "Please limit this to the period since 1st June 2021.",
        "All questions relate to the last five years.",
        "This request covers the financial years 2019/20 to 2022/23.",
    ],
)
def test_scope_line_after_the_questions_is_taken_out(scope_line):
    text = f"1. How many drones do you own?\n2. What did they cost?\n\n{scope_line}"
    parsed = parse_request(text)
    assert parsed.questions == ["How many drones do you own?", "What did they cost?"]
    assert parsed.scope == scope_line


def test_scope_line_right_below_the_last_bullet_is_taken_out():
    text = (
        "Please tell me:\n- the number of drones owned\n- the cost of each drone\n"
        "For the period 2019/20 to 2023/24."
    )
    parsed = parse_request(text)
    assert parsed.questions == ["the number of drones owned", "the cost of each drone"]
    assert parsed.scope == "For the period 2019/20 to 2023/24."
    assert parsed.preamble == "Please tell me:"


def test_scope_inside_the_introduction_is_found_and_introduction_kept():
    text = (
        "Hello,\n\nI am writing to request information. Please cover the period "
        "between 1 January 2021 and 31 December 2023.\n\n1. How many?\n2. Where?"
    )
    parsed = parse_request(text)
    assert parsed.scope == "Please cover the period between 1 January 2021 and 31 December 2023."
    assert "I am writing to request information." in parsed.preamble
    assert parsed.questions == ["How many?", "Where?"]


def test_a_period_wrapped_onto_the_next_line_stays_in_its_question():
    text = (
        "(1) What is the budget for 2024?\n(2) Please provide the number of arrests\n"
        "between 2019 and 2022."
    )
    parsed = parse_request(text)
    assert parsed.questions[1] == "Please provide the number of arrests\nbetween 2019 and 2022."
    assert parsed.scope == ""


def test_a_question_that_names_a_period_is_not_mistaken_for_scope():
    text = "How many arrests were made between 2019 and 2022?\n\nWho made them?"
    parsed = parse_request(text)
    assert parsed.questions == [
        "How many arrests were made between 2019 and 2022?",
        "Who made them?",
    ]
    assert parsed.scope == ""


@pytest.mark.parametrize(
    "note",
    [
        "If you must prioritise, please answer Q2 and Q3.",
        "If this exceeds the cost limit please answer question 1 only.",
        "If answering all of this would exceed the appropriate limit, please prioritise Q1.",
        "Should you need to prioritize, question 2 matters most to me.",
        "If section 12 applies, please deal with Q3 first.",
    ],
)
def test_prioritisation_note_is_taken_out(note):
    for separator in ("\n", "\n\n"):
        text = f"1) How many officers?\n2) How many staff?{separator}{note}\nThanks, Bob"
        parsed = parse_request(text)
        assert parsed.questions == ["How many officers?", "How many staff?"], separator
        assert parsed.prioritisation_note == note
        assert parsed.closing == "Thanks, Bob"


def test_two_sentence_prioritisation_note_is_kept_whole():
    text = (
        "1. A?\n2. B?\n\nIf you must prioritise, answer Q2 first. Q1 can wait if needed.\n\n"
        "Kind regards\nSam"
    )
    parsed = parse_request(text)
    assert (
        parsed.prioritisation_note
        == "If you must prioritise, answer Q2 first. Q1 can wait if needed."
    )
    assert parsed.questions == ["A?", "B?"]


def test_paragraph_request_drops_greeting_introduction_and_sign_off():
    text = (
        "Dear FOI team,\n\n"
        "Under the Freedom of Information Act, I would like to make a request.\n\n"
        "I would like to know how many bikes were stolen in 2023.\n\n"
        "How many were recovered?\n\n"
        "Thank you for your help.\n\nYours sincerely,\nAlex"
    )
    parsed = parse_request(text)
    assert parsed.questions == [
        "I would like to know how many bikes were stolen in 2023.",
        "How many were recovered?",
    ]
    assert "Dear FOI team" in parsed.preamble
    assert "Alex" in parsed.closing


def test_a_one_line_request_is_one_question():
    assert split_questions("Please send me your policy on drones.") == [
        "Please send me your policy on drones."
    ]


def test_empty_request_proposes_nothing():
    parsed = parse_request("   \n\n  ")
    assert parsed.questions == []
    assert parsed.scope == parsed.prioritisation_note == parsed.preamble == ""


def test_split_at_a_line_of_dashes():
    assert split_at_marker("How many X?\n---\nHow many Y?") == ["How many X?", "How many Y?"]


def test_split_at_markers_inside_the_text_keeps_the_lead_in():
    assert split_at_marker("Please tell me:\n1. a\n2. b") == ["Please tell me:\na", "b"]


def test_nothing_to_split_gives_the_text_back():
    assert split_at_marker("Just one question?") == ["Just one question?"]


QUESTION_TEXT = (
    st.text(
        alphabet=st.characters(
            whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters=" ,'?"
        ),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(lambda text: text and text[0].isalpha())
)


@given(
    questions=st.lists(QUESTION_TEXT, min_size=1, max_size=8),
    style=st.sampled_from(["Q{n}. ", "Q{n}: ", "Question {n}: ", "{n}. ", "{n}) ", "({n}) "]),
)
def test_numbered_questions_round_trip(questions, style):
    text = "\n".join(style.format(n=n) + question for n, question in enumerate(questions, 1))
    assert split_questions(text) == questions


@given(questions=st.lists(QUESTION_TEXT, min_size=1, max_size=8), bullet=st.sampled_from("-*•"))
def test_bulleted_questions_round_trip(questions, bullet):
    text = "\n".join(f"{bullet} {question}" for question in questions)
    assert split_questions(text) == questions
