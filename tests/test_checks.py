"""The registry of checks: one code and one severity per rule, wherever it is shown."""

from collections import defaultdict

from exemptions.models import Exemption
from responses import checks
from responses.checks.registry import REGISTRY, Severity
from responses.drafting.editing import assemble_letter
from responses.models import Decision, Letter
from tests.test_letter_assembly import decide, exemption, make_case

NCND = "ncnd"


def test_each_registered_check_has_one_severity_and_a_unique_code():
    codes = [registered.code for registered in REGISTRY]
    assert len(codes) == len(set(codes))
    for registered in REGISTRY:
        assert isinstance(registered.severity, Severity)
        assert registered.letters or registered.on_case, registered.code
        assert set(registered.letters) <= set(Letter.Kind), registered.code


def test_a_rule_has_the_same_code_and_severity_on_the_decisions_page_and_the_letter(
    catalogue, authority, requester, officer
):
    case = make_case(officer, authority, requester)
    decide(case, officer, [1], Decision.Outcome.NCND)  # no citation; Q2 and Q3 undecided
    letter = assemble_letter(case, actor=officer)
    severities = defaultdict(set)
    for finding in [*checks.case_findings(case), *checks.letter_findings(letter)]:
        severities[finding.code].add(finding.severity)
    assert severities["question-undecided"] == {Severity.ERROR}
    assert all(len(found) == 1 for found in severities.values()), severities
    case_messages = {f.message for f in checks.case_findings(case)}
    assert case_messages <= {f.message for f in checks.letter_findings(letter)}


def test_a_public_interest_part_on_an_absolute_exemption_is_an_error(
    catalogue, authority, requester, officer
):
    case = make_case(officer, authority, requester)
    decide(case, officer, [1, 2, 3], Decision.Outcome.NCND, [("24", NCND)])
    letter = assemble_letter(case, actor=officer)
    # The catalogue is corrected after the letter was drafted: s24 becomes absolute.
    Exemption.objects.filter(pk=exemption("24").pk).update(absolute=True, pit_applies=False)
    found = [f for f in checks.letter_findings(letter) if f.code == "pit-absolute"]
    assert found and all(f.is_error and f.row == 13 for f in found)
    assert not checks.can_submit(letter)
