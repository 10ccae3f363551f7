"""The builders make letters the real checks find nothing wrong with, so tests need no stub."""

import pytest

from responses import workflow
from responses.models import Decision, InternalReviewOutcome, Letter
from tests import builders
from tests.builders import NCND, WITHHOLD

pytest_plugins = ["tests.review_fixtures"]

RESPONSES = {
    "provided": (Decision.Outcome.PROVIDED, []),
    "not held": (Decision.Outcome.NOT_HELD, []),
    "neither confirm nor deny": (Decision.Outcome.NCND, [("24", NCND), ("31", NCND)]),
    "withheld, qualified": (Decision.Outcome.WITHHELD, [("31", WITHHOLD)]),
    "withheld, absolute": (Decision.Outcome.WITHHELD, [("40(2) first condition", WITHHOLD)]),
    "vexatious": (Decision.Outcome.VEXATIOUS, []),
}


@pytest.mark.parametrize("variant", RESPONSES)
def test_a_response_letter_is_complete_in_one_call(
    catalogue, authority, requester, officer, variant
):
    outcome, citations = RESPONSES[variant]
    letter = builders.response_letter(
        actor=officer,
        authority=authority,
        requester=requester,
        outcome=outcome,
        citations=citations,
    )
    assert builders.findings(letter) == []
    assert not builders.required_slots(letter) or all(
        letter.slot_values.get(slot.name) for slot in builders.required_slots(letter)
    )
    assert letter.case.questions.filter(decisions__isnull=True).count() == 0


@pytest.mark.parametrize(
    "kind", [Letter.Kind.ACKNOWLEDGEMENT, Letter.Kind.CLARIFICATION, Letter.Kind.EXTENSION]
)
def test_other_letters_are_complete_too(case, officer, kind):
    assert builders.findings(builders.draft_letter(case, actor=officer, kind=kind)) == []


def test_a_review_outcome_letter_carries_its_outcome(letter, officer, reviewer, fake_renderer):
    builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    review = builders.review_case(letter.case)
    outcome_letter = builders.draft_letter(review, actor=officer, kind=Letter.Kind.REVIEW_OUTCOME)
    assert outcome_letter.review_outcome.outcome == InternalReviewOutcome.Outcome.UPHELD
    assert builders.findings(outcome_letter) == []


def test_a_letter_goes_all_the_way_through_the_workflow(letter, officer, reviewer, fake_renderer):
    document = builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    assert letter.status == Letter.Status.ISSUED
    assert document.version == workflow.latest_version(letter)
    assert bytes(document.pdf).startswith(b"%PDF")
