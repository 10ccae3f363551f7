"""Enclosures: attached to a draft, listed as annexes, frozen with each version, issued once
by SHA-256, downloadable by the requester, recognised at /verify/, redactions argued."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from exemptions.models import Exemption
from responses import checks, enclosures, issuing, tokens, workflow
from responses.drafting.wording import DraftingError
from responses.enclosures import EnclosureError
from responses.models import (
    CaseEvent,
    Decision,
    Enclosure,
    EnclosureFile,
    FrozenEnclosure,
)
from responses.permissions import REVIEWERS
from responses.rendering.html import pdf_inputs, render_letter_html
from tests import builders

pytest_plugins = ["tests.review_fixtures"]

SPREADSHEET_NAME = "stops-2025.xlsx"


def xlsx_bytes():
    """A minimal Office Open XML package: what the type check looks for."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.fixture
def people(catalogue, authority, requester, officer):
    return dict(actor=officer, authority=authority, requester=requester)


@pytest.fixture
def letter(people):
    return builders.response_letter(**people)


def upload(client, letter, **data):
    return client.post(f"/letters/{letter.pk}/enclosures/", data)


def test_an_officer_encloses_files_and_the_letter_lists_them_as_annexes(client, letter, officer):
    client.force_login(officer)
    pdf = SimpleUploadedFile("Drone policy (final).pdf", builders.ENCLOSED_PDF)
    response = upload(client, letter, file=pdf, title="Drone policy, 2025")
    assert response.status_code == 302
    sheet = SimpleUploadedFile(SPREADSHEET_NAME, xlsx_bytes())
    upload(client, letter, file=sheet, title="Stop and search figures")

    first, second = letter.enclosures.all()
    assert first.file_name == "Drone policy (final).pdf"
    assert first.sha256 == hashlib.sha256(builders.ENCLOSED_PDF).hexdigest()
    assert second.media_type.endswith("spreadsheetml.sheet")
    # Stored through the storages API, under a name of our own.
    assert first.file.name.startswith("enclosures/drafts/")
    assert first.file.storage.exists(first.file.name)
    html = render_letter_html(letter)
    assert "<strong>Annex A</strong>: Drone policy, 2025" in html
    assert "<strong>Annex B</strong>: Stop and search figures" in html
    data = json.loads(pdf_inputs(letter, draft=True)["attachments"][0][1])
    assert [(e["annex"], e["title"], e["sha256"]) for e in data["enclosures"]] == [
        ("A", "Drone policy, 2025", first.sha256),
        ("B", "Stop and search figures", second.sha256),
    ]
    page = client.get(f"/letters/{letter.pk}/").content.decode()
    assert "Annex A: Drone policy, 2025" in page
    events = CaseEvent.objects.filter(action=CaseEvent.Action.ENCLOSURE_ADDED)
    assert events.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "is not a kind of file that can be enclosed"),
        ("report.pdf", b"MZ\x90\x00 a program", "is called .pdf but is not a PDF file"),
        ("figures.xlsx", b"PK\x03\x04 not really a zip", "is not a Excel file"),
        ("empty.csv", b"", "is empty"),
    ],
)
def test_a_file_that_cannot_be_enclosed_says_why_and_keeps_what_was_typed(
    client, letter, officer, name, content, message
):
    client.force_login(officer)
    response = upload(
        client,
        letter,
        file=SimpleUploadedFile(name, content),
        title="Minutes of the drone board",
        not_for_publication="on",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body.replace("&quot;", '"').replace("&#x27;", "'")
    assert 'value="Minutes of the drone board"' in body
    assert "choose the file again" in body
    assert not letter.enclosures.exists()


def test_the_size_limit_comes_from_settings(client, letter, officer, settings):
    settings.ENCLOSURE_MAX_MB = 1
    client.force_login(officer)
    big = SimpleUploadedFile("big.csv", b"a,b\n" * 300_000)
    body = upload(client, letter, file=big, title="All of it").content.decode()
    assert "the largest file that can be enclosed is 1 MB" in body
    assert "up to 1 MB" in body  # the hint says so before anyone tries
    settings.ENCLOSURE_TYPES = ["pdf"]
    body = upload(
        client, letter, file=SimpleUploadedFile("a.csv", b"a,b\n"), title="CSV"
    ).content.decode()
    assert "Use one of: PDF." in body


def test_a_redaction_must_name_provisions_and_they_must_be_argued(people, officer):
    letter = builders.response_letter(**people)
    s43 = Exemption.objects.get(regime=letter.case.regime, section="43(2)")
    with pytest.raises(EnclosureError, match="Choose the provisions"):
        builders.enclose(letter, actor=officer, redacted=True)
    builders.enclose(letter, actor=officer, redacted=True, exemptions=[s43])
    found = [f for f in checks.letter_findings(letter) if f.code == "redaction-not-argued"]
    assert [f.message for f in found] == [
        "Annex A (“Drone policy, 2025”) is released with redactions under section 43(2), "
        "but no decision withholds information under section 43(2): add it to the decision "
        "the redactions belong to, so the letter argues it."
    ]
    assert found[0].is_error
    with pytest.raises(workflow.TransitionError, match="no decision withholds"):
        workflow.submit_letter(letter, actor=officer)

    # Withheld in part under section 43(2): the letter argues it, and the check is satisfied.
    (decision,) = letter.case.decisions.all()
    builders.delete_decision(decision, actor=officer)
    builders.decide(
        letter.case,
        actor=officer,
        outcome=Decision.Outcome.PROVIDED_IN_PART,
        citations=[("43(2)", builders.WITHHOLD)],
    )
    letter.refresh_from_db()
    builders.rebuild_letter(letter, actor=officer, revision=letter.revision)
    assert not [f for f in checks.letter_findings(letter) if f.code == "redaction-not-argued"]
    assert "Released with redactions under section 43(2)" in render_letter_html(letter)


def test_each_version_freezes_its_own_enclosures(people, officer, reviewer, fake_renderer):
    letter = builders.response_letter(**people)
    first = builders.enclose(letter, actor=officer)
    v1 = builders.submit(letter, actor=officer)
    workflow.return_letter(letter, actor=reviewer, version_number=1, comment="Add the figures.")
    letter.refresh_from_db()
    builders.enclose(
        letter, actor=officer, title="Figures", content=b"month,flights\n", name="f.csv"
    )
    enclosures.change_enclosure(
        Enclosure.objects.get(pk=first.pk), actor=officer, title="Drone policy (revised)"
    )
    v2 = builders.submit(letter, actor=officer)

    assert [(e.annex, e.title) for e in v1.enclosures.all()] == [("A", "Drone policy, 2025")]
    assert [(e.annex, e.title) for e in v2.enclosures.all()] == [
        ("A", "Drone policy (revised)"),
        ("B", "Figures"),
    ]
    # The same bytes, frozen twice, are stored once.
    assert EnclosureFile.objects.count() == 2
    assert v1.enclosures.get().stored == v2.enclosures.get(annex="A").stored
    assert "Drone policy, 2025" in v1.html and "Drone policy (revised)" in v2.html
    frozen = v1.enclosures.get()
    with pytest.raises(PermissionDenied):
        frozen.save()
    with pytest.raises(PermissionDenied):
        frozen.stored.delete()
    with pytest.raises(PermissionDenied):
        FrozenEnclosure.objects.filter(pk=frozen.pk).update(title="Changed")

    # Once issued, the draft's own copies can no longer change.
    workflow.approve_letter(letter, actor=reviewer, version_number=2)
    document = builders.issue(letter, actor=officer)
    with pytest.raises(DraftingError, match="only be changed while"):
        builders.enclose(letter, actor=officer)
    assert [e.annex for e in document.version.enclosures.all()] == ["A", "B"]
    data = json.loads(document.version.pdf_attachments[0][1])
    assert [e["sha256"] for e in data["enclosures"]] == [
        e.stored.sha256 for e in document.version.enclosures.all()
    ]


def test_whoever_attaches_a_file_cannot_approve_the_letter(
    people, officer, second_officer, roles, fake_renderer
):
    second_officer.groups.add(roles[REVIEWERS])  # an officer who also reviews
    letter = builders.response_letter(**people)
    builders.enclose(letter, actor=second_officer)
    version = builders.submit(letter, actor=officer)
    assert second_officer.pk in version.editor_ids
    with pytest.raises(workflow.TransitionError):
        workflow.approve_letter(letter, actor=second_officer, version_number=version.number)


@pytest.fixture
def issued(people, officer, reviewer, fake_renderer):
    letter = builders.response_letter(**people)
    builders.enclose(letter, actor=officer)
    builders.enclose(
        letter,
        actor=officer,
        title="Board minutes",
        content=b"date,item\n2025-01-04,drones\n",
        name="minutes.csv",
        not_for_publication=True,
    )
    return builders.issued_letter(letter, officer=officer, reviewer=reviewer)


def test_the_requester_downloads_only_their_own_enclosures(client, issued, people, officer):
    case = issued.version.letter.case
    token = tokens.issue_link(case)[1]
    page = client.get(f"/track/{token}/").content.decode()
    annex_a, annex_b = issued.version.enclosures.all()
    assert f"/track/{token}/enclosures/{annex_a.pk}/" in page
    assert "Annex B: " in page and "Board minutes" in page
    response = client.get(f"/track/{token}/enclosures/{annex_a.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == builders.ENCLOSED_PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="drone-policy.pdf"' in response["Content-Disposition"]
    # Another case's link, and a draft's enclosure, are not found.
    other_token = tokens.issue_link(builders.open_case(**people))[1]
    assert client.get(f"/track/{other_token}/enclosures/{annex_a.pk}/").status_code == 404
    draft = builders.response_letter(case, actor=officer)
    builders.enclose(draft, actor=officer, title="Not sent")
    builders.submit(draft, actor=officer)
    unsent = draft.versions.get().enclosures.get()
    assert client.get(f"/track/{token}/enclosures/{unsent.pk}/").status_code == 404


def test_verify_recognises_an_enclosure_by_file_or_hash(client, issued):
    case = issued.version.letter.case
    body = client.post(
        "/verify/", {"pdf": SimpleUploadedFile("whatever.pdf", builders.ENCLOSED_PDF)}
    ).content.decode()
    assert "This is an enclosure sent by" in body
    assert f"Annex A of the letter {case.reference}, issued" in body
    minutes = hashlib.sha256(b"date,item\n2025-01-04,drones\n").hexdigest()
    body = client.post("/verify/", {"sha256": minutes}).content.decode()
    assert f"Annex B of the letter {case.reference}" in body
    # The title of an enclosure is never given here: it may not be public.
    assert "Board minutes" not in body
    body = client.post("/verify/", {"sha256": "0" * 64}).content.decode()
    assert "This is not a letter issued by us" in body


def test_an_enclosure_not_yet_issued_is_not_recognised(client, people, officer):
    letter = builders.response_letter(**people)
    builders.enclose(letter, actor=officer, content=b"%PDF-1.4\n% not sent yet\n")
    builders.submit(letter, actor=officer)
    digest = hashlib.sha256(b"%PDF-1.4\n% not sent yet\n").hexdigest()
    body = client.post("/verify/", {"sha256": digest}).content.decode()
    assert "This is not a letter issued by us" in body


def test_reviewers_see_the_enclosures_of_the_version_they_review(client, people, officer, reviewer):
    letter = builders.response_letter(**people)
    builders.enclose(letter, actor=officer, not_for_publication=True)
    builders.submit(letter, actor=officer)
    client.force_login(reviewer)
    page = client.get(f"/review/letters/{letter.pk}/").content.decode()
    frozen = letter.versions.get().enclosures.get()
    assert "Drone policy, 2025" in page and "Not for publication" in page
    download = client.get(f"/frozen-enclosures/{frozen.pk}/file")
    assert b"".join(download.streaming_content) == builders.ENCLOSED_PDF
    # Reviewers read, they do not change.
    assert client.get(f"/letters/{letter.pk}/enclosures/").status_code == 200
    assert client.post(f"/letters/{letter.pk}/enclosures/", {"title": "x"}).status_code == 403


def test_changing_and_removing_a_draft_enclosure(
    client, letter, officer, django_capture_on_commit_callbacks
):
    enclosure = builders.enclose(letter, actor=officer)
    storage, name = enclosure.file.storage, enclosure.file.name
    client.force_login(officer)
    response = client.post(
        f"/enclosures/{enclosure.pk}/",
        {"title": "Drone policy, as approved", "not_for_publication": "on"},
    )
    assert response.status_code == 302
    enclosure.refresh_from_db()
    assert enclosure.title == "Drone policy, as approved" and enclosure.not_for_publication
    assert client.post(f"/enclosures/{enclosure.pk}/", {"title": " "}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/enclosures/{enclosure.pk}/delete/")
    assert response.status_code == 302
    assert not letter.enclosures.exists()
    assert not storage.exists(name)


def test_a_file_lost_from_storage_stops_the_issue_and_says_why(
    people, officer, reviewer, fake_renderer
):
    letter = builders.response_letter(**people)
    builders.enclose(letter, actor=officer)
    builders.approve(letter, officer=officer, reviewer=reviewer)
    stored = workflow.latest_version(letter).enclosures.get().stored
    stored.file.storage.delete(stored.file.name)
    attempt = workflow.request_issue(letter, actor=officer)
    issuing.run_attempt(attempt.pk)
    attempt.refresh_from_db()
    letter.refresh_from_db()
    assert letter.status == letter.Status.APPROVED
    assert attempt.error.startswith("The file of Annex A (“Drone policy, 2025”) is missing")
