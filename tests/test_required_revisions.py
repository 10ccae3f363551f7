"""Four-eyes and stale checks cannot be skipped: every approval, return and save names the
version or revision it started from; a missing, malformed or old one changes nothing."""

import pytest
from django.urls import reverse

from responses import workflow
from responses.drafting import decisions, editing
from responses.drafting.wording import DraftingError
from responses.models import CaseEvent, Decision, Letter, ReviewDecision
from tests import builders
from tests.test_intake import editor_data as request_editor_data
from tests.test_intake import questions_of

pytestmark = pytest.mark.django_db

MISSING, MALFORMED = None, "abc"


@pytest.fixture
def submitted(catalogue, authority, requester, officer):
    letter = builders.response_letter(actor=officer, authority=authority, requester=requester)
    builders.submit(letter, actor=officer)
    return letter


def post_with(url_name, pk, client, version, **data):
    if version is not None:
        data["version"] = version
    return client.post(reverse(url_name, args=[pk]), data, follow=True)


# --- the reviewer's buttons ---------------------------------------------------------------


@pytest.mark.parametrize("version", [MISSING, MALFORMED, "", "0", "-1", "99999999999999999999"])
@pytest.mark.parametrize("button", ["review_approve", "review_return"])
def test_a_decision_without_a_proper_version_is_refused(
    client, submitted, reviewer, button, version
):
    client.force_login(reviewer)

    response = post_with(button, submitted.pk, client, version, comment="Cite s31.")

    assert response.status_code == 200  # back on the review page, not a server error
    assert "did not say which version of the letter you read" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Letter.Status.IN_REVIEW
    assert not ReviewDecision.objects.exists()


@pytest.mark.parametrize("button", ["review_approve", "review_return"])
def test_a_decision_on_an_old_version_is_refused(client, submitted, officer, reviewer, button):
    workflow.return_letter(
        submitted, actor=reviewer, version_number=1, comment="Say more about the searches."
    )
    builders.submit(submitted, actor=officer)  # version 2 is now under review
    client.force_login(reviewer)

    response = post_with(button, submitted.pk, client, "1", comment="Fine now.")

    assert "but version 2 is now under review" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Letter.Status.IN_REVIEW
    assert ReviewDecision.objects.count() == 1  # only the first return


@pytest.mark.parametrize("number", [None, "1", 0, True])
def test_the_workflow_needs_the_version_number(submitted, reviewer, number):
    with pytest.raises(workflow.TransitionError, match="Say which version"):
        workflow.approve_letter(submitted, actor=reviewer, version_number=number)
    with pytest.raises(workflow.TransitionError, match="Say which version"):
        workflow.return_letter(submitted, actor=reviewer, version_number=number, comment="x")
    with pytest.raises(TypeError):
        workflow.approve_letter(submitted, actor=reviewer)  # version_number is required


# --- the decision editor ------------------------------------------------------------------


@pytest.fixture
def decided(catalogue, authority, requester, officer):
    case = builders.open_case(actor=officer, authority=authority, requester=requester)
    return builders.decide(case, actor=officer, outcome=Decision.Outcome.NOT_HELD)


def decision_post(decision, revision, answer="We hold four drones."):
    data = {
        "questions": [q.pk for q in decision.questions.all()],
        "outcome": Decision.Outcome.PROVIDED,
        "answer": answer,
        "action": "save",
    }
    if revision is not None:
        data["revision"] = revision
    return data


@pytest.mark.parametrize("revision", [MISSING, MALFORMED, "", "-3"])
def test_a_decision_save_without_a_proper_revision_saves_nothing_and_keeps_the_text(
    client, decided, officer, revision
):
    client.force_login(officer)
    before = decided.revision

    response = client.post(
        reverse("decision_edit", args=[decided.pk]), decision_post(decided, revision)
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "did not say which version of this decision you started from" in html
    assert "We hold four drones." in html  # what the officer typed is still there
    decided.refresh_from_db()
    assert (decided.revision, decided.outcome) == (before, Decision.Outcome.NOT_HELD)
    # The form is now based on the saved decision: saving again goes through.
    assert response.context["form"]["revision"].value() == before
    again = client.post(reverse("decision_edit", args=[decided.pk]), decision_post(decided, before))
    assert again.status_code == 302


def test_a_stale_decision_revision_saves_nothing(client, decided, officer):
    client.force_login(officer)
    stale = decided.revision
    builders.save_decision(
        decided.case,
        actor=officer,
        decision=decided,
        revision=decided.revision,
        questions=list(decided.questions.all()),
        outcome=Decision.Outcome.NOT_HELD,
        answer="Saved by a colleague.",
    )

    response = client.post(
        reverse("decision_edit", args=[decided.pk]), decision_post(decided, stale)
    )

    assert "Someone else changed this decision" in response.content.decode()
    decided.refresh_from_db()
    assert decided.answer == "Saved by a colleague."


def test_a_new_decision_needs_no_revision(client, decided, officer):
    client.force_login(officer)
    # A second decision on the same question is a separate part of its answer, so named.
    data = {**decision_post(decided, None), "part_label": "Drones bought since 2024"}
    response = client.post(reverse("decision_add", args=[decided.case.pk]), data)
    assert response.status_code == 302
    assert decided.case.decisions.count() == 2


@pytest.mark.parametrize("revision", [None, "1", True, -1])
def test_the_decision_service_needs_the_revision_to_change_one(decided, officer, revision):
    with pytest.raises(DraftingError, match="Say which revision"):
        decisions.save_decision(
            decided.case,
            actor=officer,
            decision=decided,
            revision=revision,
            questions=list(decided.questions.all()),
            outcome=Decision.Outcome.PROVIDED,
        )
    decided.refresh_from_db()
    assert decided.outcome == Decision.Outcome.NOT_HELD


# --- the letter editor --------------------------------------------------------------------


@pytest.fixture
def draft(catalogue, authority, requester, officer):
    return builders.response_letter(actor=officer, authority=authority, requester=requester)


def letter_post(letter, revision, text="My own opening."):
    intro = builders.paragraph(letter, "request")
    data = {f"p-{intro.pk}": text, f"p-{intro.pk}-section": "request", "action": "save"}
    if revision is not None:
        data["revision"] = revision
    return data


@pytest.mark.parametrize("revision", [MISSING, MALFORMED, "", "-1"])
def test_a_letter_save_without_a_proper_revision_saves_nothing(client, draft, officer, revision):
    client.force_login(officer)
    draft.refresh_from_db()
    before = draft.revision
    saves = CaseEvent.objects.filter(action=CaseEvent.Action.LETTER_SAVED).count()

    response = client.post(reverse("letter_edit", args=[draft.pk]), letter_post(draft, revision))

    assert response.status_code == 409
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "did not say which revision of the letter you started from" in html
    assert "My own opening." in html  # kept, beside the saved text
    draft.refresh_from_db()
    assert draft.revision == before
    assert CaseEvent.objects.filter(action=CaseEvent.Action.LETTER_SAVED).count() == saves
    # The page posts the saved revision: saving from it goes through.
    assert f'name="revision" value="{before}"' in html


def test_a_stale_letter_revision_saves_nothing(client, draft, officer):
    client.force_login(officer)
    draft.refresh_from_db()
    stale = draft.revision
    builders.edit(draft, actor=officer, texts={"request": "A colleague's opening."})

    response = client.post(reverse("letter_edit", args=[draft.pk]), letter_post(draft, stale))

    assert response.status_code == 409
    assert "Someone else changed this letter" in response.content.decode()
    assert builders.paragraph(draft, "request").text == "A colleague's opening."


@pytest.mark.parametrize("revision", [None, "1", True])
def test_the_letter_services_need_the_revision(draft, officer, revision):
    with pytest.raises(DraftingError, match="Say which revision"):
        editing.save_letter(draft, actor=officer, revision=revision, texts={})
    with pytest.raises(DraftingError, match="Say which revision"):
        editing.rebuild_letter(draft, actor=officer, revision=revision)


# --- the request editor -------------------------------------------------------------------


@pytest.mark.parametrize("revision", [MISSING, MALFORMED, ""])
def test_a_request_save_without_a_proper_revision_saves_nothing(
    client, catalogue, authority, requester, officer, revision
):
    case = builders.open_case(actor=officer, authority=authority, requester=requester)
    client.force_login(officer)
    data = request_editor_data(case, questions_of(case), searches="My searches.")
    if revision is None:
        del data["revision"]
    else:
        data["revision"] = revision

    response = client.post(reverse("case_request", args=[case.pk]), data)

    assert response.status_code == 409
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "did not say which version of the request you started from" in html
    assert "My searches." in html
    before = case.revision
    case.refresh_from_db()
    assert case.revision == before and case.searches != "My searches."
