"""Wording a reviewer can trust: what went out wrong in real letters, and the checks that now
catch it (issue 11, "Wrong wording that went out")."""

import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from exemptions import clauses as clause_rendering
from exemptions.models import Clause
from responses import checks, workflow
from responses.drafting import decisions
from responses.models import CaseEvent, Decision
from responses.rendering import pdf as letter_pdf
from tests import builders

pytestmark = pytest.mark.django_db

NCND, WITHHOLD = builders.NCND, builders.WITHHOLD
QUESTIONS = [
    "How many drones does the force own?",
    "Has the force used drones to watch protests?",
    "Which companies supplied the drones?",
]


def codes(letter):
    return {finding.code for finding in checks.letter_findings(letter)}


def errors(letter):
    return [f for f in checks.letter_findings(letter) if f.is_error]


def letter_text(letter):
    return "\n\n".join(
        p.text for s in letter.sections.all() for p in s.paragraphs.all() if p.text.strip()
    )


def closing_text(letter):
    return "\n\n".join(p.text for p in letter.sections.get(key="closing").paragraphs.all())


def squash(text):
    return re.sub(r"\s+", " ", text)


def new_version(code, body, slots=None):
    """A later version of a library clause, saved without the admin's checks (as an old
    database row or a direct edit would be)."""
    latest = Clause.objects.filter(code=code).order_by("-version").first()
    return Clause.objects.create(
        code=code,
        version=latest.version + 1,
        kind=latest.kind,
        mode=latest.mode,
        exemption=latest.exemption,
        title=latest.title,
        body=body,
        slots=latest.slots if slots is None else slots,
    )


@pytest.fixture
def mixed_case(catalogue, authority, requester, officer):
    """Q1 answered with a figure, Q2 neither confirmed nor denied, Q3 not held."""
    case = builders.open_case(
        actor=officer, authority=authority, requester=requester, questions=QUESTIONS
    )
    builders.decide(case, actor=officer, numbers=[1], answer="The force owns 4 drones.")
    builders.decide(
        case,
        actor=officer,
        numbers=[2],
        outcome=Decision.Outcome.NCND,
        citations=[("24", NCND), ("31", NCND)],
    )
    builders.decide(case, actor=officer, numbers=[3], outcome=Decision.Outcome.NOT_HELD)
    return case


# ---- The NCND caveat in a letter that also answers ----------------------------------------


def test_the_caveat_in_a_mixed_letter_names_the_questions_it_covers(mixed_case, officer):
    letter = builders.draft_letter(mixed_case, actor=officer)

    closing = squash(closing_text(letter))
    assert "Q2" in closing
    assert "any of the information you asked for" not in closing
    assert "caveat-contradicts" not in codes(letter)


def test_the_caveat_covers_the_part_of_a_question_not_confirmed_or_denied(
    catalogue, authority, requester, officer
):
    case = builders.open_case(
        actor=officer, authority=authority, requester=requester, questions=QUESTIONS[:2]
    )
    builders.decide(
        case,
        actor=officer,
        numbers=[1],
        outcome=Decision.Outcome.PROVIDED_IN_PART,
        answer="The force owns 4 drones. We neither confirm nor deny anything further.",
        citations=[("24", NCND)],
    )
    builders.decide(case, actor=officer, numbers=[2], outcome=Decision.Outcome.NOT_HELD)
    letter = builders.draft_letter(case, actor=officer)

    assert "part of Q1" in squash(closing_text(letter))


def test_a_letter_that_neither_confirms_nor_denies_everything_says_so(
    catalogue, authority, requester, officer
):
    letter = builders.response_letter(
        actor=officer,
        authority=authority,
        requester=requester,
        outcome=Decision.Outcome.NCND,
        citations=[("24", NCND)],
    )
    assert "any of the information you asked for" in squash(closing_text(letter))
    assert not errors(letter)


def test_a_caveat_edited_to_cover_everything_in_a_mixed_letter_is_an_error(mixed_case, officer):
    letter = builders.draft_letter(mixed_case, actor=officer)
    builders.edit(
        letter,
        actor=officer,
        texts={
            "closing": "Nothing in this response confirms or denies whether we hold any "
            "of the information you asked for."
        },
    )
    letter.refresh_from_db()

    found = [f for f in checks.letter_findings(letter) if f.code == "caveat-contradicts"]
    assert found and found[0].is_error and found[0].where == "closing"
    assert "Q1" in found[0].message and "Q3" in found[0].message
    with pytest.raises(workflow.TransitionError, match="caveat|confirm"):
        builders.submit(letter, actor=officer)


def test_a_mixed_letter_reads_correctly_in_its_pdf(mixed_case, officer):
    letter = builders.draft_letter(mixed_case, actor=officer)
    assert not errors(letter), errors(letter)

    pdf = letter_pdf.render_letter_pdf(letter, draft=True)
    text = squash(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))

    assert "The force owns 4 drones." in text
    assert "does not hold the information you have asked for" in text
    assert "neither confirm nor deny" in text.lower()
    caveat = re.search(r"Nothing in this response[^.]*\.", text)
    assert caveat, text
    assert "Q2" in caveat.group(0)
    assert "any of the information you asked for" not in text


# ---- Bare exemption statements -------------------------------------------------------------


@pytest.fixture
def no_s22_clauses(catalogue):
    """The library has no wording for section 22 (as it had none when letters went out)."""
    Clause.objects.filter(exemption__regime__code="FOIA", exemption__section="22").delete()


def test_a_provision_without_library_wording_is_named_with_its_subsection(
    no_s22_clauses, authority, requester, officer
):
    letter = builders.response_letter(
        actor=officer,
        authority=authority,
        requester=requester,
        outcome=Decision.Outcome.WITHHELD,
        citations=[("22", WITHHOLD)],
    )
    text = letter_text(letter)
    assert "section 22(1)" in text.lower()
    assert not re.search(r"section 22(?!\()", text, re.I)


def test_a_provision_cited_without_reasons_is_an_error(
    no_s22_clauses, authority, requester, officer
):
    letter = builders.response_letter(
        actor=officer,
        authority=authority,
        requester=requester,
        outcome=Decision.Outcome.WITHHELD,
        citations=[("22", WITHHOLD)],
    )
    found = [f for f in checks.letter_findings(letter) if f.code == "reasons-missing"]
    assert found and found[0].is_error and found[0].row == 4
    assert "22(1)" in found[0].message
    assert not checks.can_submit(letter)


def test_reasons_typed_by_the_officer_satisfy_the_check(
    no_s22_clauses, authority, requester, officer
):
    letter = builders.response_letter(
        actor=officer,
        authority=authority,
        requester=requester,
        outcome=Decision.Outcome.WITHHELD,
        citations=[("22", WITHHOLD)],
    )
    section = letter.sections.get(key=builders.answer_key(letter))
    reasons = next(p for p in section.paragraphs.all() if p.source.endswith(":reasons"))
    builders.save_letter(
        letter,
        actor=officer,
        revision=letter.revision,
        texts={
            reasons.pk: "The annual report with these figures will be published on 1 July, "
            "and it is reasonable to wait for it."
        },
    )
    letter.refresh_from_db()
    assert "reasons-missing" not in codes(letter)


def test_a_section_named_without_its_subsection_is_an_error(
    catalogue, authority, requester, officer
):
    letter = builders.response_letter(
        actor=officer,
        authority=authority,
        requester=requester,
        outcome=Decision.Outcome.WITHHELD,
        citations=[("21", WITHHOLD)],
        slot_values={"where_accessible": "on our website at https://example.org/drones"},
    )
    assert not errors(letter), errors(letter)
    section = letter.sections.get(key=builders.answer_key(letter))
    # The officer rewrites the part and drops the subsection.
    texts = {
        p.pk: re.sub(r"(?i)section 21\(1\)", "section 21", p.text) for p in section.paragraphs.all()
    }
    builders.save_letter(letter, actor=officer, revision=letter.revision, texts=texts)
    letter.refresh_from_db()
    found = [f for f in checks.letter_findings(letter) if f.code == "provision-named"]
    assert found and found[0].is_error
    assert "21(1)" in found[0].message


# ---- Library text that failed to render ----------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '{% include "letters/base.html" %}',
        '{% import "letters/base.html" as base %}',
        '{% extends "letters/base.html" %}',
    ],
)
def test_a_stored_clause_that_cannot_render_does_not_break_drafting_and_blocks_the_letter(
    catalogue, authority, requester, officer, body
):
    new_version("letter-copyright", body, slots=[])

    letter = builders.response_letter(actor=officer, authority=authority, requester=requester)

    assert "could not be used" in closing_text(letter)
    found = [f for f in checks.letter_findings(letter) if f.code == "library-text-broken"]
    assert found and found[0].is_error and found[0].where == "closing"
    with pytest.raises(workflow.TransitionError, match="could not be used"):
        builders.submit(letter, actor=officer)


def test_library_text_that_failed_to_render_blocks_approval(
    catalogue, authority, requester, officer, reviewer
):
    letter = builders.response_letter(actor=officer, authority=authority, requester=requester)
    version = builders.submit(letter, actor=officer)
    # The text now carries the failure marker (as a letter built before the check did).
    paragraph = letter.sections.get(key="closing").paragraphs.first()
    type(paragraph).objects.filter(pk=paragraph.pk).update(
        text="[The library text letter-copyright could not be used: Clause letter-copyright: "
        "no loader for this environment specified]"
    )
    with pytest.raises(workflow.TransitionError, match="could not be used"):
        workflow.approve_letter(letter, actor=reviewer, version_number=version.number)


@pytest.mark.parametrize(
    "body",
    [
        '{% include "letters/base.html" %}',
        '{% import "letters/base.html" as base %}',
        '{% extends "letters/base.html" %}',
        "{% for x in range(100000) %}{% for y in range(100000) %}{% endfor %}{% endfor %}",
    ],
)
def test_the_clause_admin_refuses_a_body_that_cannot_render(client, administrator, catalogue, body):
    client.force_login(administrator)
    data = {
        "code": "letter-test-broken",
        "kind": Clause.Kind.LETTER,
        "mode": "",
        "exemption": "",
        "title": "A broken clause",
        "body": body,
        "slots": "[]",
        "effective_from": timezone.localdate().isoformat(),
    }
    response = client.post(reverse("admin:exemptions_clause_add"), data)

    assert response.status_code == 200
    assert "cannot be used in a letter" in response.content.decode()
    assert not Clause.objects.filter(code="letter-test-broken").exists()


def test_the_clause_admin_refuses_a_revision_that_cannot_render(client, administrator, catalogue):
    client.force_login(administrator)
    clause = Clause.objects.filter(code="letter-copyright").order_by("-version").first()
    response = client.post(
        reverse("admin:exemptions_clause_change", args=[clause.pk]),
        {
            "title": clause.title,
            "body": '{% include "x.html" %}',
            "slots": json.dumps(clause.slots),
            "takes_effect_from": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "cannot be used in a letter" in response.content.decode()
    assert Clause.objects.filter(code="letter-copyright").count() == clause.version


def test_rendering_a_clause_has_a_time_limit(catalogue, monkeypatch):
    monkeypatch.setattr(clause_rendering, "RENDER_TIME_LIMIT_SECONDS", -1.0)  # already past
    with pytest.raises(clause_rendering.ClauseTemplateError, match="longer than"):
        clause_rendering.render_clause_text(
            "letter-x", "Hello {{ name }}.", ["name"], {"name": "a"}
        )


# ---- The case subject ----------------------------------------------------------------------


def test_the_case_subject_is_not_put_into_legal_reasoning(catalogue, authority, requester, officer):
    case = builders.open_case(
        actor=officer,
        authority=authority,
        requester=requester,
        subject="Drone FOI - urgent, chase Pat",
    )
    builders.decide(case, actor=officer, outcome=Decision.Outcome.NCND, citations=[("24", NCND)])
    letter = builders.assemble_letter(case, actor=officer)

    assert "chase Pat" not in letter_text(letter)
    assert "subject" in {slot.name for slot in builders.required_slots(letter)}
    # Until the officer says what the letter should call the information, it is a problem.
    assert "slot-unfilled" in codes(letter)

    builders.fill_slots(letter, actor=officer, values={"subject": "the use of drones"})
    letter.refresh_from_db()
    assert "the use of drones" in letter_text(letter)
    assert "chase Pat" not in letter_text(letter)


def test_the_subject_can_be_changed_after_logging_and_the_change_is_recorded(
    client, catalogue, authority, requester, officer
):
    case = builders.open_case(actor=officer, authority=authority, requester=requester)
    client.force_login(officer)
    url = reverse("case_request", args=[case.pk])
    page = client.get(url)
    assert 'name="subject"' in page.content.decode()

    question = case.questions.get()
    response = client.post(
        url,
        {
            "action": "save",
            "revision": case.revision,
            "subject": "Police drones",
            "scope": "",
            "prioritisation_note": "",
            "searches": case.searches,
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "1",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
            "questions-0-question_id": question.pk,
            "questions-0-text": question.text,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.subject == "Police drones"
    event = case.events.filter(action=CaseEvent.Action.REQUEST_UPDATED).last()
    assert event.details["fields"]["subject"] == {
        "before": builders.SUBJECT,
        "after": "Police drones",
    }


def test_the_subject_cannot_be_emptied(client, catalogue, authority, requester, officer):
    case = builders.open_case(actor=officer, authority=authority, requester=requester)
    with pytest.raises(ValueError, match="subject"):
        builders.save_request(
            case,
            actor=officer,
            revision=case.revision,
            questions=[builders.QuestionDraft(q.text, q.pk) for q in case.questions.all()],
            subject="  ",
        )


# ---- Small slips ---------------------------------------------------------------------------


def test_one_hour_is_printed_in_the_singular(catalogue, authority, requester, officer):
    case = builders.open_case(actor=officer, authority=authority, requester=requester)
    estimate = decisions.cost_estimate_from_hours({"determining": 1, "locating": 30})
    builders.decide(
        case, actor=officer, outcome=Decision.Outcome.COST_LIMIT, cost_estimate=estimate
    )
    letter = builders.assemble_letter(case, actor=officer)
    text = letter_text(letter)

    assert "Determining whether the information is held: 1 hour\n" in text
    assert "Locating the information: 30 hours" in text
    assert not re.search(r"\b1 hours\b", text)

    small = decisions.cost_estimate_from_hours({"locating": 1})
    decision = case.decisions.get()
    builders.save_decision(
        case,
        actor=officer,
        questions=case.questions.all(),
        outcome=Decision.Outcome.COST_LIMIT,
        cost_estimate=small,
        decision=decision,
        revision=decision.revision,
    )
    messages = [f.message for f in checks.case_findings(case)]
    assert any("estimate of 1 hour does not exceed" in m for m in messages), messages


def test_a_one_day_extension_is_printed_in_the_singular(catalogue, authority):
    from responses import deadlines

    explanation = deadlines.explain_deadline(timezone.localdate(), "FOIA", extension_days=1)
    assert any("1 further working day." in effect.text for effect in explanation.events)
