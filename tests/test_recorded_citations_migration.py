"""The data migration that moved what an issued request cited from a JSON list on the case
to RecordedCitation rows, which the statistics group in the database."""

import pytest

from tests import builders
from tests.migrating import back_to_latest, migrate  # noqa: F401 (a fixture)

BEFORE = [("responses", "0030_open_cases_index")]
AFTER = [("responses", "0031_recorded_citations")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_each_cited_pair_becomes_a_row_and_a_section_counts_once_per_request(
    catalogue, officer, authority, requester
):
    case = builders.open_case(actor=officer, authority=authority, requester=requester)
    old = migrate(BEFORE)
    exemptions = old.get_model("exemptions", "Exemption").objects
    s24 = exemptions.get(regime__code="FOIA", section="24").pk
    s31 = exemptions.get(regime__code="FOIA", section="31").pk
    old.get_model("responses", "Case").objects.filter(pk=case.pk).update(
        statistics_citations=[[s24, "withhold"], [s31, "withhold"], [s24, "ncnd"]]
    )

    new = migrate(AFTER)
    rows = new.get_model("responses", "RecordedCitation").objects.filter(case_id=case.pk)
    assert sorted(rows.values_list("exemption_id", "mode", "counts_for_section")) == sorted(
        [(s24, "ncnd", True), (s24, "withhold", False), (s31, "withhold", True)]
    )
