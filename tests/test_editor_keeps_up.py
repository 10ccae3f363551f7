"""The editor keeps up with the officer: a deleted library paragraph stays deleted, and the
letter's parts follow the questions whatever order they were decided in."""

import pytest

from responses import checks
from responses.drafting import decisions, editing
from responses.models import Decision
from tests.test_letter_assembly import codes, decide, exemption, keys, make_case, section_text

NCND = "ncnd"


@pytest.fixture
def case(catalogue, authority, requester, officer):
    return make_case(officer, authority, requester)


def stale(letter):
    return any(f.code == "letter-stale" for f in checks.letter_findings(letter))


def delete(letter, officer, paragraph):
    return editing.save_letter(
        letter,
        actor=officer,
        revision=letter.revision,
        operation=editing.Operation.parse(f"delete:{paragraph.pk}"),
    )


@pytest.fixture
def ncnd_letter(case, officer):
    decide(case, officer, [1, 2, 3], Decision.Outcome.NCND, [("24", NCND)])
    return editing.assemble_letter(case, actor=officer)


def test_deleting_a_library_paragraph_is_not_a_change_in_the_decisions(ncnd_letter, officer):
    closing = ncnd_letter.sections.get(key="closing")
    not_comparable = closing.paragraphs.get(clause__code="letter-not-comparable")
    letter = delete(ncnd_letter, officer, not_comparable)
    assert "letter-not-comparable" not in codes(letter, "closing")
    assert not stale(letter)


def test_update_from_decisions_does_not_bring_a_deleted_paragraph_back(ncnd_letter, officer):
    closing = ncnd_letter.sections.get(key="closing")
    letter = delete(
        ncnd_letter, officer, closing.paragraphs.get(clause__code="letter-not-comparable")
    )
    letter = editing.rebuild_letter(letter, actor=officer, revision=letter.revision)
    assert "letter-not-comparable" not in codes(letter, "closing")
    assert "letter-copyright" in codes(letter, "closing")


def test_reset_section_brings_a_deleted_paragraph_back(ncnd_letter, officer):
    closing = ncnd_letter.sections.get(key="closing")
    letter = delete(
        ncnd_letter, officer, closing.paragraphs.get(clause__code="letter-not-comparable")
    )
    letter = editing.save_letter(
        letter,
        actor=officer,
        revision=letter.revision,
        operation=editing.Operation.parse(f"reset:{closing.pk}"),
    )
    assert "letter-not-comparable" in codes(letter, "closing")
    letter = editing.rebuild_letter(letter, actor=officer, revision=letter.revision)
    assert "letter-not-comparable" in codes(letter, "closing")


def test_a_new_library_paragraph_still_makes_the_letter_stale(ncnd_letter, case, officer):
    closing = ncnd_letter.sections.get(key="closing")
    letter = delete(
        ncnd_letter, officer, closing.paragraphs.get(clause__code="letter-not-comparable")
    )
    decision = case.decisions.get()
    decisions.save_decision(
        case,
        actor=officer,
        decision=decision,
        revision=decision.revision,
        questions=list(decision.questions.all()),
        outcome=Decision.Outcome.NCND,
        citations=[(c.exemption, c.mode) for c in decision.citations.all()]
        + [(exemption("31"), NCND)],
    )
    assert stale(letter)


def decision_keys(letter):
    return [key for key in keys(letter) if key.startswith("decision-")]


def test_sections_follow_question_order_not_decision_order(case, officer):
    third = decide(case, officer, [3], Decision.Outcome.NOT_HELD)
    first = decide(case, officer, [1], Decision.Outcome.NOT_HELD)
    second = decide(case, officer, [2], Decision.Outcome.NOT_HELD)
    letter = editing.assemble_letter(case, actor=officer)
    assert decision_keys(letter) == [f"decision-{d.pk}" for d in (first, second, third)]
    assert [s.heading for s in letter.sections.filter(level=2)][:3] == ["Q1", "Q2", "Q3"]


def test_moved_questions_make_the_letter_stale_and_update_reorders(case, officer):
    one = decide(case, officer, [1], Decision.Outcome.NOT_HELD)
    two = decide(case, officer, [2, 3], Decision.Outcome.NOT_HELD)
    letter = editing.assemble_letter(case, actor=officer)
    assert not stale(letter)
    # Q1's decision moves to cover Q3 instead: its part now comes after Q2 & 3's.
    for decision, numbers in ((two, [1, 2]), (one, [3])):
        decision.refresh_from_db()
        decisions.save_decision(
            case,
            actor=officer,
            decision=decision,
            revision=decision.revision,
            questions=[case.questions.get(number=n) for n in numbers],
            outcome=Decision.Outcome.NOT_HELD,
        )
    assert stale(letter)
    letter = editing.rebuild_letter(letter, actor=officer, revision=letter.revision)
    assert decision_keys(letter) == [f"decision-{two.pk}", f"decision-{one.pk}"]
    assert not stale(letter)


# ----------------------------------------------------------------- advice is never dropped


def test_advice_typed_into_any_decision_is_printed(case, officer):
    advice = "The figures for 2023 are published in our annual report, on our website."
    decide(case, officer, [1, 2, 3], Decision.Outcome.NOT_HELD, advice=advice)
    letter = editing.assemble_letter(case, actor=officer)
    decision = case.decisions.get()
    assert advice in section_text(letter, f"decision-{decision.pk}")


def test_advice_missing_from_the_letter_is_a_finding(case, officer):
    advice = "You may find the figures in our annual report."
    decide(case, officer, [1, 2, 3], Decision.Outcome.NOT_HELD, advice=advice)
    letter = editing.assemble_letter(case, actor=officer)
    assert "advice-not-printed" not in [f.code for f in checks.letter_findings(letter)]
    printed = letter.sections.get(key__startswith="decision-").paragraphs.get(
        source__endswith=":advice-text"
    )
    letter = delete(letter, officer, printed)
    findings = {f.code: f.message for f in checks.letter_findings(letter)}
    assert (
        "advice and assistance recorded in the decision is not in the letter"
        in (findings["advice-not-printed"])
    )
