"""The letter kinds that answer something earlier, as data: a fresh response after a
decision notice, a correction that says what it corrects, an internal review question by
question, and a switch between FOIA and the EIR on an open case."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from exemptions.models import Regime
from responses import checks, clock_events, deadlines, workflow, worklist
from responses.drafting.slots import slot_values_for
from responses.models import (
    Case,
    CaseEvent,
    ClockEvent,
    Decision,
    InternalReviewOutcome,
    Letter,
    ReviewQuestionFinding,
)
from responses.rendering.context import decision_data
from responses.rendering.html import render_letter_html
from responses.tokens import issue_link
from tests import builders

pytest_plugins = ["tests.review_fixtures"]

TODAY = timezone.localdate()
Finding = ReviewQuestionFinding.Finding


def letter_text(letter):
    letter = Letter.objects.get(pk=letter.pk)
    return " ".join(render_letter_html(letter, draft=True).split())


def day(value):
    return f"{value.day} {value:%B %Y}"


@pytest.fixture
def answered(catalogue, authority, requester, officer, reviewer, fake_renderer):
    """A two-question request refused under section 12, issued today."""
    case = builders.open_case(
        actor=officer,
        authority=authority,
        requester=requester,
        questions=("How many drones do you own?", "What did each one cost?"),
    )
    builders.decide(
        case,
        actor=officer,
        outcome=Decision.Outcome.COST_LIMIT,
        cost_estimate=[{"activity": "Searching every invoice", "hours": 30}],
        advice="Ask for one year only.",
    )
    letter = builders.draft_letter(case, actor=officer)
    builders.issued_letter(letter, officer=officer, reviewer=reviewer)
    return Letter.objects.get(pk=letter.pk)


def record_notice(letter, officer, **overrides):
    fields = dict(
        replaces=letter,
        reference="IC-123456-A1B2",
        notice_date=TODAY,
        required_step="issue a fresh response that does not rely on section 12",
        compliance_deadline=TODAY + datetime.timedelta(days=35),
        finding="our estimate counted time spent redacting, which section 12 does not allow",
    )
    fields.update(overrides)
    return workflow.record_decision_notice(letter.case, actor=officer, **fields)


# ----------------------------------------------------------------- fresh response


def test_a_decision_notice_reopens_the_case_due_by_its_compliance_date(answered, officer):
    fresh = record_notice(answered, officer)
    case = Case.objects.get(pk=answered.case_id)
    deadline = TODAY + datetime.timedelta(days=35)

    assert fresh.kind == Letter.Kind.FRESH_RESPONSE and case.status == Case.Status.OPEN
    assert deadlines.case_deadline(case).deadline == deadline
    item = next(i for i in worklist.work_items(today=TODAY) if i.case.pk == case.pk)
    assert item.deadline == deadline
    event = case.events.get(action=CaseEvent.Action.DECISION_NOTICE_RECORDED)
    assert event.details["notice"] == "IC-123456-A1B2" and event.actor == officer

    text = letter_text(fresh)
    assert f"It replaces our response of {day(TODAY)}, which no longer stands." in text
    assert "decision notice IC-123456-A1B2" in text
    assert "which section 12 does not allow" in text
    assert f"does not rely on section 12 by {day(deadline)}" in text


def test_a_fresh_response_can_rely_on_new_grounds_and_is_issued_like_a_response(
    answered, officer, reviewer, requester
):
    fresh = record_notice(answered, officer)
    case = fresh.case
    builders.delete_decision(case.decisions.get(), actor=officer)
    builders.decide(case, actor=officer, outcome=Decision.Outcome.VEXATIOUS)
    fresh = builders.rebuild_letter(fresh, actor=officer, revision=fresh.revision)
    fresh = builders.fill_slots(fresh, actor=officer)
    assert "14(1)" in letter_text(fresh)
    assert "Searching every invoice" not in letter_text(fresh)
    # The response's checks read a fresh response too.
    assert checks.letter_findings(fresh) == []

    document = builders.issued_letter(fresh, officer=officer, reviewer=reviewer)
    assert Case.objects.get(pk=case.pk).status == Case.Status.RESPONDED
    assert document.timeliness == "in_time"
    data = decision_data(fresh, draft=False)
    assert data["letter"] == "fresh_response"
    assert data["decision_notice"]["reference"] == "IC-123456-A1B2"
    assert data["decisions"][0]["outcome"] == "vexatious"


def test_a_notice_is_refused_before_the_response_or_with_a_deadline_before_it(answered, officer):
    with pytest.raises(workflow.TransitionError, match="before the response"):
        record_notice(answered, officer, notice_date=TODAY - datetime.timedelta(days=1))
    with pytest.raises(workflow.TransitionError, match="compliance date"):
        record_notice(answered, officer, compliance_deadline=TODAY - datetime.timedelta(days=1))
    assert not answered.case.decision_notices.exists()
    record_notice(answered, officer)
    with pytest.raises(workflow.TransitionError, match="already being prepared"):
        record_notice(answered, officer)


def test_the_officer_records_a_notice_from_the_case_page(client, answered, officer):
    client.force_login(officer)
    case_page = client.get(reverse("case_detail", args=[answered.case_id])).content.decode()
    assert "Record a decision notice" in case_page
    url = reverse("decision_notice_add", args=[answered.case_id])
    refused = client.post(url, {"reference": "IC-1", "finding": "Typed finding"})
    assert refused.status_code == 400
    assert "Typed finding" in refused.content.decode()  # nothing typed is lost
    response = client.post(
        url,
        {
            "replaces": answered.pk,
            "reference": "IC-1",
            "notice_date": TODAY.isoformat(),
            "finding": "the estimate was not reasonable",
            "required_step": "issue a fresh response",
            "compliance_deadline": (TODAY + datetime.timedelta(days=35)).isoformat(),
        },
    )
    fresh = Letter.objects.get(case=answered.case, kind=Letter.Kind.FRESH_RESPONSE)
    assert response["Location"] == reverse("letter_edit", args=[fresh.pk])
    assert fresh.decision_notice.reference == "IC-1"


# ----------------------------------------------------------------- corrections


def test_a_correction_says_what_it_corrects_and_why(client, answered, officer, reviewer, requester):
    correction = workflow.start_correction(
        answered, actor=officer, reason="The cost limit was given as £600; it is £450."
    )
    assert correction.correction_reason.startswith("The cost limit")
    text = letter_text(correction)
    assert f"This letter corrects our letter of {day(TODAY)}, which it replaces." in text
    assert "The cost limit was given as £600; it is £450." in text

    correction = builders.edit(correction, actor=officer, texts={"searches": "Corrected searches."})
    builders.submit(correction, actor=officer)
    client.force_login(reviewer)
    review_page = client.get(reverse("review_letter", args=[correction.pk])).content.decode()
    assert "What this correction changes in the letter issued on" in review_page
    assert "<ins>Corrected searches." in review_page

    workflow.approve_letter(correction, actor=reviewer, version_number=1)
    builders.issue(correction, actor=officer)
    data = decision_data(Letter.objects.get(pk=correction.pk), draft=False)
    assert data["corrects"]["reason"].startswith("The cost limit")
    _link, token = issue_link(answered.case)
    client.logout()
    portal = client.get(reverse("portal_case", args=[token])).content.decode()
    assert f"Corrects our letter sent {day(TODAY)}" in portal
    assert f"Corrected by our letter sent {day(TODAY)}" in portal


# ----------------------------------------------------------------- internal review


@pytest.fixture
def review(answered):
    return builders.review_case(answered.case, text="Please look again at Q2.")


def outcome_letter(review, officer):
    return builders.draft_letter(
        review, actor=officer, kind=Letter.Kind.REVIEW_OUTCOME, review_outcome=None
    )


def questions(review):
    return {q.number: q for q in review.reviewed_case.questions.all()}


@pytest.mark.parametrize(
    ("found", "overall"),
    [
        ((Finding.UPHELD, Finding.UPHELD), InternalReviewOutcome.Outcome.UPHELD),
        ((Finding.OVERTURNED, Finding.OVERTURNED), InternalReviewOutcome.Outcome.OVERTURNED),
        ((Finding.UPHELD, Finding.VARIED), InternalReviewOutcome.Outcome.UPHELD_IN_PART),
        ((Finding.UPHELD, Finding.OVERTURNED), InternalReviewOutcome.Outcome.UPHELD_IN_PART),
    ],
)
def test_the_overall_outcome_follows_the_findings(review, officer, found, overall):
    letter = outcome_letter(review, officer)
    qs = questions(review)
    outcome = workflow.record_review_outcome(
        letter,
        actor=officer,
        findings=[(qs[1], found[0], "Reason one."), (qs[2], found[1], "Reason two.")],
    )
    assert outcome.outcome == overall


def test_a_review_letter_goes_question_by_question(review, officer):
    letter = outcome_letter(review, officer)
    qs = questions(review)
    workflow.record_review_outcome(
        letter,
        actor=officer,
        findings=[(qs[2], Finding.OVERTURNED, "The estimate included redaction time.")],
    )
    letter = Letter.objects.get(pk=letter.pk)
    assert letter.review_outcome.outcome == InternalReviewOutcome.Outcome.OVERTURNED
    finding = letter.review_outcome.findings.get()
    assert finding.original_answer == "Refused: cost limit (section 12)"
    text = letter_text(letter)
    original = review.reviewed_case.reference
    # The original request, restated, with the date of our reply (not of its receipt).
    assert f"You made request {original} on" in text
    assert f"and we replied on {day(TODAY)}. You asked:" in text
    assert "What did each one cost?" in text
    assert "You asked us to look again at our answer to Q2." in text
    assert "Our original answer: Refused: cost limit (section 12)" in text
    assert "The review overturned our original answer" in text
    assert "The estimate included redaction time." in text
    # The letter's own reference is the review's; only the outcome clause names the original.
    assert slot_values_for(letter)["reference"] == review.reference
    assert builders.findings(letter) == []


def test_a_finding_needs_its_reasons_and_a_question_under_review(review, officer, answered):
    letter = outcome_letter(review, officer)
    qs = questions(review)
    with pytest.raises(workflow.TransitionError, match="reasons for the finding on Q1"):
        workflow.record_review_outcome(letter, actor=officer, findings=[(qs[1], "upheld", " ")])
    other = builders.open_case(
        actor=officer, authority=answered.case.authority, requester=answered.case.requester
    )
    with pytest.raises(workflow.TransitionError, match="request under review"):
        workflow.record_review_outcome(
            letter, actor=officer, findings=[(other.questions.get(), "upheld", "Why")]
        )


def test_a_late_review_is_flagged_and_offers_an_apology(review, officer):
    letter = outcome_letter(review, officer)
    builders.record_review_outcome(letter, actor=officer)
    due = deadlines.case_deadline(review).deadline
    later = due + datetime.timedelta(days=7)
    messages = [f.message for f in checks.letter_findings(letter, today=later)]
    assert any("This review was due on" in m and "late by 5 working days" in m for m in messages)
    assert not any(
        p.source == "review:apology" for s in letter.sections.all() for p in s.paragraphs.all()
    )

    # Once late, rebuilding the letter offers the apology paragraph.
    Case.objects.filter(pk=review.pk).update(received_on=TODAY - datetime.timedelta(days=60))
    letter = Letter.objects.get(pk=letter.pk)
    letter = builders.rebuild_letter(letter, actor=officer, revision=letter.revision)
    assert "We are sorry that we did not complete this review" in letter_text(letter)
    messages = [f.message for f in checks.letter_findings(letter)]
    assert any("The letter apologises for the delay" in m for m in messages)


def test_a_review_dated_before_the_response_is_refused(answered):
    with pytest.raises(workflow.TransitionError, match="before our response"):
        builders.review_case(answered.case, received_on=TODAY - datetime.timedelta(days=1))
    assert not answered.case.internal_reviews.exists()


def test_the_review_outcome_page_takes_a_finding_per_question(client, review, officer):
    letter = outcome_letter(review, officer)
    qs = questions(review)
    client.force_login(officer)
    url = reverse("review_outcome", args=[letter.pk])
    page = client.get(url).content.decode()
    assert "Our original answer:" in page and "What did each one cost?" in page
    missing = client.post(url, {f"q{qs[2].pk}-disputed": "on", f"q{qs[2].pk}-reasons": "Kept"})
    assert missing.status_code == 400 and "Choose the finding on Q2." in missing.content.decode()
    assert "Kept" in missing.content.decode()
    done = client.post(
        url,
        {
            f"q{qs[2].pk}-disputed": "on",
            f"q{qs[2].pk}-finding": "varied",
            f"q{qs[2].pk}-reasons": "Part of the figures can be given.",
        },
    )
    assert done.status_code == 302
    outcome = InternalReviewOutcome.objects.get(letter=letter)
    assert outcome.outcome == InternalReviewOutcome.Outcome.UPHELD_IN_PART
    assert [f.question.number for f in outcome.findings.all()] == [2]


def test_a_review_case_page_offers_only_what_applies_to_a_review(client, review, officer):
    client.force_login(officer)
    page = client.get(reverse("case_detail", args=[review.pk])).content.decode()
    assert "What the requester asked us to look at again" in page
    assert "Please look again at Q2." in page
    assert "Edit the request and searches" not in page
    assert "Extent and result of searches" not in page
    assert "Decide and draft letters" not in page
    assert "Record a decision notice" not in page and "Handle under the" not in page
    drafting = client.get(reverse("case_drafting", args=[review.pk])).content.decode()
    assert "Add a decision" not in drafting


# ----------------------------------------------------------------- regime switch


@pytest.fixture
def eir(catalogue):
    return Regime.objects.get(code=Regime.EIR)


def test_switching_an_open_case_to_the_eir(catalogue, authority, requester, officer, eir):
    letter = builders.response_letter(actor=officer, authority=authority, requester=requester)
    case = letter.case
    workflow.switch_regime(
        case, actor=officer, regime=eir, reason="It is about emissions from the incinerator."
    )
    case = Case.objects.get(pk=case.pk)
    assert case.regime == eir and case.regime_switched_from.code == Regime.FOIA
    assert case.reference.startswith("FOI/")  # the reference stays
    event = case.events.get(action=CaseEvent.Action.REGIME_SWITCHED)
    assert (event.details["from_regime"], event.details["to_regime"]) == ("FOIA", "EIR")
    assert event.details["deadline_after"] == deadlines.case_deadline(case).deadline.isoformat()
    assert deadlines.case_deadline(case).regime_code == "EIR"

    text = letter_text(letter)
    assert "The law that applies" in text
    assert "environmental information as defined in regulation 2(1)" in text
    assert "It is about emissions from the incinerator." in text
    sources = {
        p.source
        for s in Letter.objects.get(pk=letter.pk).sections.all()
        for p in s.paragraphs.all()
    }
    assert "clause:letter-internal-review-eir" in sources
    data = decision_data(Letter.objects.get(pk=letter.pk), draft=True)
    assert data["regime_switched_from"] == "FOIA"

    foia = Regime.objects.get(code=Regime.FOIA)
    workflow.switch_regime(case, actor=officer, regime=foia)
    assert "not environmental information" in letter_text(letter)


def test_a_switch_is_refused_with_old_citations_or_once_answered(
    catalogue, authority, requester, officer, eir, answered
):
    cited = builders.open_case(actor=officer, authority=authority, requester=requester)
    builders.decide(
        cited, actor=officer, outcome=Decision.Outcome.WITHHELD, citations=[("43(2)", "withhold")]
    )
    with pytest.raises(workflow.TransitionError, match="Remove the exemptions"):
        workflow.switch_regime(cited, actor=officer, regime=eir)
    with pytest.raises(workflow.TransitionError, match="only while the request is being worked on"):
        workflow.switch_regime(answered.case, actor=officer, regime=eir)
    assert Case.objects.get(pk=cited.pk).regime.code == Regime.FOIA


def test_the_regime_page_switches_and_keeps_typed_text(
    client, catalogue, authority, requester, officer
):
    case = builders.open_case(actor=officer, authority=authority, requester=requester)
    client.force_login(officer)
    assert (
        "Handle under the EIR instead"
        in client.get(reverse("case_detail", args=[case.pk])).content.decode()
    )
    url = reverse("case_regime", args=[case.pk])
    assert "Switch to the EIR" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Air quality data."})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).regime.code == Regime.EIR
    json.dumps(Case.objects.get(pk=case.pk).events.last().details)  # the history is plain data


def test_a_complex_review_says_why_it_took_longer(review, officer):
    clock_events.start_event(
        review,
        actor=officer,
        kind=ClockEvent.Kind.COMPLEX_REVIEW,
        starts_on=TODAY,
        reason="every invoice for six years had to be read again.",
    )
    letter = outcome_letter(review, officer)
    builders.record_review_outcome(letter, actor=officer)
    text = letter_text(letter)
    assert "up to the 40 working days the Code of Practice allows" in text
    assert "every invoice for six years had to be read again." in text
