"""The standard clause library: it loads, covers the exemptions letters cite, renders safely,
and changes only by adding versions."""

import re
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from exemptions.clauses import ClauseTemplateError, MissingSlotError, render_clause
from exemptions.library import (
    AUTOMATIC_SLOTS,
    DEFAULT_CLAUSES,
    ClauseLibraryError,
    load_clauses,
    section_slug,
)
from exemptions.models import Clause, Exemption

LETTER_CODES = [
    "letter-searches-ncnd",
    "letter-not-held",
    "letter-balance-ncnd",
    "letter-balance-withhold",
    "letter-ncnd-caveat",
    "letter-not-comparable",
    "letter-internal-review",
    "letter-ico-complaint",
    "letter-copyright",
    "letter-internal-review-eir",
    "letter-ico-complaint-eir",
    "letter-internal-review-foisa",
    "letter-complaint-foisa",
    "letter-acknowledgement",
    "letter-clarification",
    "letter-extension",
    "letter-review-upheld",
    "letter-review-upheld-in-part",
    "letter-review-overturned",
]

# section -> (cited NCND subsection or None, prejudice-based, qualified), as the law has it.
CONTRACT_EXEMPTIONS = {
    "23": ("23(5)", False, False),
    "24": ("24(2)", True, True),
    "27(1)": ("27(4)", True, True),
    "30(1)": ("30(3)", False, True),
    "31": ("31(3)", True, True),
    "38": ("38(2)", True, True),
    "40(2) first condition": ("40(5B)(a)", False, False),
    "12": ("12(2)", False, False),
    "14(1)": (None, False, False),
    "21": (None, False, False),
}

# Sentences that would tell the requester whether anything is held.
CONFIRMS_HOLDING = re.compile(
    r"(?<!whether )(?<!or not )we (do not )?hold (the )?information|the information is held|"
    r"searches (located|found)",
    re.IGNORECASE,
)


def sample_values(clause):
    return {name: f"VALUE-{name}" for name in clause.slot_names}


def clause_file(tmp_path, clauses):
    path = tmp_path / "clauses.yaml"
    path.write_text(yaml.safe_dump({"clauses": clauses}, sort_keys=False), encoding="utf-8")
    return path


def letter_clause(**overrides):
    entry = {
        "code": "letter-test",
        "kind": "closing",
        "mode": "",
        "exemption": None,
        "title": "Test clause",
        "body": "Thank you for writing to {{ authority_name }}.",
        "slots": ["authority_name"],
    }
    entry.update(overrides)
    return entry


def current(code):
    return Clause.objects.current().get(code=code)


@pytest.fixture
def catalogue_loaded(catalogue):
    """The catalogue without its clause library, for the tests of loading the clauses."""
    Clause.objects.all().delete()


@pytest.fixture
def library(catalogue):
    """The catalogue and the clause library, as `make run` loads them."""


# --- Loading ---------------------------------------------------------------------------------


def test_library_loads_and_reports_in_one_line(catalogue_loaded):
    out = StringIO()
    call_command("load_clauses", stdout=out)

    in_file = len(yaml.safe_load(DEFAULT_CLAUSES.read_text())["clauses"])
    summary = out.getvalue().strip()
    assert "\n" not in summary
    assert f"{in_file} created" in summary
    assert Clause.objects.count() == in_file


def test_every_letter_level_code_in_the_contract_exists(library):
    found = Clause.objects.current().filter(code__in=LETTER_CODES, exemption__isnull=True)
    assert sorted(found.values_list("code", flat=True)) == sorted(LETTER_CODES)
    advice = current("foia-s12-advice")
    assert advice.kind == Clause.Kind.ADVICE
    assert "section 16" in advice.body


@pytest.mark.parametrize("section", CONTRACT_EXEMPTIONS)
def test_each_cited_exemption_has_the_clauses_drafting_needs(library, section):
    ncnd_provision, prejudice_based, qualified = CONTRACT_EXEMPTIONS[section]
    exemption = Exemption.objects.get(regime__code="FOIA", section=section)

    def find(kind, mode):
        return Clause.objects.current().filter(exemption=exemption, kind=kind, mode__in=[mode, ""])

    refusal = find(Clause.Kind.REFUSAL_STATEMENT, "withhold")
    assert refusal.count() == 1
    # The refusal cites the section itself: "section 24(1)", "section 40(2)", "section 21".
    section_number = re.match(r"\d+", section).group()
    assert f"section {section_number}" in refusal.get().body

    ncnd = find(Clause.Kind.NCND_STATEMENT, "ncnd")
    if ncnd_provision:
        assert ncnd.count() == 1
        assert f"section {ncnd_provision}" in ncnd.get().body
    else:
        assert not ncnd.exists()

    modes = ["withhold"] + (["ncnd"] if ncnd_provision else [])
    for mode in modes:
        assert find(Clause.Kind.HARM, mode).exists() == prejudice_based, (mode, "harm")
        for kind in (Clause.Kind.FACTORS_FAVOURING, Clause.Kind.FACTORS_AGAINST):
            factors = find(kind, mode)
            assert factors.exists() == qualified, (mode, kind)
            for clause in factors:
                bullets = [line for line in clause.body.splitlines() if line.startswith("- ")]
                assert 3 <= len(bullets) <= 5, clause.code


def test_codes_follow_the_contract_convention(library):
    for clause in Clause.objects.current().select_related("exemption__regime"):
        if clause.exemption is None:
            assert clause.code.startswith("letter-")
        else:
            regime = clause.exemption.regime.code.lower()
            assert clause.code.startswith(f"{regime}-s{section_slug(clause.exemption.section)}-")
    assert current("foia-s24-harm-ncnd").kind == Clause.Kind.HARM
    assert current("foia-s27-1-favouring-withhold").kind == Clause.Kind.FACTORS_FAVOURING


def test_ncnd_text_never_reveals_whether_information_is_held(library):
    ncnd_clauses = Clause.objects.current().filter(mode="ncnd")
    assert ncnd_clauses.count() > 20
    for clause in ncnd_clauses:
        assert not CONFIRMS_HOLDING.search(clause.body), clause.code


def test_withholding_under_an_exemption_confirms_the_information_is_held(library):
    # Section 1(1)(a): without an NCND provision the requester must still be told it is held.
    refusals = Clause.objects.current().filter(
        kind=Clause.Kind.REFUSAL_STATEMENT, exemption__procedural=False
    )
    assert refusals.count() >= 8
    for clause in refusals:
        if (clause.exemption.regime.code, clause.exemption.section) in NOT_ABOUT_HELD_INFORMATION:
            continue
        assert "We hold" in clause.body, clause.code


# EIR refusals that are about the request, or information that is not held or is outside the
# Regulations, rather than about held information being withheld.
NOT_ABOUT_HELD_INFORMATION = {
    ("EIR", "5(3)"),
    ("EIR", "12(4)(a)"),
    ("EIR", "12(4)(b)"),
    ("EIR", "12(4)(c)"),
}
STATEMENT_KINDS = (Clause.Kind.REFUSAL_STATEMENT, Clause.Kind.NCND_STATEMENT)


def provisions_without_a_statement():
    """Commonly used provisions the library cannot state in a letter, as "FOIA 36"."""
    return [
        f"{exemption.regime.code} {exemption.section}"
        for exemption in Exemption.objects.filter(commonly_used=True).select_related("regime")
        if not Clause.objects.current().filter(exemption=exemption, kind__in=STATEMENT_KINDS)
    ]


def test_every_commonly_used_provision_has_a_statement_clause(library):
    assert Exemption.objects.filter(commonly_used=True).count() >= 40
    assert provisions_without_a_statement() == []


def test_the_list_names_a_commonly_used_provision_that_lost_its_statement(library):
    Clause.objects.filter(exemption__regime__code="FOIA", exemption__section="41").delete()
    assert provisions_without_a_statement() == ["FOIA 41"]


def statement(regime, section, mode="withhold"):
    kind = Clause.Kind.NCND_STATEMENT if mode == "ncnd" else Clause.Kind.REFUSAL_STATEMENT
    return Clause.objects.current().get(
        exemption__regime__code=regime, exemption__section=section, kind=kind
    )


def clauses_for(regime, section, kind, mode="withhold"):
    return Clause.objects.current().filter(
        exemption__regime__code=regime, exemption__section=section, kind=kind, mode=mode
    )


def test_own_personal_data_points_to_a_subject_access_request(library):
    for regime, section, mode, provision in [
        ("FOIA", "40(1)", "withhold", "section 40(1)"),
        ("FOIA", "40(1)", "ncnd", "section 40(5A)"),
        ("EIR", "5(3)", "withhold", "regulation 5(3)"),
        ("FOISA", "38(1)(a)", "withhold", "section 38(1)(a)"),
        ("FOISA", "38(1)(a)", "ncnd", "sections 18(1) and 38(1)(a)"),
    ]:
        clause = statement(regime, section, mode)
        assert provision in clause.body, clause.code
        assert "subject access request" in clause.body and "Article 15" in clause.body
        assert "subject_access_route" in clause.slot_names
        assert "no public interest test" in clause.body or regime != "FOIA", clause.code


def test_section_40_5b_names_each_limb_with_its_test(library):
    first = statement("FOIA", "40(2) first condition", "ncnd").body
    assert "section 40(5B)(a)" in first and "legitimate interest" in first
    others = statement("FOIA", "40(2) second or third condition", "ncnd")
    assert "Article 21" in others.body  # (b): an objection
    assert "Article 15(1)" in others.body  # (c): exempt from subject access
    assert "section 45(1)(a)" in others.body  # (d): law enforcement processing
    assert "personal_data_limb" in others.slot_names
    for kind in (Clause.Kind.FACTORS_FAVOURING, Clause.Kind.FACTORS_AGAINST):
        assert clauses_for("FOIA", "40(2) second or third condition", kind, "ncnd").exists()


def test_section_22_gives_its_three_conditions_harm_and_both_lists(library):
    body = statement("FOIA", "22").body
    assert "section 22(1)" in body and "reasonable in all the circumstances" in body
    assert "when we received your request" in body
    assert "publication_plan" in statement("FOIA", "22").slot_names
    assert "would be likely to" in clauses_for("FOIA", "22", Clause.Kind.HARM).get().body
    for mode in ("withhold", "ncnd"):
        for kind in (Clause.Kind.FACTORS_FAVOURING, Clause.Kind.FACTORS_AGAINST):
            assert clauses_for("FOIA", "22", kind, mode).count() == 1, (mode, kind)


def test_section_21_is_a_refusal_notice_for_its_part_with_a_location_per_question(library):
    for regime, section, notice in [("FOIA", "21", "section 17(1)"), ("FOISA", "25(1)", "16(1)")]:
        clause = statement(regime, section)
        assert "refusal notice" in clause.body and notice in clause.body
        assert "this part of your request" in clause.body
        (slot,) = clause.slots
        assert slot["name"] == "where_accessible" and slot["per_question"] is True


def test_caveats_switch_and_advice_clauses_exist(library):
    caveats = {
        "letter-caveat-search-incomplete": "cost limit",
        "letter-caveat-data-reliability": "errors",
        "letter-caveat-no-duty-to-create": "opinion",
        "letter-caveat-not-searchable": "search",
    }
    for code, phrase in caveats.items():
        assert phrase in current(code).body, code
    switch = current("letter-eir-switch").body
    assert "regulation 2(1)" in switch and "Section 39" in switch and "regulation 11" in switch
    assert (
        "regulation 9 of the Environmental Information Regulations"
        in current("letter-advice-eir").body
    )
    assert (
        "section 15 of the Freedom of Information (Scotland) Act"
        in current("letter-advice-foisa").body
    )


EIR_EXCEPTIONS = [
    *(f"12(4)({limb})" for limb in "abcde"),
    *(f"12(5)({limb})" for limb in "abcdefg"),
    "13 first condition",
    "13 second or third condition",
]


@pytest.mark.parametrize("section", EIR_EXCEPTIONS)
def test_every_eir_exception_has_its_statement_harm_and_public_interest(library, section):
    exception = Exemption.objects.get(regime__code="EIR", section=section)
    body = statement("EIR", section).body
    provision = "regulation " + exception.cited_section
    assert provision in body, provision
    assert "Freedom of Information Act" not in body or section == "12(4)(b)"
    if exception.pit_applies:
        # The EIR test: regulation 12(1)(b), weighed with the presumption in regulation 12(2).
        if section.startswith("12"):
            assert "regulation 12(1)(b)" in body and "regulation 12(2)" in body
        for kind in (Clause.Kind.FACTORS_FAVOURING, Clause.Kind.FACTORS_AGAINST):
            assert clauses_for("EIR", section, kind).exists(), kind
    if section.startswith("12(5)"):
        harm = clauses_for("EIR", section, Clause.Kind.HARM).get().body
        assert "more likely than not" in harm or "more probable than not" in harm


def test_eir_ncnd_clauses_cite_regulations_12_6_and_13_5a(library):
    assert "regulation 12(6)" in statement("EIR", "12(5)(a)", "ncnd").body.lower()
    assert "regulation 13(5A)(a)" in statement("EIR", "13 first condition", "ncnd").body


FOISA_SUBSTANTIAL = ["30(b)(i)", "30(b)(ii)", "30(c)", "33(1)(b)", "35(1)(a)", "35(1)(b)"]


@pytest.mark.parametrize("section", FOISA_SUBSTANTIAL)
def test_foisa_harm_uses_the_substantial_test_and_cites_the_limb(library, section):
    body = statement("FOISA", section).body
    assert f"section {section} of the Freedom of Information (Scotland) Act 2002" in body
    assert "section 16(1)" in body  # the refusal notice section
    harm = clauses_for("FOISA", section, Clause.Kind.HARM).get().body
    assert "substantial" in harm
    test_words = (
        "inhibit substantially" if section.startswith("30(b)") else "prejudice substantially"
    )
    assert test_words in body


def test_foisa_cost_refusal_uses_its_own_limit_rate_and_sections(library):
    body = current("foisa-s12-withhold").body
    assert "£600" in body and "£15 an hour" in body and "40 hours" in body
    assert "section 16(4)" in body and "£25" not in body
    assert "section 15" in current("foisa-s12-advice").body


def test_regime_letters_cite_their_own_law(library):
    for code in Clause.objects.current().values_list("code", flat=True):
        clause = current(code)
        if code.startswith("foisa-") or code.endswith("-foisa"):
            assert "Freedom of Information Act 2000" not in clause.body, code
            assert "Information Commissioner's Office" not in clause.body, code


def test_slots_the_case_fills_carry_their_standard_labels(library):
    slots = {slot["name"]: slot for slot in current("letter-acknowledgement").slots}
    assert slots["received_date"]["label"] == AUTOMATIC_SLOTS["received_date"][0]
    officer_slot = current("foia-s27-1-ncnd").slots[0]
    assert officer_slot["name"] == "foreign_state"
    assert officer_slot["label"] and officer_slot["help"]


# --- Rendering -------------------------------------------------------------------------------


def test_every_clause_renders_with_its_slot_values(library):
    for clause in Clause.objects.current():
        values = sample_values(clause)
        text = render_clause(clause, values)
        for value in values.values():
            assert value in text, (clause.code, value)
        assert "{{" not in text and "{%" not in text, clause.code


def test_slot_values_appear_in_the_text(library):
    text = render_clause(
        current("foia-s27-1-harm-ncnd"),
        {"subject": "facial recognition technology", "foreign_state": "the Republic of Ruritania"},
    )
    assert "information about facial recognition technology" in text
    assert "the United Kingdom and the Republic of Ruritania" in text


def test_a_missing_slot_is_named(library):
    with pytest.raises(MissingSlotError) as raised:
        render_clause(current("foia-s27-1-harm-ncnd"), {"subject": "drones"})
    assert raised.value.slot_names == ["foreign_state"]
    assert "foreign_state" in str(raised.value)


def test_a_blank_slot_counts_as_missing(library):
    with pytest.raises(MissingSlotError, match="extension_date"):
        clause = current("letter-extension")
        render_clause(clause, {**sample_values(clause), "extension_date": "   "})


def test_slot_values_cannot_inject_markup_or_template_code(library):
    text = render_clause(
        current("foia-s27-1-harm-ncnd"),
        {
            "subject": "{{ 7*7 }} and {% if true %}x{% endif %}",
            "foreign_state": "<script>x</script>",
        },
    )
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "{{ 7*7 }}" in text
    assert "49" not in text
    assert "{% if true %}" in text


def test_a_body_reaching_for_python_internals_is_refused_by_the_sandbox(library):
    clause = Clause(code="letter-evil", title="Evil", body="{{ ''.__class__.__mro__ }}", slots=[])
    with pytest.raises(ClauseTemplateError, match="sandbox"):
        render_clause(clause, {})


def test_loading_a_body_reaching_for_python_internals_is_refused(catalogue_loaded, tmp_path):
    path = clause_file(tmp_path, [letter_clause(body="{{ ''.__class__ }}", slots=[])])
    with pytest.raises(ClauseLibraryError) as raised:
        load_clauses(path)
    assert "letter-test" in str(raised.value)
    assert "'body'" in str(raised.value)
    assert not Clause.objects.exists()


# --- Idempotence and versions ---------------------------------------------------------------


def test_loading_twice_creates_nothing_new(library):
    before = list(Clause.objects.values_list("pk", "version", "body"))
    report = load_clauses()
    assert report.created == [] and report.revised == []
    assert len(report.unchanged) == len(before)
    assert list(Clause.objects.values_list("pk", "version", "body")) == before


def test_a_changed_body_creates_version_2_and_keeps_version_1(catalogue_loaded, tmp_path):
    load_clauses(clause_file(tmp_path, [letter_clause()]))
    first = Clause.objects.get(code="letter-test")

    new_body = "Thank you for contacting {{ authority_name }}."
    report = load_clauses(clause_file(tmp_path, [letter_clause(body=new_body)]))

    assert report.revised == ["letter-test"]
    assert list(Clause.objects.filter(code="letter-test").values_list("version", flat=True)) == [
        2,
        1,
    ]
    first.refresh_from_db()
    assert first.body == "Thank you for writing to {{ authority_name }}."
    assert first.effective_to is not None
    assert current("letter-test").version == 2
    assert current("letter-test").body == new_body


def test_a_changed_slot_label_or_title_also_creates_a_version(catalogue_loaded, tmp_path):
    load_clauses(clause_file(tmp_path, [letter_clause()]))
    load_clauses(clause_file(tmp_path, [letter_clause(title="A clearer title")]))
    assert current("letter-test").version == 2
    assert current("letter-test").title == "A clearer title"


def test_a_code_cannot_change_its_kind(catalogue_loaded, tmp_path):
    load_clauses(clause_file(tmp_path, [letter_clause()]))
    with pytest.raises(ClauseLibraryError, match="letter-test: field 'kind'"):
        load_clauses(clause_file(tmp_path, [letter_clause(kind="letter", title="Changed")]))
    assert Clause.objects.filter(code="letter-test").count() == 1


# --- Validation -----------------------------------------------------------------------------


def test_an_undeclared_slot_is_rejected_and_named(catalogue_loaded, tmp_path):
    path = clause_file(
        tmp_path, [letter_clause(body="Dear {{ requester_name }}, {{ authority_name }}")]
    )
    with pytest.raises(ClauseLibraryError) as raised:
        load_clauses(path)
    message = str(raised.value)
    assert str(path) in message
    assert "letter-test" in message
    assert "requester_name" in message
    assert not Clause.objects.exists()


def test_a_declared_but_unused_slot_is_rejected(catalogue_loaded, tmp_path):
    path = clause_file(tmp_path, [letter_clause(slots=["authority_name", "reference"])])
    with pytest.raises(ClauseLibraryError, match="letter-test: field 'slots' declares reference"):
        load_clauses(path)


def test_one_bad_clause_means_nothing_is_written(catalogue_loaded, tmp_path):
    good = letter_clause(code="letter-good")
    bad = letter_clause(code="letter-bad", kind="sonnet")
    with pytest.raises(ClauseLibraryError, match="letter-bad: field 'kind'"):
        load_clauses(clause_file(tmp_path, [good, bad]))
    assert not Clause.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"title": None}, "field 'title'"),
        ({"mode": "maybe"}, "field 'mode'"),
        ({"body": "{{ authority_name "}, "does not parse"),
        ({"body": "<b>{{ authority_name }}</b>"}, "contains HTML"),
        ({"slots": ["foreign_state"]}, "declare it as a mapping"),
        ({"exemption": {"regime": "FOIA", "section": "99"}}, "not in the catalogue"),
        ({"exemption": {"regime": "FOIA", "section": ["31"]}}, "quoted section"),
        (
            {
                "code": "foia-s23-favouring-ncnd",
                "kind": "factors_favouring",
                "mode": "ncnd",
                "exemption": {"regime": "FOIA", "section": "23"},
            },
            "no public interest test",
        ),
        (
            {
                "code": "foia-s21-ncnd",
                "kind": "ncnd_statement",
                "mode": "ncnd",
                "exemption": {"regime": "FOIA", "section": "21"},
            },
            "no neither-confirm-nor-deny provision",
        ),
        ({"kind": "harm"}, "field 'exemption' is required"),
    ],
)
def test_invalid_entries_are_rejected_with_the_field_named(
    catalogue_loaded, tmp_path, overrides, expected
):
    with pytest.raises(ClauseLibraryError, match=re.escape(expected)):
        load_clauses(clause_file(tmp_path, [letter_clause(**overrides)]))


def test_a_missing_field_is_named(catalogue_loaded, tmp_path):
    entry = letter_clause()
    del entry["mode"]
    with pytest.raises(ClauseLibraryError, match="letter-test: field 'mode' is missing"):
        load_clauses(clause_file(tmp_path, [entry]))


def test_without_the_catalogue_the_error_says_to_load_it(empty_catalogue):
    with pytest.raises(ClauseLibraryError, match="load_catalogue"):
        load_clauses()
    assert not Clause.objects.exists()


def test_the_command_turns_bad_input_into_a_command_error(catalogue_loaded, tmp_path):
    path = clause_file(tmp_path, [letter_clause(body="{{ unknown_slot }}", slots=[])])
    with pytest.raises(CommandError, match="unknown_slot"):
        call_command("load_clauses", file=str(path), verbosity=0)
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("load_clauses", file=str(tmp_path / "missing.yaml"), verbosity=0)
