"""The disclosure log: issued responses published without the requester, searchable, with a
feed and an API; withdrawn entries gone from all three."""

import datetime
import re

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


def test_a_subject_naming_the_requester_holds_the_entry_back(
    people, officer, reviewer, fake_renderer
):
    letter = builders.response_letter(**people, subject="Rowan Requester: drones")
    builders.approve(letter, officer=officer, reviewer=reviewer)
    found = publishing.preview(letter).findings
    assert found and "entry title" in " ".join(f.message for f in found)
    builders.issue(letter, actor=officer)
    entry = Publication.objects.get(letter=letter)
    assert entry.status == Publication.Status.HELD
    assert "entry title" in entry.reason


def test_the_log_keeps_the_title_it_was_published_under(
    client, people, officer, reviewer, fake_renderer
):
    entry = published(people, officer, reviewer)
    case = entry.letter.case
    title = f"{case.reference}: {case.subject}"
    # The subject is an officers' label: it may still change after the letter is issued.
    case.subject = "Rowan Requester's drone complaint"
    case.save(update_fields=["subject"])

    pages = [
        client.get("/disclosure-log/").content.decode(),
        client.get(f"/disclosure-log/{entry.slug}/").content.decode(),
        client.get("/disclosure-log/feed/").content.decode(),
        client.get(f"/api/disclosure-log/{entry.slug}/").content.decode(),
    ]
    for page in pages[:3]:
        assert title in page.replace("&#x27;", "'")
    assert f'"subject": "{entry.copy.title}"' in pages[3].replace('":"', '": "')
    assert not [page for page in pages if "Rowan" in page]


def test_provisions_are_listed_in_statutory_order(people, officer, reviewer, fake_renderer):
    case = builders.open_case(**people, questions=["Prices?", "Contract?", "Misconduct?"])
    builders.decide(
        case, actor=officer, numbers=[1], outcome="withheld", citations=[("43(2)", "withhold")]
    )
    builders.decide(
        case, actor=officer, numbers=[2], outcome="withheld", citations=[("21", "withhold")]
    )
    builders.decide(
        case,
        actor=officer,
        numbers=[3],
        outcome="ncnd",
        citations=[("40(2) first condition", "ncnd")],
    )
    letter = builders.response_letter(case, actor=officer, slot_values={"subject": "agency staff"})
    builders.approve(letter, officer=officer, reviewer=reviewer)
    builders.issue(letter, actor=officer)

    entry = Publication.objects.get(letter=letter)
    assert entry.provision_list == ["section 21(1)", "section 40(5B)(a)", "section 43(2)"]


def test_the_public_letter_is_drawn_in_the_pages_own_type(
    client, people, officer, reviewer, fake_renderer
):
    """The letter's stored HTML carries no GOV.UK classes: the page styles it by where it
    sits, so its quoted questions, tables and headings do not fall back to browser defaults."""
    from tests.conftest import linked_styles

    entry = published(people, officer, reviewer)
    page = client.get(f"/disclosure-log/{entry.slug}/").content.decode()
    assert '<article class="app-public-letter"' in page and 'class="questions"' in page
    styles = linked_styles(page)
    for selector in (".questions", ".question__number", "table", "th", "h2", "p"):
        assert re.search(rf"\.app-public-letter [^{{]*{re.escape(selector)}\b", styles), selector


def _listed_slugs(client, url="/disclosure-log/", **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_search_finds_an_entry_by_a_word_in_its_text(
    client, people, officer, reviewer, fake_renderer
):
    entry = published(people, officer, reviewer)
    other = builders.response_letter(**people)
    builders.edit_answer(other, actor=officer, text="We hold no records about helicopters.")
    builders.approve(other, officer=officer, reviewer=reviewer)
    builders.issue(other, actor=officer)
    other_entry = Publication.objects.get(letter=other)

    page = client.get("/disclosure-log/", {"q": "helicopters"}).content.decode()
    assert other_entry.slug in page and entry.slug not in page
    # Stemming: "helicopter" finds "helicopters"; the search also feeds the API.
    api = client.get("/api/disclosure-log/", {"q": "helicopter"}).json()
    assert {row["slug"] for row in api["results"]} == {other_entry.slug}
    both = client.get("/api/disclosure-log/", {"q": "policies drones"}).json()
    assert {row["slug"] for row in both["results"]} == {entry.slug, other_entry.slug}
    assert client.get("/disclosure-log/", {"q": "zeppelins"}).context["entries"] == []


def test_a_withdrawn_entry_leaves_the_list_feed_and_api(
    client, people, officer, reviewer, administrator, fake_renderer
):
    entry = published(people, officer, reviewer)
    url = f"/disclosure-log/{entry.slug}/"
    assert entry.slug in client.get("/disclosure-log/").content.decode()
    assert entry.slug in client.get("/disclosure-log/feed/").content.decode()
    assert client.get(f"/api/disclosure-log/{entry.slug}/").status_code == 200

    with pytest.raises(workflow.TransitionError, match="administrator"):
        workflow.withdraw_publication(entry, actor=officer, reason="Asked to.")
    client.force_login(administrator)
    client.post(f"{url}withdraw/", {"reason": "Published in error."})
    client.logout()
    entry.refresh_from_db()
    assert entry.status == Publication.Status.WITHDRAWN

    assert entry.slug not in client.get("/disclosure-log/").content.decode()
    assert entry.slug not in client.get("/disclosure-log/feed/").content.decode()
    assert client.get("/api/disclosure-log/").json()["results"] == []
    assert client.get(f"/api/disclosure-log/{entry.slug}/").status_code == 404
    assert client.get(f"{url}letter.pdf").status_code == 404
    assert client.get("/disclosure-log/", {"q": "drones"}).context["entries"] == []
    page = client.get(url)
    assert "withdrawn from the disclosure log on" in page.content.decode()
    assert "public-letter" not in page.content.decode()
    assert CaseEvent.objects.filter(
        action=CaseEvent.Action.PUBLICATION_WITHDRAWN, comment="Published in error."
    ).exists()

    # Republishing is a new event, and the entry is back everywhere.
    workflow.republish_publication(entry, actor=administrator)
    assert entry.slug in client.get("/disclosure-log/").content.decode()
    assert CaseEvent.objects.filter(action=CaseEvent.Action.PUBLICATION_REPUBLISHED).exists()


def test_keyset_pagination_walks_forward_and_back(
    client, people, officer, reviewer, fake_renderer, monkeypatch
):
    from responses.disclosure_log import listing

    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    start = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    slugs = []
    # Published a day apart, except the last two at the same moment: the pk breaks the tie.
    for day in (0, 1, 2, 3, 3):
        entry = published(people, officer, reviewer)
        moment = start + datetime.timedelta(days=day)
        Publication.objects.filter(pk=entry.pk).update(published_at=moment)
        slugs.append(entry.slug)
    newest_first = list(reversed(slugs))

    def page_at(url):
        response = client.get(url)
        return [entry.slug for entry, _ in response.context["entries"]], response.context

    got, context = page_at("/disclosure-log/")
    assert got == newest_first[:2] and context["previous_url"] is None
    got, context = page_at("/disclosure-log/" + context["next_url"])
    assert got == newest_first[2:4]
    third, context_3 = page_at("/disclosure-log/" + context["next_url"])
    assert third == newest_first[4:] and context_3["next_url"] is None
    got, context = page_at("/disclosure-log/" + context_3["previous_url"])
    assert got == newest_first[2:4]
    got, context = page_at("/disclosure-log/" + context["previous_url"])
    assert got == newest_first[:2] and context["previous_url"] is None
    # The API pages the same way.
    api = client.get("/api/disclosure-log/").json()
    assert [row["slug"] for row in api["results"]] == newest_first[:2]
    assert [row["slug"] for row in client.get(api["next"]).json()["results"]] == newest_first[2:4]


def test_filters_by_outcome_provision_regime_and_date(
    client, people, officer, reviewer, fake_renderer
):
    entry = published(people, officer, reviewer)
    outcome = entry.outcome_codes[0]
    assert client.get("/disclosure-log/", {"outcome": outcome}).context["entries"]
    assert not client.get("/disclosure-log/", {"outcome": "ncnd"}).context["entries"] or (
        "ncnd" in entry.outcome_codes
    )
    assert client.get("/disclosure-log/", {"regime": "FOIA"}).context["entries"]
    assert not client.get("/disclosure-log/", {"regime": "EIR"}).context["entries"]
    assert not client.get("/disclosure-log/", {"provision": "section 99"}).context["entries"]
    today = entry.published_at.date()
    after = (today + datetime.timedelta(days=1)).isoformat()
    assert client.get("/disclosure-log/", {"published_from": today.isoformat()}).context["entries"]
    assert not client.get("/disclosure-log/", {"published_from": after}).context["entries"]


@pytest.mark.slow
def test_no_public_byte_names_the_requester(client, catalogue, authority, officer, reviewer):
    """The real renderer: the public page, PDF (text, metadata, attachments, file name),
    feed and API record carry none of the requester's details."""
    from responses.checks.public_copy import pdf_parts
    from responses.models import Requester

    requester = Requester.objects.create(
        name="Quentin Zebedee-Privet",
        email="q.privet@example.org",
        postal_address="17 Larkspur Crescent\nNorthampton\nNN9 4QZ",
    )
    letter = builders.response_letter(actor=officer, authority=authority, requester=requester)
    builders.approve(letter, officer=officer, reviewer=reviewer)
    preview_page = client_for(client, officer).get(f"/letters/{letter.pk}/issue/")
    assert "Dear requester," in preview_page.content.decode()
    client.logout()
    builders.issue(letter, actor=officer)
    entry = Publication.objects.get(letter=letter)
    assert entry.status == Publication.Status.PUBLISHED
    # The issued letter itself is addressed to them: the legal record is untouched.
    assert "Quentin Zebedee-Privet" in entry.copy.document.version.html

    pdf = client.get(f"/disclosure-log/{entry.slug}/letter.pdf")
    parts = pdf_parts(pdf.content)
    assert "Dear requester" in " ".join(parts.values())
    assert "decision.json" in " ".join(parts)
    public = {
        "page": client.get(f"/disclosure-log/{entry.slug}/").content.decode(),
        "list": client.get("/disclosure-log/").content.decode(),
        "feed": client.get("/disclosure-log/feed/").content.decode(),
        "api": client.get("/api/disclosure-log/").content.decode(),
        "api entry": client.get(f"/api/disclosure-log/{entry.slug}/").content.decode(),
        "pdf headers": str(pdf.headers),
        "pdf bytes": pdf.content.decode("latin-1"),
        **parts,
    }
    for detail in ("Quentin", "Zebedee", "Privet", "q.privet", "Larkspur", "NN9 4QZ"):
        found = [where for where, text in public.items() if detail.lower() in text.lower()]
        assert not found, f"{detail!r} is in the public copy: {found}"


def client_for(client, user):
    client.force_login(user)
    return client


def test_the_issue_page_shows_the_public_copy_and_keeps_a_missing_reason(
    client, people, officer, reviewer, fake_renderer, django_capture_on_commit_callbacks
):
    letter = builders.approve(
        builders.response_letter(**people), officer=officer, reviewer=reviewer
    )
    client.force_login(officer)
    page = client.get(f"/letters/{letter.pk}/issue/").content.decode()
    assert 'data-testid="public-copy"' in page and "Dear requester," in page
    case = letter.case
    assert f"Listed as <strong>{case.reference}: {case.subject}</strong>" in page
    assert "Rowan Requester" not in page.split('data-testid="public-copy"')[1]

    refused = client.post(f"/letters/{letter.pk}/issue/", {"publish": "do-not-publish"})
    assert refused.status_code == 400
    assert "Say why this response will not be published." in refused.content.decode()
    letter.refresh_from_db()
    assert letter.status == letter.Status.APPROVED

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/letters/{letter.pk}/issue/",
            {"publish": "do-not-publish", "reason": "Third-party details throughout."},
        )
    letter.refresh_from_db()
    assert letter.status == letter.Status.ISSUED
    assert letter.publication.status == Publication.Status.NOT_PUBLISHED
