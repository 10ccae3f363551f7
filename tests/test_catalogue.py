"""The exemption catalogue: what it contains, and how loading it behaves."""

from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from exemptions.catalogue import DEFAULT_CATALOGUE, CatalogueError, load_catalogue
from exemptions.models import Exemption, Regime

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def start_empty(request):
    """Loading is tested from no catalogue at all, unless a test reads the one loaded."""
    if "loaded" not in request.fixturenames:
        request.getfixturevalue("empty_catalogue")


@pytest.fixture
def catalogue_data():
    return yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))


@pytest.fixture
def loaded(catalogue):
    """The catalogue as `make run` (and this test session) loaded it."""


@pytest.fixture
def fresh_load():
    return load_catalogue(DEFAULT_CATALOGUE)


def write_catalogue(tmp_path, data, name="catalogue.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def exemption(code, section):
    return Exemption.objects.get(regime__code=code, section=section)


# --- What the catalogue says ---------------------------------------------------------


def test_catalogue_file_lists_every_exemption_once(catalogue_data):
    entries = catalogue_data["exemptions"]
    per_regime = {
        code: [e for e in entries if e["regime"] == code] for code in ("FOIA", "EIR", "FOISA")
    }
    procedural = {
        code: sum(1 for e in rows if e.get("procedural")) for code, rows in per_regime.items()
    }
    assert {code: len(rows) for code, rows in per_regime.items()} == {
        "FOIA": 35,
        "EIR": 15,
        "FOISA": 37,
    }
    assert procedural == {"FOIA": 3, "EIR": 0, "FOISA": 3}
    assert len({(e["regime"], e["section"]) for e in entries}) == 87


def test_loading_creates_every_regime_and_exemption(fresh_load, catalogue_data):
    assert fresh_load.regimes.created == 3
    assert fresh_load.exemptions.created == len(catalogue_data["exemptions"]) == 87
    counts = {
        code: Exemption.objects.filter(regime__code=code).count()
        for code in ("FOIA", "EIR", "FOISA")
    }
    assert counts == {"FOIA": 35, "EIR": 15, "FOISA": 37}
    assert Exemption.objects.filter(procedural=True, regime__code="FOIA").count() == 3
    assert Exemption.objects.filter(procedural=True, regime__code="FOISA").count() == 3


def test_regimes_carry_their_time_limits_and_calendars(loaded):
    foia, eir, foisa = (Regime.objects.get(code=code) for code in ("FOIA", "EIR", "FOISA"))
    assert foia.statute == "Freedom of Information Act 2000"
    assert foia.response_days == 20 and foia.extended_response_days is None
    assert eir.extended_response_days == 40
    assert foia.refusal_notice_provision == "s17"
    assert eir.refusal_notice_provision == "reg 14"
    assert foia.bank_holiday_divisions == ["england-and-wales", "scotland", "northern-ireland"]
    assert foisa.bank_holiday_divisions == ["scotland"]
    assert "Scottish Information Commissioner" in foisa.regulator
    assert "450" in foia.cost_limit and "600" in foia.cost_limit


def test_security_bodies_is_absolute_with_its_own_ncnd_provision(loaded):
    s23 = exemption("FOIA", "23")
    assert s23.absolute is True
    assert s23.pit_applies is False
    assert s23.test == Exemption.CLASS
    assert s23.ncnd_provision == "23(5)"
    assert s23.provision_for("ncnd") == "23(5)"


@pytest.mark.parametrize(
    "section, test, ncnd",
    [
        ("24", Exemption.PREJUDICE, "24(2)"),
        ("27(1)", Exemption.PREJUDICE, "27(4)"),
        ("31", Exemption.PREJUDICE, "31(3)"),
    ],
)
def test_qualified_exemptions(loaded, section, test, ncnd):
    row = exemption("FOIA", section)
    assert row.absolute is False
    assert row.pit_applies is True
    assert row.test == test
    assert row.ncnd_provision == ncnd


def test_information_accessible_by_other_means_cannot_be_neither_confirmed_nor_denied(loaded):
    s21 = exemption("FOIA", "21")
    assert s21.absolute is True
    assert s21.ncnd_provision == ""
    with pytest.raises(ValueError, match="no neither-confirm-nor-deny provision"):
        s21.provision_for("ncnd")


def test_foisa_is_catalogued_down_to_the_limb_a_letter_cites(loaded):
    # Section 30's limbs each have their own test, so a letter must say which one applies.
    limbs = {"30(a)", "30(b)(i)", "30(b)(ii)", "30(c)"}
    foisa = set(Exemption.objects.filter(regime__code="FOISA").values_list("section", flat=True))
    assert limbs <= foisa and "30" not in foisa
    assert {"35(1)(a)", "35(1)(b)", "25(1)", "38(1)(b) first condition"} <= foisa
    assert exemption("FOISA", "38(1)(b) first condition").cited_section == "38(1)(b)"


def test_a_foisa_ncnd_cites_section_18_with_the_exemption_it_rests_on(loaded):
    # Section 18(1) serves every listed exemption: on its own it would not say which.
    assert exemption("FOISA", "35(1)(a)").provision_for("ncnd") == "18(1) with 35(1)(a)"
    assert exemption("FOISA", "30(b)(i)").provision_for("withhold") == "30(b)(i)"
    assert exemption("FOIA", "31").provision_for("ncnd") == "31(3)"


def test_commonly_used_provisions_are_marked_in_every_regime(loaded):
    common = Exemption.objects.filter(commonly_used=True)
    assert {"FOIA", "EIR", "FOISA"} == set(common.values_list("regime__code", flat=True))
    assert common.filter(regime__code="FOIA", section="40(1)").exists()
    assert common.filter(regime__code="EIR", section="12(5)(e)").exists()
    assert not Exemption.objects.get(regime__code="FOIA", section="28").commonly_used


def test_common_must_be_true_or_false(tmp_path, catalogue_data):
    index = entry_index(catalogue_data, "FOIA", "24")
    catalogue_data["exemptions"][index]["common"] = "yes"

    assert_rejected(
        write_catalogue(tmp_path, catalogue_data),
        "(FOIA 24)",
        "field 'common' must be true or false",
    )


def test_procedural_refusals_have_no_test_and_no_public_interest_test(loaded):
    rows = Exemption.objects.filter(procedural=True).select_related("regime")
    assert sorted((row.regime.code, row.section) for row in rows) == [
        ("FOIA", "12"),
        ("FOIA", "14(1)"),
        ("FOIA", "14(2)"),
        ("FOISA", "12"),
        ("FOISA", "14(1)"),
        ("FOISA", "14(2)"),
    ]
    assert all(row.test == "" and not row.pit_applies for row in rows)
    assert exemption("FOIA", "12").ncnd_provision == "12(2)"


def test_order_follows_the_file_within_each_regime(loaded, catalogue_data):
    in_file = [e["section"] for e in catalogue_data["exemptions"] if e["regime"] == "EIR"]
    in_database = list(
        Exemption.objects.filter(regime__code="EIR")
        .order_by("position")
        .values_list("section", flat=True)
    )
    assert in_database == in_file


# --- Loading twice, and loading a change ----------------------------------------------


def test_second_load_changes_nothing(loaded):
    ids_before = dict(Exemption.objects.values_list("pk", "title"))

    second = load_catalogue(DEFAULT_CATALOGUE)

    assert (second.exemptions.created, second.exemptions.updated) == (0, 0)
    assert second.exemptions.unchanged == 87
    assert (second.regimes.created, second.regimes.updated, second.regimes.unchanged) == (0, 0, 3)
    assert dict(Exemption.objects.values_list("pk", "title")) == ids_before


def test_changed_entry_is_updated_in_place(tmp_path, loaded, catalogue_data):
    original = exemption("FOIA", "24")
    for entry in catalogue_data["exemptions"]:
        if entry["regime"] == "FOIA" and entry["section"] == "24":
            entry["notes"] = "Revised note for the national security exemption."
    catalogue_data["regimes"]["EIR"]["response_days"] = 21

    report = load_catalogue(write_catalogue(tmp_path, catalogue_data))

    assert (report.exemptions.created, report.exemptions.updated) == (0, 1)
    assert (report.regimes.updated, report.regimes.unchanged) == (1, 2)
    updated = exemption("FOIA", "24")
    assert updated.pk == original.pk
    assert updated.notes == "Revised note for the national security exemption."
    assert Regime.objects.get(code="EIR").response_days == 21


def test_loading_fills_in_a_regime_created_elsewhere(foia):
    """The `foia` fixture makes a bare FOIA row; the catalogue completes it, same pk."""
    report = load_catalogue(DEFAULT_CATALOGUE)

    assert (report.regimes.created, report.regimes.updated) == (2, 1)
    refreshed = Regime.objects.get(code="FOIA")
    assert refreshed.pk == foia.pk
    assert refreshed.regulator == "Information Commissioner (application under s50)"


# --- Malformed files: a clear error and nothing written -------------------------------


def entry_index(data, code, section):
    for index, entry in enumerate(data["exemptions"]):
        if entry["regime"] == code and entry["section"] == section:
            return index
    raise LookupError(section)


def assert_rejected(path, *expected):
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    message = str(caught.value)
    assert str(path) in message
    for fragment in expected:
        assert fragment in message
    assert not Exemption.objects.exists()
    assert not Regime.objects.exists()
    return message


def test_missing_field_is_named_with_its_entry(tmp_path, catalogue_data):
    index = entry_index(catalogue_data, "FOIA", "31")
    del catalogue_data["exemptions"][index]["ncnd_provision"]

    assert_rejected(
        write_catalogue(tmp_path, catalogue_data),
        f"exemption #{index + 1} (FOIA 31)",
        "field 'ncnd_provision' is missing",
    )


def test_wrong_type_is_named_with_its_entry(tmp_path, catalogue_data):
    index = entry_index(catalogue_data, "EIR", "12(4)(e)")
    catalogue_data["exemptions"][index]["absolute"] = "no"

    assert_rejected(
        write_catalogue(tmp_path, catalogue_data),
        "(EIR 12(4)(e))",
        "field 'absolute' must be true or false",
    )


def test_unquoted_section_number_is_rejected(tmp_path, catalogue_data):
    index = entry_index(catalogue_data, "FOIA", "21")
    catalogue_data["exemptions"][index]["section"] = 21

    assert_rejected(
        write_catalogue(tmp_path, catalogue_data),
        f"exemption #{index + 1}",
        "field 'section' must be a quoted string",
    )


def test_unknown_test_is_rejected(tmp_path, catalogue_data):
    index = entry_index(catalogue_data, "FOIA", "38")
    catalogue_data["exemptions"][index]["test"] = "endanger"

    assert_rejected(
        write_catalogue(tmp_path, catalogue_data),
        "(FOIA 38)",
        "field 'test' must be 'class', 'prejudice' or null",
    )


def test_null_test_outside_procedural_entries_is_rejected(tmp_path, catalogue_data):
    index = entry_index(catalogue_data, "FOIA", "41")
    catalogue_data["exemptions"][index]["test"] = None

    assert_rejected(
        write_catalogue(tmp_path, catalogue_data), "(FOIA 41)", "only for procedural entries"
    )


def test_unknown_regime_is_rejected(tmp_path, catalogue_data):
    catalogue_data["exemptions"].append({**catalogue_data["exemptions"][0], "regime": "GDPR"})

    assert_rejected(
        write_catalogue(tmp_path, catalogue_data),
        "exemption #88 (GDPR 12)",
        "field 'regime' names unknown regime 'GDPR'",
    )


def test_ncnd_provision_must_be_text_or_null(tmp_path, catalogue_data):
    index = entry_index(catalogue_data, "FOIA", "26")
    catalogue_data["exemptions"][index]["ncnd_provision"] = True

    assert_rejected(
        write_catalogue(tmp_path, catalogue_data),
        "(FOIA 26)",
        "field 'ncnd_provision' must be a quoted string or null",
    )


def test_duplicate_section_is_rejected(tmp_path, catalogue_data):
    index = entry_index(catalogue_data, "FOISA", "30(b)(i)")
    catalogue_data["exemptions"].append(dict(catalogue_data["exemptions"][index]))

    assert_rejected(
        write_catalogue(tmp_path, catalogue_data),
        "exemption #88 (FOISA 30(b)(i))",
        f"duplicates exemption #{index + 1}",
    )


def test_regime_field_problems_are_named(tmp_path, catalogue_data):
    catalogue_data["regimes"]["FOISA"]["bank_holiday_divisions"] = ["wales"]
    del catalogue_data["regimes"]["EIR"]["statute"]

    message = assert_rejected(
        write_catalogue(tmp_path, catalogue_data),
        "regime FOISA: field 'bank_holiday_divisions'",
        "regime EIR: field 'statute' is missing",
    )
    assert "2 problems" in message


def test_invalid_yaml_is_rejected(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("regimes:\n  FOIA: {statute: [unclosed\nexemptions: []\n", encoding="utf-8")

    assert_rejected(path, "is not valid YAML at line")


def test_bad_file_leaves_an_existing_catalogue_untouched(tmp_path, loaded, catalogue_data):
    before = exemption("FOIA", "24").notes
    catalogue_data["exemptions"][entry_index(catalogue_data, "FOIA", "24")]["notes"] = "Changed."
    catalogue_data["exemptions"][entry_index(catalogue_data, "FOIA", "26")]["title"] = None

    with pytest.raises(CatalogueError, match="field 'title' must be a quoted string"):
        load_catalogue(write_catalogue(tmp_path, catalogue_data))

    assert exemption("FOIA", "24").notes == before


# --- The management command -----------------------------------------------------------


def test_command_prints_a_one_line_summary():
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    assert out.getvalue().strip().count("\n") == 0
    assert "3 regimes (3 created" in out.getvalue()
    assert "87 exemptions (87 created, 0 updated, 0 unchanged)" in out.getvalue()

    out = StringIO()
    call_command("load_catalogue", stdout=out)
    assert "87 exemptions (0 created, 0 updated, 87 unchanged)" in out.getvalue()


def test_command_fails_with_the_error_for_a_bad_file(tmp_path, catalogue_data):
    catalogue_data["exemptions"][0]["pit_applies"] = "maybe"
    path = write_catalogue(tmp_path, catalogue_data)

    with pytest.raises(CommandError, match=r"exemption #1 \(FOIA 12\): field 'pit_applies'"):
        call_command("load_catalogue", "--file", str(path), stdout=StringIO())
    assert not Exemption.objects.exists()
