"""What the disclosure log leaves out on the officer's word: paragraphs marked personal and
enclosures marked not for publication; and the officer's and administrator's own pages
(keeping a waiting entry out of the log, withdrawing one) keep what they typed."""

import datetime

import pytest

from responses import publishing, workflow
from responses.checks.public_copy import pdf_parts
from responses.drafting import editing
from responses.models import CaseEvent, LetterParagraph, Publication
from tests import builders

pytest_plugins = ["tests.review_fixtures"]

PERSONAL = "As we discussed when Marigold Thistlewood telephoned you on Tuesday."
SECRET_TITLE = "Xylophone board minutes"
SECRET_CONTENT = b"date,item\n2025-01-04,Quillwort incident\n"
PUBLIC_TITLE = "Drone policy, 2025"


@pytest.fixture
def people(catalogue, authority, requester, officer):
    return dict(actor=officer, authority=authority, requester=requester)


def with_personal_paragraph(letter, officer):
    """The officer adds a paragraph to the searches section and ticks *Personal*."""
    section = letter.sections.get(key="searches")
    letter.refresh_from_db()
    editing.save_letter(
        letter,
        actor=officer,
        revision=letter.revision,
        operation=editing.Operation("add", target=0, section=section.pk),
    )
    added = section.paragraphs.order_by("position").first()
    letter.refresh_from_db()
    editing.save_letter(
        letter,
        actor=officer,
        revision=letter.revision,
        texts={added.pk: PERSONAL},
        personal={added.pk: True},
    )
    return LetterParagraph.objects.get(pk=added.pk)


def with_enclosures(letter, officer):
    builders.enclose(letter, actor=officer, title=PUBLIC_TITLE)
    builders.enclose(
        letter,
        actor=officer,
        title=SECRET_TITLE,
        content=SECRET_CONTENT,
        name="xylophone-minutes.csv",
        not_for_publication=True,
    )


def test_the_editor_marks_a_paragraph_personal_and_the_version_keeps_it(client, people, officer):
    letter = builders.response_letter(**people)
    paragraph = builders.paragraph(letter, "searches")
    client.force_login(officer)
    field = f"p-{paragraph.pk}"
    page = client.get(f"/letters/{letter.pk}/").content.decode()
    assert f'name="{field}-personal"' in page
    response = client.post(
        f"/letters/{letter.pk}/",
        {"revision": letter.revision, field: paragraph.text, f"{field}-personal": "on"},
    )
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.personal
    letter.refresh_from_db()
    # Rebuilding from the decisions keeps the mark.
    builders.rebuild_letter(letter, actor=officer, revision=letter.revision)
    assert builders.paragraph(letter, "searches").personal
    version = builders.submit(letter, actor=officer)
    searches = next(s for s in version.sections if s["key"] == "searches")
    assert searches["paragraphs"][0]["personal"] is True
    # Reviewers see the mark in the read-only editor.
    assert (
        "Personal: not in the public copy" in client.get(f"/letters/{letter.pk}/").content.decode()
    )


def test_unticking_personal_clears_it(client, people, officer):
    letter = builders.response_letter(**people)
    paragraph = builders.paragraph(letter, "searches")
    letter.refresh_from_db()
    editing.save_letter(
        letter, actor=officer, revision=letter.revision, personal={paragraph.pk: True}
    )
    letter.refresh_from_db()
    client.force_login(officer)
    client.post(
        f"/letters/{letter.pk}/",
        {"revision": letter.revision, f"p-{paragraph.pk}": paragraph.text},
    )
    paragraph.refresh_from_db()
    assert not paragraph.personal


def test_the_officer_sees_the_public_copy_without_them_before_confirming(
    client, people, officer, reviewer
):
    letter = builders.response_letter(**people)
    with_personal_paragraph(letter, officer)
    with_enclosures(letter, officer)
    builders.approve(letter, officer=officer, reviewer=reviewer)
    client.force_login(officer)
    page = client.get(f"/letters/{letter.pk}/issue/").content.decode()
    public = page.split('data-testid="public-copy"')[1]
    assert PERSONAL not in public and "Thistlewood" not in public
    assert SECRET_TITLE not in public
    assert PUBLIC_TITLE in public
    assert "Annex B was sent to the requester but is not published here" in public
    assert "It is available on request." in public


@pytest.mark.slow
def test_no_public_byte_carries_a_personal_paragraph_or_an_unpublished_enclosure(
    client, people, officer, reviewer
):
    """The real renderer: the entry's page, its PDF (text, metadata, attachments), the list,
    the feed and the API carry neither; the issued letter still has both."""
    letter = builders.response_letter(**people)
    with_personal_paragraph(letter, officer)
    with_enclosures(letter, officer)
    document = builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    entry = Publication.objects.get(letter=letter)
    assert entry.status == Publication.Status.PUBLISHED
    # The requester's letter is whole.
    assert PERSONAL in document.version.html and SECRET_TITLE in document.version.html

    pdf = client.get(f"/disclosure-log/{entry.slug}/letter.pdf")
    parts = pdf_parts(pdf.content)
    pdf_text = " ".join(parts.values())
    assert "Annex A" in pdf_text and PUBLIC_TITLE in pdf_text
    annex_a = client.get(f"/disclosure-log/{entry.slug}/annex-A/")
    assert annex_a.status_code == 200
    assert b"".join(annex_a.streaming_content) == builders.ENCLOSED_PDF
    assert client.get(f"/disclosure-log/{entry.slug}/annex-B/").status_code == 404
    page = client.get(f"/disclosure-log/{entry.slug}/").content.decode()
    assert f"/disclosure-log/{entry.slug}/annex-A/" in page
    assert "Annex B was sent to the requester but is not published here" in page
    api_entry = client.get(f"/api/disclosure-log/{entry.slug}/").json()
    assert [e["annex"] for e in api_entry["enclosures"]] == ["A"]
    assert api_entry["enclosures_omitted"] == ["B"]
    assert api_entry["enclosures"][0]["url"].endswith(f"/disclosure-log/{entry.slug}/annex-A/")

    # Search finds the entry by its public words, and never by what was left out.
    for word in ("Thistlewood", "Quillwort", "Xylophone"):
        assert not client.get("/disclosure-log/", {"q": word}).context["entries"], word
    public = {
        "page": page,
        "list": client.get("/disclosure-log/").content.decode(),
        "feed": client.get("/disclosure-log/feed/").content.decode(),
        "api": client.get("/api/disclosure-log/").content.decode(),
        "api entry": client.get(f"/api/disclosure-log/{entry.slug}/").content.decode(),
        "pdf headers": str(pdf.headers),
        "pdf bytes": pdf.content.decode("latin-1"),
        "annex A": b"".join(annex_a.streaming_content).decode("latin-1"),
        **parts,
    }
    for secret in (
        "Thistlewood",
        "telephoned you on Tuesday",
        "Xylophone",
        "xylophone-minutes",
        "Quillwort",
    ):
        found = [where for where, text in public.items() if secret.lower() in text.lower()]
        assert not found, f"{secret!r} is in the public copy: {found}"


def scheduled(people, officer, reviewer):
    letter = builders.response_letter(**people)
    builders.approve(letter, officer=officer, reviewer=reviewer)
    later = datetime.date.today() + datetime.timedelta(days=30)
    workflow.choose_publication(letter, actor=officer, publish=True, publish_on=later)
    builders.issue(letter, actor=officer)
    entry = Publication.objects.get(letter=letter)
    assert entry.status == Publication.Status.SCHEDULED
    return letter, entry


def test_a_scheduled_entry_can_be_kept_out_of_the_log_after_issue(
    client, people, officer, reviewer, fake_renderer
):
    letter, entry = scheduled(people, officer, reviewer)
    client.force_login(officer)
    issue_page = client.get(f"/letters/{letter.pk}/issue/").content.decode()
    assert f"/letters/{letter.pk}/publication/decline/" in issue_page

    refused = client.post(f"/letters/{letter.pk}/publication/decline/", {"reason": "   "})
    assert refused.status_code == 400
    assert "Enter a reason." in refused.content.decode()
    entry.refresh_from_db()
    assert entry.status == Publication.Status.SCHEDULED

    reason = "The requester asked us not to publish while their complaint is open."
    done = client.post(f"/letters/{letter.pk}/publication/decline/", {"reason": reason})
    assert done.status_code == 302
    entry.refresh_from_db()
    assert entry.status == Publication.Status.NOT_PUBLISHED and entry.reason == reason
    event = letter.case.events.filter(action=CaseEvent.Action.PUBLICATION_DECLINED).get()
    assert event.comment == reason and event.actor == officer
    assert publishing.publish_due(today=datetime.date.today() + datetime.timedelta(days=31)) == []
    assert client.get(f"/disclosure-log/{entry.slug}/").status_code == 404


def test_declining_a_published_entry_is_refused_and_keeps_the_reason(
    client, people, officer, reviewer, fake_renderer
):
    letter = builders.response_letter(**people)
    builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    client.force_login(officer)
    reason = "Typed with care: this text must survive a refusal."
    refused = client.post(f"/letters/{letter.pk}/publication/decline/", {"reason": reason})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "only one not yet published can be declined" in body
    assert reason in body
    assert Publication.objects.get(letter=letter).status == Publication.Status.PUBLISHED


def test_a_refused_withdrawal_keeps_the_typed_reason(
    client, people, officer, reviewer, administrator, fake_renderer
):
    letter = builders.response_letter(**people)
    builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    entry = Publication.objects.get(letter=letter)
    client.force_login(administrator)
    empty = client.post(f"/disclosure-log/{entry.slug}/withdraw/", {"reason": "  "})
    assert empty.status_code == 400
    assert "Say why the entry is withdrawn." in empty.content.decode()

    workflow.withdraw_publication(entry, actor=administrator, reason="First withdrawal.")
    reason = "A second reason, typed at length, that must not be lost."
    again = client.post(f"/disclosure-log/{entry.slug}/withdraw/", {"reason": reason})
    assert again.status_code == 400
    body = again.content.decode()
    assert "only a published one can be withdrawn" in body
    assert reason in body
