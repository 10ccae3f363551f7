"""The disclosure log: issued responses published without the requester, searchable, with a
feed and an API; withdrawn entries gone from all three."""

import datetime

import pytest
import time_machine

from responses import publishing, workflow
from responses.models import CaseEvent, Publication
from tests import builders

pytest_plugins = ["tests.review_fixtures"]


@pytest.fixture
def people(catalogue, authority, requester, officer):
    return dict(actor=officer, authority=authority, requester=requester)


def published(people, officer, reviewer, **choice):
    """A response approved, its publication chosen (publish by default), and issued."""
    letter = builders.response_letter(**people)
    builders.approve(letter, officer=officer, reviewer=reviewer)
    if choice:
        workflow.choose_publication(letter, actor=officer, **choice)
    builders.issue(letter, actor=officer)
    return Publication.objects.get(letter=letter)


def test_issuing_a_response_publishes_it(people, officer, reviewer, fake_renderer):
    entry = published(people, officer, reviewer)
    assert entry.status == Publication.Status.PUBLISHED
    assert entry.slug == entry.letter.case.reference.lower().replace("/", "-")
    assert entry.copy.sha256 == entry.copy.digest(entry.copy.pdf)
    assert "Dear requester," in entry.copy.text
    assert "Rowan Requester" not in entry.copy.html
    actions = list(entry.letter.case.events.values_list("action", flat=True))
    assert actions[-2:] == [
        CaseEvent.Action.PUBLICATION_COPY_MADE,
        CaseEvent.Action.PUBLICATION_PUBLISHED,
    ]


def test_declining_needs_a_reason(people, officer, reviewer, fake_renderer):
    letter = builders.approve(
        builders.response_letter(**people), officer=officer, reviewer=reviewer
    )
    with pytest.raises(workflow.TransitionError, match="Say why"):
        workflow.choose_publication(letter, actor=officer, publish=False, reason="  ")
    workflow.choose_publication(
        letter, actor=officer, publish=False, reason="Concerns a live investigation."
    )
    builders.issue(letter, actor=officer)
    entry = Publication.objects.get(letter=letter)
    assert entry.status == Publication.Status.NOT_PUBLISHED
    assert entry.reason == "Concerns a live investigation."
    assert not hasattr(entry, "copy")


def test_a_delayed_entry_is_published_on_its_date(people, officer, reviewer, fake_renderer):
    today = datetime.date.today()
    entry = published(
        people, officer, reviewer, publish=True, publish_on=today + datetime.timedelta(days=10)
    )
    assert entry.status == Publication.Status.SCHEDULED
    assert publishing.publish_due(today=today) == []
    with time_machine.travel(today + datetime.timedelta(days=10)):
        assert [p.pk for p in publishing.publish_due()] == [entry.pk]
    entry.refresh_from_db()
    assert entry.status == Publication.Status.PUBLISHED


def test_a_copy_naming_the_requester_is_held_back(people, officer, reviewer, fake_renderer):
    letter = builders.response_letter(**people)
    builders.edit_answer(letter, actor=officer, text="Thank you, Rowan Requester, for asking.")
    builders.approve(letter, officer=officer, reviewer=reviewer)
    assert publishing.preview(letter).names_requester
    builders.issue(letter, actor=officer)
    entry = Publication.objects.get(letter=letter)
    assert entry.status == Publication.Status.HELD
    assert "name" in entry.reason and "page text" in entry.reason
