"""Drafting services: slots, rebuilds that keep the officer's work, resets and bad input."""

import pytest

from exemptions.models import Clause
from responses import checks
from responses.drafting import decisions, editing, slots, wording
from responses.models import CaseEvent, Decision, Letter, LetterParagraph
from tests.test_letter_assembly import codes, decide, exemption, keys, make_case, section_text

NCND = "ncnd"
WITHHOLD = "withhold"


@pytest.fixture
def case(catalogue, authority, requester, officer):
    return make_case(officer, authority, requester)


@pytest.fixture
def ncnd_letter(case, officer):
    decide(case, officer, [1, 2], Decision.Outcome.NCND, [("24", NCND)], answer="Not used overtly.")
    decide(case, officer, [3], Decision.Outcome.NCND, [("27(1)", NCND)])
    return editing.assemble_letter(case, actor=officer)


def messages(problems, severity=None):
    return [p.message for p in problems if severity is None or p.severity == severity]


def paragraph(letter, code):
    return LetterParagraph.objects.get(section__letter=letter, clause__code=code)


# ----------------------------------------------------------------- slots


def test_missing_slot_keeps_placeholder_and_is_named(ncnd_letter):
    harm = paragraph(ncnd_letter, "foia-s27-1-harm-ncnd")
    assert "[Fill in: The other State]" in harm.text
    assert "[Fill in: What the request is about, in the letter's words]" in harm.text
    assert ncnd_letter.case.subject not in harm.text  # the case's label is the officer's
    problems = messages(checks.letter_findings(ncnd_letter), "error")
    assert "Fill in 'The other State' (used in section 27(4) harm)" in problems
    assert not checks.can_submit(ncnd_letter)


def test_required_slots_are_listed_once_with_labels(ncnd_letter):
    found = {slot.name: slot for slot in slots.required_slots(ncnd_letter)}
    assert set(found) == {"subject", "foreign_state", "departments_consulted"}
    assert found["foreign_state"].label == "The other State"
    assert "section 27(4) harm" in found["foreign_state"].used_in


def test_filled_slot_is_used_everywhere_and_keeps_edits(ncnd_letter, officer):
    statement = paragraph(ncnd_letter, "foia-s27-1-ncnd")
    edited_text = statement.text.replace("We neither", "Having considered your request, we neither")
    ncnd_letter = editing.save_letter(
        ncnd_letter, actor=officer, revision=ncnd_letter.revision, texts={statement.pk: edited_text}
    )
    ncnd_letter = editing.save_letter(
        ncnd_letter,
        actor=officer,
        revision=ncnd_letter.revision,
        slot_values={
            "subject": "the use of facial recognition technology",
            "foreign_state": "the Republic of Ruritania",
            "departments_consulted": "Intelligence",
        },
    )
    harm = paragraph(ncnd_letter, "foia-s27-1-harm-ncnd")
    assert "the United Kingdom and the Republic of Ruritania" in harm.text
    statement.refresh_from_db()
    assert statement.text.startswith("Having considered your request, we neither")
    assert "the Republic of Ruritania" in statement.text and "[Fill in" not in statement.text
    assert not messages(checks.letter_findings(ncnd_letter), "error")
    assert checks.can_submit(ncnd_letter)


def test_slot_value_with_markup_is_kept_literally(ncnd_letter, officer):
    ncnd_letter = editing.save_letter(
        ncnd_letter,
        actor=officer,
        revision=ncnd_letter.revision,
        slot_values={"foreign_state": "<script>x</script> {{ 7*7 }} & co"},
    )
    harm = paragraph(ncnd_letter, "foia-s27-1-harm-ncnd")
    assert "<script>x</script> {{ 7*7 }} & co" in harm.text
    assert "&lt;" not in harm.text and "49" not in harm.text


# ----------------------------------------------------------------- saving


def test_every_save_bumps_revision_and_writes_an_event(ncnd_letter, officer):
    before = ncnd_letter.revision
    intro = LetterParagraph.objects.get(section__letter=ncnd_letter, source="request:intro")
    letter = editing.save_letter(
        ncnd_letter, actor=officer, revision=before, texts={intro.pk: "Thank you for writing."}
    )
    assert letter.revision == before + 1
    event = CaseEvent.objects.filter(case=letter.case, action="letter_saved").latest("pk")
    assert event.details["letter"] == letter.pk and event.details["revision"] == before + 1
    intro.refresh_from_db()
    assert intro.edited and intro.text == "Thank you for writing."


def test_stale_revision_is_refused_and_nothing_is_written(ncnd_letter, officer):
    intro = LetterParagraph.objects.get(section__letter=ncnd_letter, source="request:intro")
    editing.save_letter(
        ncnd_letter, actor=officer, revision=ncnd_letter.revision, texts={intro.pk: "One"}
    )
    with pytest.raises(wording.StaleLetterError):
        editing.save_letter(
            ncnd_letter, actor=officer, revision=ncnd_letter.revision, texts={intro.pk: "Two"}
        )
    intro.refresh_from_db()
    assert intro.text == "One"


def test_over_limit_text_is_refused(ncnd_letter, officer):
    intro = LetterParagraph.objects.get(section__letter=ncnd_letter, source="request:intro")
    with pytest.raises(wording.DraftingError, match="20,000"):
        editing.save_letter(
            ncnd_letter,
            actor=officer,
            revision=ncnd_letter.revision,
            texts={intro.pk: "x" * 20_001},
        )


def test_move_add_and_delete_paragraphs(ncnd_letter, officer):
    closing = ncnd_letter.sections.get(key="closing")
    first, second = list(closing.paragraphs.all())[:2]
    letter = editing.save_letter(
        ncnd_letter,
        actor=officer,
        revision=ncnd_letter.revision,
        operation=editing.Operation.parse(f"down:{first.pk}"),
    )
    assert list(closing.paragraphs.all())[:2] == [second, first]
    letter = editing.save_letter(
        letter,
        actor=officer,
        revision=letter.revision,
        operation=editing.Operation.parse(f"add:{closing.pk}:{second.pk}"),
    )
    added = list(closing.paragraphs.all())[1]
    assert added.text == "" and added.clause is None and not added.source
    letter = editing.save_letter(
        letter,
        actor=officer,
        revision=letter.revision,
        operation=editing.Operation.parse(f"delete:{first.pk}"),
    )
    assert not LetterParagraph.objects.filter(pk=first.pk).exists()


# ----------------------------------------------------------------- rebuild and reset


def test_rebuild_keeps_edited_and_officer_paragraphs(case, ncnd_letter, officer):
    harm = paragraph(ncnd_letter, "foia-s24-harm-ncnd")
    closing = ncnd_letter.sections.get(key="closing")
    letter = editing.save_letter(
        ncnd_letter,
        actor=officer,
        revision=ncnd_letter.revision,
        texts={harm.pk: "Our own harm argument."},
        operation=editing.Operation(name="add", section=closing.pk, target=0),
    )
    officer_paragraph = closing.paragraphs.get(source="", clause=None)
    letter = editing.save_letter(
        letter, actor=officer, revision=letter.revision, texts={officer_paragraph.pk: "Thank you."}
    )
    # The decisions change: Q3 is now also refused under section 31(3).
    q3 = case.decisions.get(questions__number=3)
    decisions.save_decision(
        case,
        actor=officer,
        decision=q3,
        revision=q3.revision,
        questions=[case.questions.get(number=3)],
        outcome=Decision.Outcome.NCND,
        citations=[(exemption("27(1)"), NCND), (exemption("31"), NCND)],
    )
    assert "The decisions have changed" in " ".join(messages(checks.letter_findings(letter)))
    letter = editing.rebuild_letter(letter, actor=officer, revision=letter.revision)
    assert "foia-s31-harm-ncnd" in codes(letter, "harm")
    assert "Our own harm argument." in section_text(letter, "harm")
    assert codes(letter, "harm")[0] == "foia-s24-harm-ncnd"  # still in its place
    assert section_text(letter, "closing").startswith("Thank you.")
    assert "pit-" + str(exemption("31").pk) + "-ncnd-favouring" in keys(letter)
    assert "The decisions have changed" not in " ".join(messages(checks.letter_findings(letter)))


def test_rebuild_keeps_the_order_of_several_officer_paragraphs(ncnd_letter, officer):
    closing = ncnd_letter.sections.get(key="closing")
    letter = ncnd_letter
    for _ in range(2):
        letter = editing.save_letter(
            letter,
            actor=officer,
            revision=letter.revision,
            operation=editing.Operation.parse(f"add:{closing.pk}:0"),
        )
    first, second = list(closing.paragraphs.all())[:2]
    letter = editing.save_letter(
        letter,
        actor=officer,
        revision=letter.revision,
        texts={first.pk: "First.", second.pk: "Second."},
    )
    letter = editing.rebuild_letter(letter, actor=officer, revision=letter.revision)
    assert section_text(letter, "closing").startswith("First.\n\nSecond.\n\n")


def test_rebuild_keeps_edits_whose_section_is_no_longer_needed(case, ncnd_letter, officer):
    harm = paragraph(ncnd_letter, "foia-s24-harm-ncnd")
    letter = editing.save_letter(
        ncnd_letter, actor=officer, revision=ncnd_letter.revision, texts={harm.pk: "Kept harm."}
    )
    for decision in case.decisions.all():
        decisions.save_decision(
            case,
            actor=officer,
            decision=decision,
            revision=decision.revision,
            questions=list(decision.questions.all()),
            outcome=Decision.Outcome.NOT_HELD,
        )
    letter = editing.rebuild_letter(letter, actor=officer, revision=letter.revision)
    assert "Kept harm." in section_text(letter, "harm")
    warnings = messages(checks.letter_findings(letter), "warning")
    assert any("no longer needed" in message for message in warnings)


def test_reset_section_brings_back_library_text(ncnd_letter, officer):
    harm_section = ncnd_letter.sections.get(key="harm")
    harm = paragraph(ncnd_letter, "foia-s24-harm-ncnd")
    original = harm.text
    letter = editing.save_letter(
        ncnd_letter, actor=officer, revision=ncnd_letter.revision, texts={harm.pk: "Mine."}
    )
    letter = editing.save_letter(
        letter,
        actor=officer,
        revision=letter.revision,
        operation=editing.Operation.parse(f"reset:{harm_section.pk}"),
    )
    reset = paragraph(letter, "foia-s24-harm-ncnd")
    assert reset.text == original and not reset.edited


def test_clause_versions_are_recorded_and_kept(ncnd_letter, officer):
    used = paragraph(ncnd_letter, "letter-copyright").clause
    newer = used.revise(body="Our new copyright wording.")
    assert paragraph(ncnd_letter, "letter-copyright").clause == used  # the old letter keeps v1
    newer_letter = editing.assemble_letter(ncnd_letter.case, actor=officer)
    copyright_paragraph = paragraph(newer_letter, "letter-copyright")
    assert (
        copyright_paragraph.clause == newer
        and copyright_paragraph.clause.version == used.version + 1
    )
    assert copyright_paragraph.text == "Our new copyright wording."


# ----------------------------------------------------------------- bad input


def test_question_without_decision(case, officer):
    decide(case, officer, [1, 2], Decision.Outcome.NOT_HELD)
    assert "Q3 has no decision yet." in messages(checks.case_findings(case), "error")


def test_decision_without_question(case, officer):
    decision = decide(case, officer, [1, 2, 3], Decision.Outcome.NOT_HELD)
    decision.questions.clear()
    problems = messages(checks.case_findings(case), "error")
    assert "Decision 1 does not cover any question." in problems


def test_one_exemption_in_two_decisions_is_fine(case, officer):
    """As in the reference letter: the later part refers back to the earlier one."""
    decide(case, officer, [1], Decision.Outcome.NCND, [("24", NCND)])
    decide(case, officer, [2, 3], Decision.Outcome.NCND, [("24", NCND)])
    assert not any("cited twice" in p.message for p in checks.case_findings(case))


def test_exemption_cited_twice_in_one_decision_is_an_error(case, officer):
    decide(case, officer, [1, 2, 3], Decision.Outcome.NCND, [("24", NCND), ("24", NCND)])
    problems = messages(checks.case_findings(case), "error")
    assert "Q1, 2 & 3: 24(2) is cited twice to neither confirm nor deny." in problems


def test_ncnd_citation_needs_an_ncnd_provision(case, officer):
    with pytest.raises(wording.DraftingError, match="no neither-confirm-nor-deny provision"):
        decide(case, officer, [1, 2, 3], Decision.Outcome.NCND, [("21", NCND)])


def test_qualified_exemption_with_empty_public_interest_part(ncnd_letter, officer):
    section = ncnd_letter.sections.get(key=f"pit-{exemption('24').pk}-ncnd-against")
    for p in section.paragraphs.all():
        ncnd_letter = editing.save_letter(
            ncnd_letter,
            actor=officer,
            revision=ncnd_letter.revision,
            operation=editing.Operation.parse(f"delete:{p.pk}"),
        )
    problems = messages(checks.letter_findings(ncnd_letter), "error")
    assert (
        "“Section 24(2) – factors against confirmation or denial” is empty: a qualified exemption "
        "needs its public interest reasons." in problems
    )


def test_absolute_exemption_given_a_public_interest_test(ncnd_letter):
    # The catalogue is corrected after the letter was drafted: s24 becomes absolute.
    s24 = exemption("24")
    s24.absolute, s24.pit_applies = True, False
    s24.save()
    problems = messages(checks.letter_findings(ncnd_letter), "error")
    assert any("Section 24 is absolute" in message for message in problems)


def test_cost_limit_within_the_limit_is_flagged(case, officer):
    estimate = decisions.cost_estimate_from_hours({"locating": 3})
    decide(case, officer, [1, 2, 3], Decision.Outcome.COST_LIMIT, cost_estimate=estimate)
    problems = messages(checks.case_findings(case))
    assert any("does not exceed the limit of 18 hours" in message for message in problems)


def test_ncnd_decision_without_citations(case, officer):
    decide(case, officer, [1, 2, 3], Decision.Outcome.NCND)
    assert any("cite the exemptions" in m for m in messages(checks.case_findings(case), "error"))


def test_missing_clause_still_names_the_provision(case, officer):
    Clause.objects.filter(code="foia-s24-ncnd").update(effective_to="2000-01-01")
    decision = decide(case, officer, [1, 2, 3], Decision.Outcome.NCND, [("24", NCND)])
    letter = editing.assemble_letter(case, actor=officer)
    assert "Section 24(2) of the Freedom of Information Act 2000 applies" in section_text(
        letter, f"decision-{decision.pk}"
    )


def test_only_draft_letters_change(ncnd_letter, officer):
    Letter.objects.filter(pk=ncnd_letter.pk).update(status=Letter.Status.APPROVED)
    with pytest.raises(wording.DraftingError, match="Only a draft"):
        editing.save_letter(ncnd_letter, actor=officer, revision=ncnd_letter.revision)
