"""Precedents beside the decision editor, the warning when an answer contradicts one, and
similar requests (round robins, the same requester again) on the case page."""

import datetime

import pytest
from django.core.cache import cache

from responses import checks, precedents
from responses.models import Case, Decision, Requester
from tests import builders
from tests.builders import NCND

pytest_plugins = ["tests.review_fixtures"]

DRONES = "How many drones does the force operate, and what did each drone cost to buy?"
DRONES_AGAIN = "Please tell me how many drones the force operates and what each drone cost."
HORSES = "How many horses are stabled at the mounted unit, and what are they fed?"


@pytest.fixture
def people(catalogue, authority, requester, officer):
    return dict(actor=officer, authority=authority, requester=requester)


@pytest.fixture
def other_requester(db):
    return Requester.objects.create(name="Morgan Other", email="morgan@example.net")


def issued_case(people, officer, reviewer, question, **decision):
    case = builders.open_case(**people, questions=[question], request_text=question)
    builders.decide(case, actor=officer, **decision)
    builders.issued_letter(
        builders.draft_letter(case, actor=officer), officer=officer, reviewer=reviewer
    )
    return case


def new_case(people, question, **fields):
    return builders.open_case(**{**people, **fields}, questions=[question], request_text=question)


def test_the_closest_issued_answer_is_the_precedent(people, officer, reviewer, fake_renderer):
    earlier = issued_case(people, officer, reviewer, DRONES)
    issued_case(people, officer, reviewer, HORSES)
    case = new_case(people, DRONES_AGAIN)

    found = precedents.precedents_for(DRONES_AGAIN, exclude_case=case)

    assert [precedent.case for precedent in found] == [earlier]
    assert found[0].is_close
    assert found[0].decision.outcome == Decision.Outcome.PROVIDED


def test_a_case_not_yet_issued_is_no_precedent(people, officer):
    builders.response_letter(**people, questions=[DRONES], request_text=DRONES)
    case = new_case(people, DRONES_AGAIN)
    assert precedents.precedents_for(DRONES_AGAIN, exclude_case=case) == []


def test_the_decision_form_shows_precedents_with_outcome_and_provisions(
    client, people, officer, reviewer, fake_renderer
):
    earlier = issued_case(
        people, officer, reviewer, DRONES, outcome=Decision.Outcome.NCND, citations=[("31", NCND)]
    )
    case = new_case(people, DRONES_AGAIN)
    client.force_login(officer)

    form = client.get(f"/cases/{case.pk}/decisions/new/").content.decode()
    # The form fetches its precedents once it has loaded; without JavaScript, a link.
    panel_url = f"/cases/{case.pk}/decisions/new/precedents/"
    assert f'hx-get="{panel_url}"' in form
    assert f'href="{panel_url}"' in form

    panel = client.get(panel_url, headers={"HX-Request": "true"}).content.decode()
    assert panel.startswith('<aside id="precedents"')
    assert earlier.reference in panel
    assert "Neither confirm nor deny" in panel
    assert "section 31(3)" in panel
    assert "Close match" in panel
    page = client.get(panel_url).content.decode()  # the page a link opens
    assert "<h1" in page and earlier.reference in page and "Back to the decision" in page


def test_a_decisions_precedents_are_for_its_questions_and_exemptions(
    client, people, officer, reviewer, fake_renderer
):
    earlier = issued_case(
        people, officer, reviewer, DRONES, outcome=Decision.Outcome.NCND, citations=[("31", NCND)]
    )
    case = new_case(people, DRONES_AGAIN)
    decision = builders.decide(
        case, actor=officer, outcome=Decision.Outcome.NCND, citations=[("31", NCND)]
    )
    client.force_login(officer)
    panel = client.get(
        f"/decisions/{decision.pk}/precedents/", headers={"HX-Request": "true"}
    ).content.decode()
    assert earlier.reference in panel.split('id="precedents-q1"')[1]
    assert earlier.reference in panel.split("The exemptions cited")[1]


def test_only_officers_see_the_precedent_panel(client, people, reviewer):
    case = new_case(people, DRONES_AGAIN)
    client.force_login(reviewer)
    assert client.get(f"/cases/{case.pk}/decisions/new/precedents/").status_code == 403


def test_answering_what_was_neither_confirmed_nor_denied_is_a_warning(
    people, officer, reviewer, fake_renderer
):
    earlier = issued_case(
        people, officer, reviewer, DRONES, outcome=Decision.Outcome.NCND, citations=[("31", NCND)]
    )
    case = new_case(people, DRONES_AGAIN)
    builders.decide(case, actor=officer)  # provided

    messages = [f.message for f in checks.case_findings(case) if f.code == "precedent-differs"]
    assert len(messages) == 1
    assert earlier.reference in messages[0]
    assert "neither confirmed nor denied" in messages[0]
    letter = builders.draft_letter(case, actor=officer)
    assert any(f.code == "precedent-differs" for f in checks.letter_findings(letter))


def test_neither_confirming_nor_denying_what_was_answered_is_a_warning(
    people, officer, reviewer, fake_renderer
):
    earlier = issued_case(people, officer, reviewer, DRONES)
    case = new_case(people, DRONES_AGAIN)
    builders.decide(case, actor=officer, outcome=Decision.Outcome.NCND, citations=[("31", NCND)])

    messages = [f.message for f in checks.case_findings(case) if f.code == "precedent-differs"]
    assert len(messages) == 1
    assert f"{earlier.reference} answered a similar question" in messages[0]


def test_the_same_answer_as_before_raises_nothing(people, officer, reviewer, fake_renderer):
    issued_case(people, officer, reviewer, DRONES)
    case = new_case(people, DRONES_AGAIN)
    builders.decide(case, actor=officer)
    assert not [f for f in checks.case_findings(case) if f.code == "precedent-differs"]


def test_a_different_question_is_no_contradiction(people, officer, reviewer, fake_renderer):
    issued_case(people, officer, reviewer, HORSES)
    case = new_case(people, DRONES)
    builders.decide(case, actor=officer, outcome=Decision.Outcome.NCND, citations=[("31", NCND)])
    assert not [f for f in checks.case_findings(case) if f.code == "precedent-differs"]


def test_edited_question_text_is_searched_as_edited(people, officer, reviewer, fake_renderer):
    earlier = issued_case(people, officer, reviewer, HORSES)
    case = new_case(people, DRONES)
    assert precedents.precedents_for(HORSES, exclude_case=case)[0].case == earlier

    question = earlier.questions.get()
    question.text = DRONES
    question.save()
    # An issued case's questions change only under a correction, whose issue renews the
    # remembered answers; here the text is changed underneath, so they are forgotten by hand.
    cache.clear()

    assert precedents.precedents_for(HORSES, exclude_case=case) == []
    assert precedents.precedents_for(DRONES_AGAIN, exclude_case=case)[0].case == earlier


def test_a_response_issued_is_a_precedent_at_once(people, officer, reviewer, fake_renderer):
    """The answers are remembered between page loads, but not past the next issue."""
    case = new_case(people, DRONES_AGAIN)
    issued_case(people, officer, reviewer, HORSES)
    assert precedents.precedents_for(DRONES_AGAIN, exclude_case=case) == []

    earlier = issued_case(people, officer, reviewer, DRONES)

    assert [p.case for p in precedents.precedents_for(DRONES_AGAIN, exclude_case=case)] == [earlier]


def test_case_page_lists_the_same_requesters_recent_requests_and_round_robins(
    client, people, officer, other_requester
):
    received = datetime.date(2026, 3, 2)
    same_person_again = Requester.objects.create(name="R. Requester", email="ROWAN@example.com")
    earlier_same = new_case(people, HORSES, received_on=datetime.date(2026, 2, 2))
    earlier_by_email = new_case(
        people,
        "What is the canteen budget?",
        requester=same_person_again,
        received_on=datetime.date(2026, 2, 20),
    )
    round_robin = new_case(
        people, DRONES_AGAIN, requester=other_requester, received_on=datetime.date(2026, 2, 25)
    )
    unrelated = new_case(
        people, HORSES, requester=other_requester, received_on=datetime.date(2026, 2, 26)
    )
    too_old = new_case(people, DRONES, received_on=datetime.date(2025, 9, 1))
    case = new_case(people, DRONES, received_on=received)
    client.force_login(officer)

    page = client.get(f"/cases/{case.pk}/").content.decode()
    same = page.split('id="same-requester-requests"')[1].split("</ul>")[0]
    others = page.split('id="similar-requests-others"')[1].split("</ul>")[0]

    assert earlier_same.reference in same and earlier_by_email.reference in same
    assert round_robin.reference in others
    assert unrelated.reference not in page
    assert too_old.reference not in page


def test_repeat_window_counts_sixty_working_days(people):
    case = new_case(people, DRONES, received_on=datetime.date(2026, 3, 2))
    # Counting back from Monday 2 March 2026, skipping weekends and the four bank holidays
    # of Christmas and New Year (FOIA's UK-wide union has Scotland's 2 January), the 60th
    # working day is 2 December 2025.
    assert precedents.repeats_for(case)["since"] == datetime.date(2025, 12, 2)


def test_decision_form_queries_do_not_grow_with_issued_cases(
    client, people, officer, reviewer, fake_renderer, django_assert_max_num_queries
):
    issued_case(people, officer, reviewer, DRONES)
    case = new_case(people, DRONES_AGAIN)
    client.force_login(officer)
    pages = [f"/cases/{case.pk}/decisions/new/", f"/cases/{case.pk}/decisions/new/precedents/"]
    few = {}
    for url in pages:
        with django_assert_max_num_queries(60) as few[url]:
            client.get(url)
    for question in (DRONES, DRONES_AGAIN, DRONES + " Thank you."):
        issued_case(people, officer, reviewer, question)
    for url in pages:
        with django_assert_max_num_queries(len(few[url].captured_queries)):
            client.get(url)


def test_case_page_queries_do_not_grow_with_requests(
    client, people, officer, other_requester, django_assert_max_num_queries
):
    case = new_case(people, DRONES, received_on=datetime.date(2026, 3, 2))
    new_case(people, DRONES_AGAIN, requester=other_requester, received_on=datetime.date(2026, 3, 1))
    client.force_login(officer)
    with django_assert_max_num_queries(80) as few:
        client.get(f"/cases/{case.pk}/")
    for day in range(2, 20):
        new_case(
            people, DRONES_AGAIN, requester=other_requester, received_on=datetime.date(2026, 2, day)
        )
        new_case(people, HORSES, received_on=datetime.date(2026, 2, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/cases/{case.pk}/")
    assert Case.objects.count() == 38
