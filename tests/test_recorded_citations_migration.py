"""The data migration that moved what an issued request cited from a JSON list on the case
to RecordedCitation rows, which the statistics group in the database."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import builders

BEFORE = [("responses", "0030_open_cases_index")]
AFTER = [("responses", "0031_recorded_citations")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_each_cited_pair_becomes_a_row_and_a_section_counts_once_per_request(
    catalogue, officer, authority, requester, back_to_latest
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
