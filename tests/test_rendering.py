"""Letters rendered as the officer previews them (HTML) and as the requester gets them (PDF)."""

import io
import json
import re
import time

import pytest
from django.core.management import CommandError, call_command
from PIL import Image
from pypdf import PdfReader

from responses import isolated_render
from responses.models import Letter
from responses.rendering import RenderError
from responses.rendering import html as letter_html
from responses.rendering import pdf as letter_pdf
from tests.letter_samples import NCND_SECTIONS, add_sections, long_table_letter, ncnd_letter

pytestmark = pytest.mark.django_db

HEADINGS = [heading for _, heading, _ in NCND_SECTIONS]


def pdf_pages_text(pdf_bytes):
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages]


def embedded_font_names(pdf_bytes):
    names = set()

    def collect(resources):
        resources = resources.get_object() if resources else {}
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
        for xobject in (resources.get("/XObject") or {}).values():
            collect(xobject.get_object().get("/Resources"))

    for page in PdfReader(io.BytesIO(pdf_bytes)).pages:
        collect(page.get("/Resources"))
    return names


def squash(text):
    """Text as a reader sees it, whatever line breaks the layout chose."""
    return re.sub(r"\s+", " ", text)


def in_order(text, needles):
    positions = [text.find(needle) for needle in needles]
    return -1 not in positions and positions == sorted(positions)


@pytest.fixture
def letter(authority, requester):
    return ncnd_letter(authority=authority, requester=requester)


@pytest.fixture
def draft_pdf(letter):
    return letter_pdf.render_letter_pdf(letter, draft=True)


# ---- HTML preview -----------------------------------------------------------


def test_preview_is_a_self_contained_document_in_british_english(letter):
    html = letter_html.render_letter_html(letter)
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    title = f"<title>Response to your request for information: {letter.case.reference}</title>"
    assert title in html
    # The stylesheet and its fonts travel inside the page, so a sandboxed preview frame
    # that may load nothing still shows the letter as the PDF will.
    assert "<style>" in html and "@page" in html
    assert html.count("data:font/woff2;base64,") == 3
    assert "../fonts/" not in html and "<link" not in html


def test_html_for_the_pdf_carries_no_styles(letter):
    html = letter_html.render_letter_html(letter, for_pdf=True)
    assert "<style>" not in html and "<link" not in html


def test_preview_shows_every_section_in_order_with_the_request_quoted(letter):
    html = letter_html.render_letter_html(letter)
    assert in_order(html, HEADINGS)
    case = letter.case
    assert in_order(
        html,
        [
            "Your request",
            "From 1 January 2022 to the date of this request.",
            "Q1.",
            "Q2.",
            "Q3.",
            "If you must prioritise",
            "Extent and result of searches",
        ],
    )
    assert case.reference in html and "Rowan Requester" in html and "Westshire Police" in html
    assert "<strong>Q1 &amp; 2.</strong>" in html
    assert "<li>Section 24(2): national security</li>" in html


def test_preview_marks_drafts_and_not_issued_letters(letter):
    draft = letter_html.render_letter_html(letter, draft=True)
    issued = letter_html.render_letter_html(letter, draft=False)
    assert "DRAFT: not issued" in draft and 'class="watermark"' in draft
    # The stylesheet (inlined in both) draws the watermark's word; an issued letter has
    # neither the watermark nor the banner.
    assert 'class="watermark"' not in issued and "DRAFT: not issued" not in issued


def test_typed_html_and_template_syntax_show_literally(authority, requester):
    hostile = [
        ("request", "Your request", []),
        (
            "decision",
            "Decision",
            ["<script>alert('x')</script> {{ 7*7 }} {% if 1 %}yes{% endif %}"],
        ),
    ]
    letter = ncnd_letter(authority=authority, requester=requester, sections=hostile)
    letter.case.questions.filter(number=1).update(text="<b>bold?</b> {{ config }}")
    html = letter_html.render_letter_html(letter, for_pdf=True)  # no base64 fonts to match
    assert "<script>" not in html and "<b>bold?</b>" not in html
    assert "&lt;script&gt;" in html and "{{ 7*7 }}" in html and "{% if 1 %}yes{% endif %}" in html
    assert "{{ config }}" in html and "49" not in html


def test_decision_table_has_a_header_row_and_escaped_cells(letter):
    decision = letter.case.decisions.first()
    decision.table = [["Year", "Count"], ["2024", "<i>12</i>"]]
    decision.save()
    html = letter_html.render_letter_html(letter)
    assert "<caption>Information for Q1 &amp; 2</caption>" in html
    assert '<th scope="col">Year</th>' in html
    assert "<td>&lt;i&gt;12&lt;/i&gt;</td>" in html
    # With no section of its own, the table closes the Decision section.
    assert in_order(html, ["Decision", "Information for Q1", "Harm in confirming"])


def test_a_decision_part_gets_a_subheading_and_its_own_table(authority, requester):
    letter = ncnd_letter(authority=authority, requester=requester, sections=[])
    first, second = letter.case.decisions.all()
    second.table = [["Body", "Shared?"], ["Home Office", "See above"]]
    second.save()
    add_sections(
        letter,
        [
            ("decision", "Decision", ["Our decision on each part of your request."]),
            (f"decision-{first.pk}", "Q1 & 2", ["About the first two questions."]),
            (f"decision-{second.pk}", "Q3", ["About the third question."]),
            ("harm", "Harm", ["Why saying more would cause harm."]),
        ],
    )
    letter.sections.filter(key__startswith="decision-").update(level=2)
    html = letter_html.render_letter_html(letter)
    assert ">Decision</h2>" in html and ">Q1 &amp; 2</h3>" in html and ">Q3</h3>" in html
    assert in_order(
        html, [">Q3</h3>", "About the third question.", "Information for Q3", ">Harm</h2>"]
    )
    assert html.count("<table") == 1


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "heading"),
    [
        (Letter.Kind.ACKNOWLEDGEMENT, "We have received your request for information"),
        (Letter.Kind.CLARIFICATION, "We need more detail about your request"),
        (Letter.Kind.EXTENSION, "We need more time to consider the public interest"),
        (Letter.Kind.REVIEW_OUTCOME, "Outcome of your internal review"),
    ],
)
def test_other_letters_share_the_letterhead_and_quote_the_request(letter, kind, heading):
    short = Letter.objects.create(case=letter.case, kind=kind)
    add_sections(short, [("body", "What happens next", ["We will reply by *20 May 2026*."])])
    html = letter_html.render_letter_html(short)
    assert heading in html and "Westshire Police" in html and letter.case.reference in html
    assert in_order(html, ["Your request", "Q3.", "What happens next", "<em>20 May 2026</em>"])
    pdf = letter_pdf.render_letter_pdf(short)
    assert heading in squash(" ".join(pdf_pages_text(pdf)))


# ---- PDF --------------------------------------------------------------------


@pytest.mark.slow
def test_pdf_has_every_section_in_order(draft_pdf, letter):
    text = squash(" ".join(pdf_pages_text(draft_pdf)))
    assert in_order(text, HEADINGS)
    assert in_order(text, ["Q1.", "Q2.", "Q3.", "Extent and result of searches"])
    assert "Yours sincerely" in text and "Sam Signer" in text


@pytest.mark.slow
def test_every_pdf_page_has_reference_page_number_and_verification_address(draft_pdf, letter):
    pages = pdf_pages_text(draft_pdf)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        text = squash(text)
        assert f"Page {number} of {len(pages)}" in text
        assert f"Our reference: {letter.case.reference}" in text
        assert "Check this letter at http://127.0.0.1:8000/verify/" in text
        assert "DRAFT" in text


@pytest.mark.slow
def test_issued_pdf_carries_no_draft_mark(letter):
    text = " ".join(pdf_pages_text(letter_pdf.render_letter_pdf(letter, draft=False)))
    assert "DRAFT" not in text
    assert "Page 1 of" in text


def test_html_to_pdf_refuses_a_draft_mark_that_does_not_match(letter):
    draft_html = letter_html.render_letter_html(letter, draft=True, for_pdf=True)
    with pytest.raises(RenderError, match="issued letter with the DRAFT mark"):
        letter_pdf.html_to_pdf(draft_html, draft=False)


@pytest.mark.slow
def test_pdf_metadata_names_the_letter_authority_reference_and_provisions(draft_pdf, letter):
    reader = PdfReader(io.BytesIO(draft_pdf))
    reference = letter.case.reference
    assert reader.metadata.title == f"Response to your request for information: {reference}"
    assert reader.metadata.author == "Westshire Police"
    assert reader.metadata.subject == reference
    keywords = reader.metadata.get("/Keywords")
    assert "section 23(5)" in keywords and "section 24(2)" in keywords
    assert "section 31(3)" in keywords


@pytest.mark.slow
def test_pdf_is_tagged_in_british_english(draft_pdf):
    reader = PdfReader(io.BytesIO(draft_pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp  # declares PDF/UA conformance


@pytest.mark.slow
def test_pdf_attaches_the_decision_as_json(draft_pdf, letter):
    attachments = PdfReader(io.BytesIO(draft_pdf)).attachments
    data = json.loads(attachments["decision.json"][0])
    assert data["reference"] == letter.case.reference
    assert data["draft"] is True and data["ncnd"] is True
    assert data["provisions_cited"] == ["section 23(5)", "section 24(2)", "section 31(3)"]
    assert data["questions"] == [
        {"number": 1, "outcomes": ["provided_in_part"]},
        {"number": 2, "outcomes": ["provided_in_part"]},
        {"number": 3, "outcomes": ["ncnd"]},
    ]
    assert data["received_on"] == letter.case.received_on.isoformat()


@pytest.mark.slow
def test_table_header_is_repeated_on_every_page_the_table_runs_onto(authority, requester):
    letter = long_table_letter(rows=120, authority=authority, requester=requester)
    pages = pdf_pages_text(letter_pdf.render_letter_pdf(letter))
    table_pages = [text for text in pages if "District" in text]
    assert len(table_pages) >= 3
    for text in table_pages:
        assert "Month Area Stops Arrests Notes" in squash(text)


@pytest.mark.slow
def test_welsh_currency_quotes_and_dashes_render_in_the_shipped_font(authority, requester):
    text = (
        "Diolch am eich cais. Mae’r ŵyl yn y dŷ: ŵ ŷ Ŵ Ŷ ẁ ỳ. Cost £450 – “quoted” — "
        "‘single’ co\u2011operation"
    )
    letter = ncnd_letter(
        authority=authority, requester=requester, sections=[("body", "Ymateb", [text])]
    )
    pdf = letter_pdf.render_letter_pdf(letter)
    extracted = " ".join(pdf_pages_text(pdf))
    for character in "ŵŷŴŶẁỳ£“”‘’–—":
        assert character in extracted
    # Every glyph came from the shipped font (embedded under its CSS family name):
    # no system font had to fill a gap.
    fonts = embedded_font_names(pdf)
    assert fonts and all("Letter-Sans" in font for font in fonts)


def test_a_heading_with_nothing_under_it_is_left_out(catalogue, authority, requester, officer):
    from tests import builders

    case = builders.open_case(actor=officer, authority=authority, requester=requester, searches="")
    letter = builders.response_letter(case, actor=officer)
    assert letter.sections.filter(key="searches").exists()  # the editor still offers it
    html = letter_html.render_letter_html(letter, draft=True)
    assert "Extent and result of searches" not in html
    # "Decision" has no paragraph of its own, but its parts follow it.
    assert re.search(r'<h2 id="section-decision">Decision</h2>\s*</section>\s*<section', html)


def test_an_officers_subheading_sits_one_level_below_its_section(authority, requester):
    letter = ncnd_letter(
        authority=authority,
        requester=requester,
        sections=[("body", "Decision", ["## Background", "We hold the policy."])],
    )
    html = letter_html.render_letter_html(letter, draft=True)
    assert re.search(r'<h2 id="section-body">Decision</h2>\s*<h3>Background</h3>', html)
    text = squash(" ".join(pdf_pages_text(letter_pdf.render_letter_pdf(letter))))
    assert "Decision Background We hold the policy." in text and "##" not in text


def test_addresses_in_a_letter_are_links_in_the_pdf_and_long_ones_stay_on_the_page(
    authority, requester
):
    long_address = "https://www.example.gov.uk/download?file=" + "a1b2c3d4" * 14
    text = f"You can find it at {long_address}. Or write to foi@example.org."
    letter = ncnd_letter(
        authority=authority, requester=requester, sections=[("body", "Links", [text])]
    )
    reader = PdfReader(io.BytesIO(letter_pdf.render_letter_pdf(letter)))
    page = reader.pages[0]
    targets = [
        annotation.get_object()["/A"]["/URI"]
        for annotation in page.get("/Annots") or []
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    assert long_address in targets and "mailto:foi@example.org" in targets
    # Every link box lies inside the page: the long address wrapped at the margin.
    width = float(page.mediabox.width)
    for annotation in page.get("/Annots"):
        left, _, right, _ = (float(x) for x in annotation.get_object()["/Rect"])
        assert 0 <= left < right <= width


@pytest.mark.slow
def test_emoji_and_unusual_characters_do_not_stop_a_letter(authority, requester):
    text = "Thanks 🙂 🏴󠁧󠁢󠁷󠁬󠁳󠁿 \u200b\ufeff zero-width, combining e\u0301, RTL \u202eabc"
    letter = ncnd_letter(
        authority=authority, requester=requester, sections=[("body", "Odd text", [text])]
    )
    pdf = letter_pdf.render_letter_pdf(letter)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert "decision.json" in reader.attachments


@pytest.mark.slow
def test_non_breaking_hyphens_lay_out_like_plain_ones(authority, requester):
    """Words joined by U+2011 are set in the shipped font and never split at a line end.

    A font without the glyph sends every such word to a fallback font, which is what once
    made layout several times slower; bench/pdf_render.py prints that time ratio.
    """
    words = " ".join(f"co-operation{index} non-disclosure re-use" for index in range(40))
    plain = ncnd_letter(
        authority=authority, requester=requester, sections=[("body", "Body", [words] * 12)]
    )
    hyphens = ncnd_letter(
        authority=authority,
        requester=requester,
        sections=[("body", "Body", [words.replace("-", "\u2011")] * 12)],
    )
    plain_lines = "\n".join(pdf_pages_text(letter_pdf.render_letter_pdf(plain))).splitlines()
    hyphen_pdf = letter_pdf.render_letter_pdf(hyphens)
    hyphen_lines = "\n".join(pdf_pages_text(hyphen_pdf)).splitlines()
    # Plain hyphens may end a line; non-breaking ones never do, so no word is split.
    assert any(line.endswith("-") for line in plain_lines)
    assert not any(line.endswith(("\u2011", "-")) for line in hyphen_lines)
    assert sum(line.count("\u2011") for line in hyphen_lines) == 3 * 40 * 12
    fonts = embedded_font_names(hyphen_pdf)
    assert fonts and all("Letter-Sans" in font for font in fonts)


@pytest.mark.slow
def test_authority_logo_is_read_by_the_app_and_embedded(authority, requester, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (120, 40), (0, 70, 140)).save(image, "PNG")
    authority.logo.save("logo.png", io.BytesIO(image.getvalue()))
    letter = ncnd_letter(authority=authority, requester=requester)
    assert 'src="data:image/png;base64,' in letter_html.render_letter_html(letter)
    for_pdf = letter_html.render_letter_html(letter, for_pdf=True)
    assert f'src="{authority.logo.url}"' in for_pdf
    reader = PdfReader(io.BytesIO(letter_pdf.render_letter_pdf(letter)))
    assert len(reader.pages[0].images) == 1
    # Frozen HTML made for the PDF can still be shown in a browser, self-contained.
    inputs = letter_html.pdf_inputs(letter, draft=False)
    screen = letter_html.screen_html(inputs["html"], inputs["assets"])
    assert 'src="data:image/png;base64,' in screen and "<style>" in screen


@pytest.mark.slow
def test_a_logo_of_another_type_is_left_out(authority, requester, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    authority.logo.save("logo.svg", io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"/>'))
    letter = ncnd_letter(authority=authority, requester=requester)
    assert "<img" not in letter_html.render_letter_html(letter)
    assert letter_pdf.render_letter_pdf(letter).startswith(b"%PDF")


# ---- Isolated rendering -----------------------------------------------------


@pytest.mark.slow
def test_isolated_render_gives_the_same_letter(letter):
    inputs = letter_html.pdf_inputs(letter, draft=False)
    pdf = isolated_render.render_pdf_isolated(**inputs, timeout=60)
    text = squash(" ".join(pdf_pages_text(pdf)))
    assert in_order(text, HEADINGS) and "DRAFT" not in text


@pytest.mark.slow
def test_isolated_render_is_stopped_when_it_takes_too_long(authority, requester):
    letter = long_table_letter(rows=600, authority=authority, requester=requester)
    inputs = letter_html.pdf_inputs(letter, draft=True)
    started = time.perf_counter()
    with pytest.raises(RenderError, match="took longer than 0.3 seconds"):
        isolated_render.render_pdf_isolated(**inputs, timeout=0.3)
    assert time.perf_counter() - started < 10


@pytest.mark.slow
def test_isolated_render_is_stopped_when_it_needs_too_much_memory(authority, requester):
    letter = long_table_letter(rows=600, authority=authority, requester=requester)
    inputs = letter_html.pdf_inputs(letter, draft=True)
    with pytest.raises(RenderError, match="memory"):
        isolated_render.render_pdf_isolated(**inputs, memory_limit=8 * 1024 * 1024, timeout=60)
    # The parent is unharmed and can still render (a short letter shows that as well).
    short = ncnd_letter(authority=authority, requester=requester, sections=NCND_SECTIONS[:2])
    assert letter_pdf.render_letter_pdf(short).startswith(b"%PDF")


# ---- The command ------------------------------------------------------------


@pytest.mark.slow
def test_render_letter_command_writes_a_draft_pdf_and_html(letter, tmp_path):
    pdf_path = tmp_path / "letter.pdf"
    call_command("render_letter", letter.case.reference, "-o", str(pdf_path))
    assert "DRAFT" in " ".join(pdf_pages_text(pdf_path.read_bytes()))
    html_path = tmp_path / "letter.html"
    call_command("render_letter", letter.case.reference, "-o", str(html_path), "--html")
    assert "Extent and result of searches" in html_path.read_text()


@pytest.mark.slow
def test_render_letter_command_marks_issued_letters_as_issued(letter, tmp_path):
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.ISSUED)
    path = tmp_path / "letter.pdf"
    call_command("render_letter", letter.case.reference, "-o", str(path))
    assert "DRAFT" not in " ".join(pdf_pages_text(path.read_bytes()))


def test_render_letter_command_writes_the_stored_pdf_of_an_issued_letter(letter, officer, tmp_path):
    from responses.models import IssuedDocument, LetterVersion

    inputs = letter_html.pdf_inputs(letter, draft=False)
    version = LetterVersion.objects.create(
        letter=letter, number=1, html=inputs["html"], author=officer
    )
    stored = b"%PDF-1.7 the bytes that were sent"
    IssuedDocument.objects.create(version=version, pdf=stored, sha256=IssuedDocument.digest(stored))
    path = tmp_path / "letter.pdf"
    call_command("render_letter", letter.case.reference, "-o", str(path))
    assert path.read_bytes() == stored


def test_render_letter_command_explains_an_unknown_reference(db, tmp_path):
    with pytest.raises(CommandError, match="no case with the reference 'FOI/1999/000001'"):
        call_command("render_letter", "FOI/1999/000001", "-o", str(tmp_path / "x.pdf"))


@pytest.mark.slow
def test_render_letter_all_writes_every_cases_letter_named_by_reference(letter, officer, tmp_path):
    from responses.models import IssuedDocument, LetterVersion
    from tests import builders

    second = builders.response_letter(
        actor=officer, authority=letter.case.authority, requester=letter.case.requester
    )
    inputs = letter_html.pdf_inputs(second, draft=False)
    version = LetterVersion.objects.create(
        letter=second, number=1, html=inputs["html"], author=officer
    )
    stored = b"%PDF-1.7 the bytes that were sent"
    IssuedDocument.objects.create(version=version, pdf=stored, sha256=IssuedDocument.digest(stored))
    builders.open_case(
        actor=officer, authority=letter.case.authority, requester=letter.case.requester
    )  # no letter yet: nothing written for it

    call_command("render_letter", "--all", "-o", str(tmp_path / "gallery"))

    written = sorted(path.name for path in (tmp_path / "gallery").iterdir())
    assert written == sorted(
        case.reference.replace("/", "-") + ".pdf" for case in (letter.case, second.case)
    )
    draft = tmp_path / "gallery" / (letter.case.reference.replace("/", "-") + ".pdf")
    assert "DRAFT" in " ".join(pdf_pages_text(draft.read_bytes()))
    issued = tmp_path / "gallery" / (second.case.reference.replace("/", "-") + ".pdf")
    assert issued.read_bytes() == stored


def test_render_letter_needs_a_reference_or_all(db, tmp_path):
    with pytest.raises(CommandError, match="either a case reference or --all"):
        call_command("render_letter", "-o", str(tmp_path / "x.pdf"))
