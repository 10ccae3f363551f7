"""Letter layouts: today's sections, question by question, and a cover letter with a
schedule; an optional summary of every question's outcome. Same data, checks, pipeline."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from exemptions.models import Clause, Exemption
from responses import diffing, publishing, workflow
from responses.drafting import editing
from responses.models import CaseEvent, Decision, Letter
from responses.rendering.context import decision_data
from responses.rendering.html import render_letter_html
from responses.rendering.pdf import render_letter_pdf
from tests import builders
from tests.builders import NCND, WITHHOLD, decide, draft_letter, findings, open_case

Outcome = Decision.Outcome
Layout = Letter.Layout

QUESTIONS = [
    "Please send the policy on the use of drones.",
    "How many drone flights took place over the park in 2024?",
    "Do you hold any intelligence about drone smuggling into the prison?",
    "Please send the tender documents for the new drone contract.",
]
ANSWER = "The policy on the use of drones is enclosed with this letter."


def letter_text(letter):
    html = render_letter_html(letter, draft=True)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text.replace("&amp;", "&").replace("&#34;", '"'))


@pytest.fixture
def case(catalogue, authority, requester, officer):
    case = open_case(actor=officer, authority=authority, requester=requester, questions=QUESTIONS)
    decide(case, actor=officer, numbers=[1], outcome=Outcome.PROVIDED, answer=ANSWER)
    decide(case, actor=officer, numbers=[2], outcome=Outcome.NOT_HELD)
    decide(case, actor=officer, numbers=[3], outcome=Outcome.NCND, citations=[("31", NCND)])
    decide(
        case, actor=officer, numbers=[4], outcome=Outcome.WITHHELD, citations=[("43(2)", WITHHOLD)]
    )
    return case


def laid_out(letter, officer, layout, summary=False):
    letter.refresh_from_db()
    return editing.change_layout(
        letter,
        actor=officer,
        revision=letter.revision,
        layout=layout,
        include_outcome_summary=summary,
    )


def statement_text(letter, section):
    """The library's refusal statement for the 43(2) withholding, as planned."""
    exemption = Exemption.objects.get(regime=letter.case.regime, section=section)
    decision = letter.case.decisions.get(citations__exemption=exemption)
    paragraphs = letter.sections.get(key=f"decision-{decision.pk}").paragraphs.all()
    return next(
        p.text for p in paragraphs if p.clause and p.clause.kind == Clause.Kind.REFUSAL_STATEMENT
    )


def first_sentence(text):
    return re.sub(r"\s+", " ", text.strip()).split(". ")[0]


@pytest.mark.parametrize("layout", Layout.values)
def test_each_layout_has_every_question_once_in_order_and_reasons_once(case, officer, layout):
    letter = laid_out(draft_letter(case, actor=officer), officer, layout)
    text = letter_text(letter)
    positions = [text.index(question) for question in QUESTIONS]
    assert positions == sorted(positions)
    for question in QUESTIONS:
        assert text.count(question) == 1, question
    assert ANSWER in text
    assert "does not hold the information you have asked for" in text
    reasons = first_sentence(statement_text(letter, "43(2)"))
    assert text.count(reasons) == 1
    assert not findings(letter), findings(letter)


def test_question_by_question_quotes_each_question_before_its_answer(case, officer):
    letter = laid_out(draft_letter(case, actor=officer), officer, Layout.QUESTIONS)
    text = letter_text(letter)
    for number in range(1, 5):
        assert f"Question {number} You asked:" in text
    q1 = text.index("Question 1 You asked:")
    assert q1 < text.index(QUESTIONS[0]) < text.index("Our response:", q1) < text.index(ANSWER)
    assert text.index(ANSWER) < text.index("Question 2 You asked:")


def test_cover_letter_puts_the_reasons_in_a_schedule_after_the_rights(case, officer):
    letter = laid_out(draft_letter(case, actor=officer), officer, Layout.COVER)
    text = letter_text(letter)
    html = render_letter_html(letter, draft=True)
    assert "Schedule: reasons for our decision" in text
    schedule = text.index("Schedule: reasons for our decision")
    rights = text.index("Further information and your rights")
    assert text.index("Our response") < rights < text.index("Yours sincerely") < schedule
    assert "this letter is a refusal notice under section 17" in text
    assert text.index("The schedule at the end of this letter") < rights
    # Every reason is in the schedule, not the cover letter.
    assert text.index(first_sentence(statement_text(letter, "43(2)"))) > schedule
    assert '<div class="letter-schedule">' in html
    # The cover letter states each question's outcome in a sentence of the table.
    assert "Question 2 information not held" in text
    assert "Question 4 withheld, section 43(2)" in text


def test_the_summary_lists_every_question_in_any_layout(case, officer):
    for layout in (Layout.SECTIONS, Layout.QUESTIONS):
        letter = laid_out(draft_letter(case, actor=officer), officer, layout, summary=True)
        text = letter_text(letter)
        assert "Summary of our response" in text
        summary = text[text.index("Summary of our response") :]
        assert "Question 1 information provided" in summary
        assert "Question 2 information not held" in summary
        assert "Question 3 we neither confirm nor deny that we hold it, section 31" in summary
        assert "Question 4 withheld, section 43(2)" in summary
    letter = laid_out(letter, officer, Layout.SECTIONS, summary=False)
    assert "Summary of our response" not in letter_text(letter)


def test_switching_layout_keeps_an_edited_paragraph_and_is_in_the_history(case, officer):
    letter = draft_letter(case, actor=officer)
    key = f"decision-{case.decisions.get(outcome=Outcome.PROVIDED).pk}"
    builders.edit(letter, actor=officer, texts={key: "Our own words about the drone policy."})
    for layout in (Layout.QUESTIONS, Layout.COVER, Layout.SECTIONS):
        letter = laid_out(letter, officer, layout)
        assert letter.layout == layout
        assert "Our own words about the drone policy." in letter_text(letter)
        assert ANSWER not in letter_text(letter)
    events = CaseEvent.objects.filter(case=case, action=CaseEvent.Action.LETTER_SAVED)
    layouts = [e.details.get("layout") for e in events if e.details.get("operation") == "layout"]
    assert layouts == [Layout.QUESTIONS, Layout.COVER, Layout.SECTIONS]


@pytest.mark.parametrize("layout", Layout.values)
def test_checks_still_fire_in_each_layout(case, officer, layout):
    letter = laid_out(draft_letter(case, actor=officer), officer, layout)
    harm = letter.sections.get(key="harm")
    harm.paragraphs.all().delete()
    assert any("harm" in message.lower() for message in findings(letter))


def test_new_letters_keep_the_sections_layout(case, officer):
    letter = draft_letter(case, actor=officer)
    assert letter.layout == Layout.SECTIONS
    assert "Schedule" not in letter_text(letter)
    assert "Question 1 You asked:" not in letter_text(letter)


def test_a_submitted_version_freezes_the_layout_and_the_diff_shows_a_change(
    case, officer, reviewer
):
    letter = draft_letter(case, actor=officer)
    first = builders.submit(letter, actor=officer)
    assert first.layout == Layout.SECTIONS
    workflow.return_letter(
        letter, actor=reviewer, version_number=first.number, comment="Please use a cover letter."
    )
    letter.refresh_from_db()
    letter = laid_out(letter, officer, Layout.COVER)
    second = builders.submit(letter, actor=officer)
    assert second.layout == Layout.COVER
    diffs = {d.key: d for d in diffing.diff_versions(first, second)}
    assert diffs["layout"].status == "changed"
    assert "Cover letter" in str(diffs["layout"].html)
    assert diffs["cover"].status == "added"


def editor_data(letter, **changes):
    letter.refresh_from_db()
    data = {"revision": letter.revision, "action": "save"}
    for section in letter.sections.all():
        for paragraph in section.paragraphs.all():
            data[f"p-{paragraph.pk}"] = paragraph.text
            data[f"p-{paragraph.pk}-section"] = section.key
    data.update(changes)
    return data


def test_the_officer_chooses_a_layout_in_the_editor(client, case, officer):
    letter = draft_letter(case, actor=officer)
    client.force_login(officer)
    url = reverse("letter_edit", args=[letter.pk])
    page = client.get(url).content.decode()
    assert 'name="layout" type="radio" value="sections" checked' in page
    response = client.post(url, editor_data(letter, layout="cover", include_outcome_summary="on"))
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.layout, letter.include_outcome_summary) == (Layout.COVER, True)
    assert letter.sections.filter(key="cover").exists()
    page = client.get(url).content.decode()
    assert 'name="layout" type="radio" value="cover" checked' in page
    preview = client.get(reverse("letter_preview", args=[letter.pk]))
    assert "Schedule: reasons for our decision" in preview.content.decode()
    # Saving without touching the layout leaves it alone.
    client.post(url, editor_data(letter, layout="cover", include_outcome_summary="on"))
    layout_saves = CaseEvent.objects.filter(
        case=case, action=CaseEvent.Action.LETTER_SAVED, details__operation="layout"
    )
    assert layout_saves.count() == 1


def test_letters_that_do_not_answer_questions_offer_no_layout(client, case, officer):
    letter = draft_letter(case, actor=officer, kind=Letter.Kind.ACKNOWLEDGEMENT)
    client.force_login(officer)
    page = client.get(reverse("letter_edit", args=[letter.pk])).content.decode()
    assert 'name="layout"' not in page


def test_the_cover_letter_pdf_starts_the_schedule_on_a_new_page(case, officer):
    letter = laid_out(draft_letter(case, actor=officer), officer, Layout.COVER)
    reader = PdfReader(io.BytesIO(render_letter_pdf(letter, draft=True)))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    starts = [i for i, text in enumerate(pages) if "Schedule: reasons for our decision" in text]
    signed = [i for i, text in enumerate(pages) if "Yours sincerely" in text]
    assert starts and signed and starts[0] > signed[0]
    assert pages[starts[0]].startswith("Schedule: reasons for our decision") or (
        "Yours sincerely" not in pages[starts[0]]
    )


def test_the_public_copy_and_decision_json_keep_the_schedule(case, officer):
    letter = laid_out(draft_letter(case, actor=officer), officer, Layout.COVER)
    public = publishing.preview(letter)
    assert "Schedule: reasons for our decision" in public.body_html
    assert "Further information and your rights" in public.body_html
    data = decision_data(letter, draft=False)
    assert [d["questions"] for d in data["decisions"]] == [[1], [2], [3], [4]]
