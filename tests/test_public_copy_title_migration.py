"""The data migration that gave each public copy the title the disclosure log lists it under."""

import pytest

from responses.models import Publication
from tests import builders
from tests.migrating import back_to_latest, migrate  # noqa: F401 (a fixture)

pytest_plugins = ["tests.review_fixtures"]

BEFORE = [("responses", "0033_citation_exemption_latest")]
AFTER = [("responses", "0034_public_copy_title")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_each_published_copy_takes_its_case_subject(
    catalogue, authority, requester, officer, reviewer, fake_renderer
):
    titles = {}
    for subject in ("Drone flights", "Speed awareness income"):
        letter = builders.response_letter(
            actor=officer, authority=authority, requester=requester, subject=subject
        )
        builders.approve(letter, officer=officer, reviewer=reviewer)
        builders.issue(letter, actor=officer)
        titles[Publication.objects.get(letter=letter).copy.pk] = subject

    migrate(BEFORE)
    new = migrate(AFTER)

    copies = new.get_model("responses", "PublicCopy").objects.values_list("pk", "title")
    assert dict(copies) == titles
