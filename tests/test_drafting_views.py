"""The officer's drafting pages through the browser's eyes: decisions, the letter editor,
preview and draft PDF; the reviewer's read-only view; conflicts and bad input."""

import io

import pytest
from django.urls import reverse

from exemptions.models import Exemption
from responses import checks
from responses.drafting import decisions, editing, wording
from responses.models import CaseEvent, Decision, Letter, LetterParagraph
from tests.conftest import linked_styles
from tests.test_letter_assembly import decide, make_case


@pytest.fixture
def case(catalogue, authority, requester, officer):
    return make_case(officer, authority, requester)


@pytest.fixture
def letter(case, officer):
    decide(
        case, officer, [1, 2], Decision.Outcome.NCND, [("24", "ncnd")], answer="Not used overtly."
    )
    decide(case, officer, [3], Decision.Outcome.NCND, [("27(1)", "ncnd")])
    return editing.assemble_letter(case, actor=officer)


def exemption_pk(section):
    return Exemption.objects.get(regime__code="FOIA", section=section).pk


def editor_data(letter, **changes):
    """What the editor form posts when nothing has been touched, plus ``changes``."""
    letter.refresh_from_db()
    data = {"revision": letter.revision}
    for paragraph in LetterParagraph.objects.filter(section__letter=letter):
        data[f"p-{paragraph.pk}"] = paragraph.text
        data[f"p-{paragraph.pk}-section"] = paragraph.section.key
    data.update(changes)
    return data


def intro(letter):
    return LetterParagraph.objects.get(section__letter=letter, source="request:intro")


# ----------------------------------------------------------------- decisions


def test_officer_adds_a_decision_with_ncnd_citations(client, case, officer):
    client.force_login(officer)
    questions = list(case.questions.all())
    response = client.post(
        reverse("decision_add", args=[case.pk]),
        {
            "questions": [questions[0].pk, questions[1].pk],
            "outcome": "ncnd",
            "answer": "We do not use it overtly.",
            "ncnd_exemptions": [exemption_pk("23"), exemption_pk("24")],
            "action": "save",
        },
    )
    assert response.status_code == 302
    decision = case.decisions.get()
    assert [c.provision for c in decision.citations.all()] == ["23(5)", "24(2)"]
    page = client.get(reverse("case_drafting", args=[case.pk])).content.decode()
    assert "Q1 &amp; 2" in page and "Section 24(2)" in page and "Q3 has no decision yet." in page
    assert CaseEvent.objects.filter(case=case, action="decision_added").exists()


def test_decisions_are_listed_in_question_order_with_everything_the_letter_will_use(
    client, case, officer
):
    decide(
        case,
        officer,
        [3],
        Decision.Outcome.WITHHELD,
        [("21", "withhold")],
        signpost="on our website at https://www.example.gov.uk/contracts",
    )
    decide(
        case,
        officer,
        [1],
        Decision.Outcome.NOT_HELD,
        advice="Our estates team may hold the leases; you could ask them.",
    )
    client.force_login(officer)

    page = client.get(reverse("case_drafting", args=[case.pk])).content.decode()

    assert page.index(">Q1<") < page.index(">Q3<")  # made second, printed first
    assert "Section 21(1) (withhold)" in page
    assert "on our website at https://www.example.gov.uk/contracts" in page
    assert "Our estates team may hold the leases; you could ask them." in page


def test_ncnd_under_an_exemption_without_ncnd_provision_is_a_clear_error(client, case, officer):
    client.force_login(officer)
    response = client.post(
        reverse("decision_add", args=[case.pk]),
        {
            "questions": [case.questions.first().pk],
            "outcome": "ncnd",
            "answer": "Kept <b>text</b>",
            "ncnd_exemptions": [exemption_pk("21")],
            "action": "save",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "You cannot neither confirm nor deny under section 21" in page
    assert "Kept &lt;b&gt;text&lt;/b&gt;" in page  # the officer's input is still there
    assert not case.decisions.exists()


def test_table_pasted_from_a_spreadsheet_is_previewed(client, case, officer):
    client.force_login(officer)
    response = client.post(
        reverse("decision_add", args=[case.pk]),
        {
            "questions": [case.questions.first().pk],
            "outcome": "provided",
            "table": "Year\tArrests\r\n2024\t1,204\r\n2025\t<i>1,310</i>\r\n",
            "action": "preview",
        },
    )
    page = response.content.decode()
    assert '<th scope="col" class="govuk-table__header">Arrests</th>' in page
    assert "&lt;i&gt;1,310&lt;/i&gt;" in page
    assert not case.decisions.exists()  # a preview saves nothing


def test_a_pasted_cell_with_a_line_break_is_one_cell_on_two_lines(client, case, officer):
    client.force_login(officer)
    response = client.post(
        reverse("decision_add", args=[case.pk]),
        {
            "questions": [case.questions.first().pk],
            "outcome": "provided",
            "table": 'Force\tNotes\r\nWestshire\t"Two vans\r\nOne <b>camera</b>"\r\n',
            "action": "preview",
        },
    )
    page = response.content.decode()
    assert '<td class="govuk-table__cell">Two vans<br>One &lt;b&gt;camera&lt;/b&gt;</td>' in page


def test_cost_limit_decision_needs_an_estimate(client, case, officer):
    client.force_login(officer)
    response = client.post(
        reverse("decision_add", args=[case.pk]),
        {"questions": [case.questions.first().pk], "outcome": "cost_limit", "action": "save"},
    )
    assert "Enter the hours estimated for at least one activity" in response.content.decode()
    response = client.post(
        reverse("decision_add", args=[case.pk]),
        {
            "questions": [case.questions.first().pk],
            "outcome": "cost_limit",
            "hours_locating": "20",
            "hours_extracting": "4.5",
            "advice": "Narrow it to one year.",
            "action": "save",
        },
    )
    assert response.status_code == 302
    assert wording.cost_total(case.decisions.get()) == 24.5


def test_officer_edits_and_deletes_a_decision(client, letter, officer):
    client.force_login(officer)
    decision = letter.case.decisions.first()
    page = client.get(reverse("decision_edit", args=[decision.pk])).content.decode()
    assert "Not used overtly." in page
    response = client.post(reverse("decision_delete", args=[decision.pk]))
    assert response.status_code == 302
    assert not Decision.objects.filter(pk=decision.pk).exists()


# ----------------------------------------------------------------- letters


def test_officer_creates_and_edits_a_letter(client, case, officer):
    decide(case, officer, [1, 2, 3], Decision.Outcome.NCND, [("27(1)", "ncnd")])
    client.force_login(officer)
    response = client.post(reverse("letter_create", args=[case.pk, "response"]))
    letter = case.letters.get()
    assert response.url == reverse("letter_edit", args=[letter.pk])
    page = client.get(response.url).content.decode()
    assert "Q1, 2 &amp; 3" in page
    assert "govuk-error-summary" in page
    assert "Fill in &#x27;The other State&#x27; (used in section 27(4) harm)" in page
    assert 'name="slot-foreign_state"' in page
    response = client.post(
        response.url,
        editor_data(
            letter,
            **{
                "slot-subject": "the use of facial recognition",
                "slot-foreign_state": "Ruritania",
                "slot-departments_consulted": "CID",
            },
        ),
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.slot_values["foreign_state"] == "Ruritania"
    assert checks.can_submit(letter)
    # A second click on "Draft: Response" goes back to the same draft.
    again = client.post(reverse("letter_create", args=[case.pk, "response"]))
    assert again.url == reverse("letter_edit", args=[letter.pk]) and case.letters.count() == 1


def test_structural_buttons_save_the_text_too(client, letter, officer):
    client.force_login(officer)
    closing = letter.sections.get(key="closing")
    response = client.post(
        reverse("letter_edit", args=[letter.pk]),
        editor_data(letter, **{f"p-{intro(letter).pk}": "Hello.", "op": f"add:{closing.pk}:0"}),
    )
    assert response.status_code == 302 and response.url.endswith("#closing")
    assert intro(letter).text == "Hello."
    assert closing.paragraphs.first().clause is None


def test_other_letters_can_be_created(client, case, officer):
    client.force_login(officer)
    for kind in ["acknowledgement", "clarification", "extension"]:
        response = client.post(reverse("letter_create", args=[case.pk, kind]))
        assert response.status_code == 302
    assert sorted(case.letters.values_list("kind", flat=True)) == [
        "acknowledgement",
        "clarification",
        "extension",
    ]
    assert client.post(reverse("letter_create", args=[case.pk, "nonsense"])).status_code == 404


def test_escaping_of_html_and_template_syntax_in_preview(client, letter, officer):
    client.force_login(officer)
    typed = "<script>alert(1)</script> {{ 7*7 }} {% if 1 %}x{% endif %}"
    client.post(
        reverse("letter_edit", args=[letter.pk]),
        editor_data(
            letter, **{f"p-{intro(letter).pk}": typed, "slot-foreign_state": "<b>{{ 7*7 }}</b>"}
        ),
    )
    response = client.get(reverse("letter_preview", args=[letter.pk]))
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "{% if 1 %}x{% endif %}" in html
    assert "<script>alert(1)" not in html
    assert "&lt;b&gt;{{ 7*7 }}&lt;/b&gt;" in html
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy  # no script may run
    # The editor shows the text back literally too.
    page = client.get(reverse("letter_edit", args=[letter.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in page


def test_live_preview_shows_unsaved_text_and_saves_nothing(client, letter, officer):
    client.force_login(officer)
    before = letter.revision
    response = client.post(
        reverse("letter_preview", args=[letter.pk]),
        editor_data(letter, **{f"p-{intro(letter).pk}": "Unsaved <em>words</em>"}),
        HTTP_HX_REQUEST="true",
    )
    fragment = response.content.decode()
    assert "<iframe" in fragment and "sandbox" in fragment and "srcdoc=" in fragment
    # Escaped once by the letter renderer, and once more to sit in the srcdoc attribute.
    assert "Unsaved &amp;lt;em&amp;gt;words&amp;lt;/em&amp;gt;" in fragment
    letter.refresh_from_db()
    assert letter.revision == before
    assert intro(letter).text != "Unsaved <em>words</em>"


def test_preview_button_works_without_javascript(client, letter, officer):
    client.force_login(officer)
    response = client.post(
        reverse("letter_edit", args=[letter.pk]),
        editor_data(letter, **{f"p-{intro(letter).pk}": "Previewed only", "action": "preview"}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "srcdoc=" in page and "Previewed only" in page
    assert intro(letter).text != "Previewed only"


@pytest.mark.slow
def test_draft_pdf_download(client, letter, officer):
    from pypdf import PdfReader

    client.force_login(officer)
    typed = "Literal <script>alert(1)</script> and {{ 7*7 }}"
    client.post(
        reverse("letter_edit", args=[letter.pk]),
        editor_data(letter, **{f"p-{intro(letter).pk}": typed}),
    )
    response = client.get(reverse("letter_pdf", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="FOI-2026-000001-response-DRAFT.pdf"'
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "DRAFT" in text
    flat = " ".join(text.split())
    assert "Literal <script>alert(1)</script> and {{ 7*7 }}" in flat


def test_over_limit_text_is_refused_and_kept(client, letter, officer):
    client.force_login(officer)
    long_text = "word " * 4001  # 20,005 characters
    paragraph = intro(letter)
    response = client.post(
        reverse("letter_edit", args=[letter.pk]),
        editor_data(letter, **{f"p-{paragraph.pk}": long_text}),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "This paragraph is too long: the limit is 20,000 characters (it has 20,005)" in page
    assert long_text in page
    paragraph.refresh_from_db()
    assert paragraph.text != long_text


def test_stale_save_shows_both_versions_and_loses_nothing(client, letter, officer, second_officer):
    client.force_login(officer)
    mine = editor_data(letter, **{f"p-{intro(letter).pk}": "My wording."})
    # Meanwhile the second officer saves the same paragraph.
    editing.save_letter(
        letter,
        actor=second_officer,
        revision=letter.revision,
        texts={intro(letter).pk: "Their wording."},
    )
    response = client.post(reverse("letter_edit", args=[letter.pk]), mine)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this letter" in page
    assert "Their wording." in page and "My wording." in page
    assert intro(letter).text == "Their wording."
    # Saving from the conflict page (which carries the new revision) keeps mine.
    letter.refresh_from_db()
    data = {key: value for key, value in mine.items()}
    data["revision"] = letter.revision
    response = client.post(reverse("letter_edit", args=[letter.pk]), data)
    assert response.status_code == 302
    assert intro(letter).text == "My wording."


def test_rebuild_button(client, letter, officer):
    client.force_login(officer)
    case = letter.case
    decision = case.decisions.get(questions__number=3)
    decisions.save_decision(
        case,
        actor=officer,
        decision=decision,
        revision=decision.revision,
        questions=[case.questions.get(number=3)],
        outcome=Decision.Outcome.NCND,
        citations=[(Exemption.objects.get(regime__code="FOIA", section="31"), "ncnd")],
    )
    assert (
        "The decisions have changed"
        in client.get(reverse("letter_edit", args=[letter.pk])).content.decode()
    )
    response = client.post(
        reverse("letter_edit", args=[letter.pk]), editor_data(letter, action="rebuild")
    )
    assert response.status_code == 302
    assert letter.sections.filter(key=f"pit-{exemption_pk('31')}-ncnd-favouring").exists()


# ----------------------------------------------------------------- permissions


def test_reviewer_reads_but_cannot_change(client, letter, reviewer):
    client.force_login(reviewer)
    case = letter.case
    page = client.get(reverse("letter_edit", args=[letter.pk]))
    assert page.status_code == 200
    assert "<textarea" not in page.content.decode()
    assert client.get(reverse("letter_preview", args=[letter.pk])).status_code == 200
    decision = case.decisions.first()
    forbidden = [
        reverse("letter_edit", args=[letter.pk]),
        reverse("letter_preview", args=[letter.pk]),
        reverse("letter_create", args=[case.pk, "response"]),
        reverse("decision_add", args=[case.pk]),
        reverse("decision_edit", args=[decision.pk]),
        reverse("decision_delete", args=[decision.pk]),
    ]
    for url in forbidden:
        assert client.post(url, editor_data(letter)).status_code == 403, url
    letter.refresh_from_db()
    assert letter.revision == 1
    assert Letter.objects.count() == 1


def test_officer_writes_a_subheading_and_the_editor_says_how(client, letter, officer, reviewer):
    client.force_login(officer)
    page = client.get(reverse("letter_edit", args=[letter.pk])).content.decode()
    assert "How to format a paragraph" in page and "<code>## </code>" in page
    paragraph = intro(letter)
    client.post(
        reverse("letter_edit", args=[letter.pk]),
        editor_data(letter, **{f"p-{paragraph.pk}": "## Background\n\nWe were asked before."}),
    )
    preview = client.get(reverse("letter_preview", args=[letter.pk])).content.decode()
    assert "<h3>Background</h3>" in preview and "## Background" not in preview
    client.force_login(reviewer)
    assert (
        "How to format a paragraph"
        not in client.get(reverse("letter_edit", args=[letter.pk])).content.decode()
    )


def test_outsider_sees_nothing(client, letter, outsider):
    client.force_login(outsider)
    assert client.get(reverse("letter_edit", args=[letter.pk])).status_code == 403
    assert client.get(reverse("letter_pdf", args=[letter.pk])).status_code == 403


def test_editor_draws_the_preview_at_sheet_width_scaled_to_its_column(client, letter, officer):
    """The A4 sheet (about 830px) used to be cut off at the right of a 465px preview column.
    Now the frame is drawn at the sheet's width and scaled down; tests/e2e checks the result
    in a real browser."""
    client.force_login(officer)
    page = client.get(reverse("letter_edit", args=[letter.pk])).content.decode()
    assert '<div id="preview" aria-live="polite">' in page
    assert 'class="app-letter-preview"' in page
    assert "width: 830px" in linked_styles(page)
    assert "transform: scale(var(--app-preview-scale))" in linked_styles(page)


def test_editor_sizes_paragraph_boxes_to_their_text(client, letter, officer):
    """Library paragraphs run to many lines; a fixed five-line box hid most of each one."""
    client.force_login(officer)
    page = client.get(reverse("letter_edit", args=[letter.pk])).content.decode()
    assert ".app-paragraph .govuk-textarea { field-sizing: content;" in linked_styles(page)
    assert '<div class="app-paragraph' in page


def test_two_officers_editing_one_decision_do_not_overwrite_each_other(
    client, catalogue, authority, requester, officer, second_officer
):
    from responses import workflow
    from responses.models import Decision

    case = workflow.open_case(
        actor=officer,
        authority=authority,
        regime=authority.default_regime,
        requester=requester,
        questions=["How many drones?"],
        request_text="How many drones?",
    )
    decision = Decision.objects.create(case=case, outcome="not_held", answer="None recorded.")
    decision.questions.set(case.questions.all())
    url = f"/decisions/{decision.pk}/"
    question = case.questions.get().pk

    def save(user, answer, revision):
        client.force_login(user)
        return client.post(
            url,
            {
                "questions": [question],
                "outcome": "provided",
                "answer": answer,
                "revision": revision,
                "action": "save",
            },
        )

    assert save(officer, "We own four drones.", 1).status_code == 302
    conflict = save(second_officer, "We own five drones.", 1)
    page = conflict.content.decode()
    assert "Someone else changed this decision" in page
    assert "We own four drones." in page  # theirs, shown
    assert "We own five drones." in page  # yours, kept in the form
    decision.refresh_from_db()
    assert decision.answer == "We own four drones."
    assert save(second_officer, "We own five drones.", 2).status_code == 302
    decision.refresh_from_db()
    assert decision.answer == "We own five drones." and decision.revision == 3
