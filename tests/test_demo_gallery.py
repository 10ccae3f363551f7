"""`load_demo` builds a gallery of example cases, one per outcome and letter kind, each with
a letter the app assembled itself from decisions; the checks find no error in any of them."""

import html
import re

import pytest
from django.core.management import call_command

from responses import checks
from responses.demo_gallery import EXAMPLES, PREFIX
from responses.models import Case, CaseEvent, Letter
from responses.rendering.html import render_letter_html

pytest_plugins = ["tests.review_fixtures"]


@pytest.fixture
def gallery(catalogue, monkeypatch, capsys, fake_renderer):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-for-tests")
    call_command("load_demo")
    capsys.readouterr()
    return {case.reference: case for case in Case.objects.filter(reference__startswith=PREFIX)}


def current_letter(case):
    return case.letters.order_by("-created_at", "-pk").first()


def text_of(letter):
    page = render_letter_html(letter, draft=letter.status != Letter.Status.ISSUED)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def letter_of(gallery, number):
    case = gallery[f"{PREFIX}/{number:02d}"]
    return current_letter(case)


def test_every_example_is_built_once_and_running_again_adds_nothing(gallery):
    assert len(gallery) == len(EXAMPLES)
    assert all(case.subject.startswith("Example: ") for case in gallery.values())
    cases, events = Case.objects.count(), CaseEvent.objects.count()
    call_command("load_demo")
    assert (Case.objects.count(), CaseEvent.objects.count()) == (cases, events)


def test_every_gallery_letter_says_its_situation_and_has_no_error(gallery):
    texts = {}
    for example in EXAMPLES:
        case = gallery[example.reference]
        if case.closed_without_letter:
            continue
        letter = current_letter(case)
        assert letter is not None, example.subject
        errors = [f.message for f in checks.letter_findings(letter) if f.is_error]
        assert errors == [], (example.reference, errors)
        texts[example.number] = text_of(letter)

    assert "neither confirm nor deny" in texts[5] and "section 23(5)" in texts[5]
    assert "section 24(2)" in texts[5]
    assert "section 31(3)" in texts[6]
    assert "section 12" in texts[8] and "we cannot confirm that this is all" in texts[8]
    assert "We have nonetheless chosen to answer Q1 & 3" in texts[9]
    assert "section 14(1)" in texts[10]
    assert "section 14(2)" in texts[11]
    assert "https://westshire-police.example/ethics-panel" in texts[12]
    assert "section 40(2)" in texts[12]
    assert "40(5A)" in texts[13] and "subject access" in texts[13]
    assert (
        "Not recorded: we do not record this information" in texts[14]
        and "31 March 2025" in texts[14]
    )
    foisa = texts[23]
    assert "section 38(1)(b)" in foisa and "section 30(b)(i)" in foisa
    assert "Freedom of Information Act 2000" not in foisa
    eir = texts[22]
    assert "regulation 12(5)(a)" in eir and "exception" in eir and "exemption" not in eir
    assert "regulation 12(4)(e)" in eir and "regulation 12(2)" in eir
    assert "presumption in favour of disclosure" in eir
    by_question = texts[27]
    assert by_question.index("Summary of our response") < by_question.index("You asked:")
    assert "information not held" in by_question and "Question 3" in by_question
    cover = texts[28]
    assert "Summary of our response" in cover  # the cover letter always opens with it
    letter_part, schedule = cover.split("Schedule: reasons for our decision")
    assert "Information Commissioner" in letter_part  # rights in the short letter
    assert "public interest" in schedule and "section 31" in schedule  # reasons at the end
    assert "Environmental Information Regulations" in texts[21]


def test_letter_kinds_and_closures(gallery):
    kinds = {n: letter_of(gallery, n).kind for n in (15, 16, 17)}
    assert kinds == {
        15: Letter.Kind.ACKNOWLEDGEMENT,
        16: Letter.Kind.CLARIFICATION,
        17: Letter.Kind.EXTENSION,
    }
    review = gallery[f"{PREFIX}/18"].internal_reviews.get()
    outcome = current_letter(review)
    assert outcome.kind == Letter.Kind.REVIEW_OUTCOME
    assert [f.finding for f in outcome.review_outcome.findings.all()] == ["upheld", "overturned"]
    fresh = letter_of(gallery, 19)
    assert fresh.kind == Letter.Kind.FRESH_RESPONSE
    assert "section 14(1)" in text_of(fresh)
    correction = letter_of(gallery, 20)
    assert correction.corrects is not None and correction.corrects.status == Letter.Status.ISSUED
    assert "This letter corrects our letter of" in text_of(correction)
    statuses = {n: gallery[f"{PREFIX}/{n}"].status for n in (24, 25, 26)}
    assert statuses == {
        24: Case.Status.WITHDRAWN,
        25: Case.Status.LAPSED,
        26: Case.Status.DUPLICATE,
    }


def test_render_letter_all_writes_a_pdf_per_gallery_case(gallery, tmp_path):
    call_command("render_letter", "--all", "-o", str(tmp_path))
    for example in EXAMPLES:
        case = gallery[example.reference]
        path = tmp_path / (example.reference.replace("/", "-") + ".pdf")
        if case.closed_without_letter:
            assert not path.exists()
            continue
        assert path.read_bytes().startswith(b"%PDF"), example.reference
