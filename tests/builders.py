"""Cases, decisions and letters made the way users make them: through the services.

Every builder goes through the code a page would call (``workflow.open_case``, drafting's
``save_decision`` / ``assemble_letter`` / ``save_letter``, the workflow's submit, approve
and issue), so the real checks run on every letter a test uses. ``response_letter`` gives a
complete, valid response in one call: every question decided, the searches recorded,
every slot filled, and nothing found by the checks (tests/test_builders.py shows it).

The clause library must be loaded (the ``catalogue`` fixture).
"""

import datetime
from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import SimpleUploadedFile

from exemptions.models import Exemption, Regime
from responses import checks, enclosures, issuing, workflow
from responses.drafting import decisions, editing, slots
from responses.models import (
    Case,
    Citation,
    Decision,
    InternalReviewOutcome,
    IssuedDocument,
    Letter,
    LetterVersion,
)
from responses.questions import QuestionDraft, save_request

save_decision = decisions.save_decision
delete_decision = decisions.delete_decision
assemble_letter = editing.assemble_letter
rebuild_letter = editing.rebuild_letter
save_letter = editing.save_letter
required_slots = slots.required_slots

FAKE_PDF = b"%PDF-1.7\n% a stand-in for a rendered letter\n%%EOF\n"
ENCLOSED_PDF = b"%PDF-1.4\n% the drone policy, as released\n%%EOF\n"

QUESTION = "Do you hold a policy on drones?"
REQUEST = "Please send the policy on drones."
SUBJECT = "drones"
SEARCHES = "We searched the policy register and the records of the drone unit."
ANSWER = "We hold the policy. It is attached."
REVIEW_REQUEST = "Please look again: the policy should have been sent in full."
REVIEW_REASONS = "The exemptions were applied correctly."

NCND = Citation.Mode.NCND
WITHHOLD = Citation.Mode.WITHHOLD


def open_case(
    *,
    actor,
    authority,
    requester,
    regime: Regime | None = None,
    questions: Sequence[str] = (QUESTION,),
    **fields,
) -> Case:
    """A request as an officer logs it: assigned to them, its searches already written."""
    fields.setdefault("request_text", REQUEST if questions == (QUESTION,) else "\n".join(questions))
    fields.setdefault("subject", SUBJECT)
    fields.setdefault("searches", SEARCHES)
    fields.setdefault("assigned_to", actor)
    return workflow.open_case(
        actor=actor,
        authority=authority,
        regime=regime or authority.default_regime,
        requester=requester,
        questions=questions,
        **fields,
    )


def add_question(case: Case, *, actor, text: str) -> Case:
    """The request page's save with one more question at the end."""
    drafts = [QuestionDraft(q.text, q.pk) for q in case.questions.order_by("number")]
    case.refresh_from_db()
    return save_request(
        case, actor=actor, revision=case.revision, questions=[*drafts, QuestionDraft(text)]
    )


def decide(
    case: Case,
    *,
    actor,
    outcome: str = Decision.Outcome.PROVIDED,
    numbers: Iterable[int] | None = None,
    citations: Iterable[tuple[str, str]] = (),
    answer: str | None = None,
    **fields,
) -> Decision:
    """One decision, as the decision form saves it.

    ``numbers`` are the questions it covers (every question without a decision yet, by
    default); ``citations`` are (section, mode) pairs such as ("31", NCND). A provided
    decision gets ``ANSWER`` unless given another answer or a table.
    """
    if numbers is None:
        questions = list(case.questions.filter(decisions__isnull=True).order_by("number"))
    else:
        questions = [case.questions.get(number=number) for number in numbers]
    if answer is None:
        provided = (Decision.Outcome.PROVIDED, Decision.Outcome.PROVIDED_IN_PART)
        answer = ANSWER if outcome in provided and not fields.get("table") else ""
    return save_decision(
        case,
        actor=actor,
        questions=questions,
        outcome=outcome,
        answer=answer,
        citations=[
            (Exemption.objects.get(regime=case.regime, section=section), mode)
            for section, mode in citations
        ],
        **fields,
    )


def fill_slots(letter: Letter, *, actor, values: dict[str, str] | None = None) -> Letter:
    """Fill every slot the officer must fill, as the editor's slot fields do.

    ``values`` fills the slots it names; the others get a plain sentence naming the slot.
    """
    values = dict(values or {})
    for slot in required_slots(letter):
        values.setdefault(slot.name, sample_slot_value(letter, slot))
    if not values:
        return letter
    return save_letter(letter, actor=actor, revision=letter.revision, slot_values=values)


def sample_slot_value(letter: Letter, slot) -> str:
    if slot.name == "extension_date":
        # Five weeks after receipt: a week or so past the 20-working-day deadline.
        day = letter.case.received_on + datetime.timedelta(days=35)
        return f"{day.day} {day:%B %Y}"
    return f"The {slot.label} for this letter."


def draft_letter(
    case: Case,
    *,
    actor,
    kind: str = Letter.Kind.RESPONSE,
    slot_values: dict[str, str] | None = None,
    review_outcome: str | None = InternalReviewOutcome.Outcome.UPHELD,
) -> Letter:
    """A letter of ``kind`` assembled from the case's decisions, its slots filled.

    An internal review outcome letter also gets ``review_outcome`` recorded (unless it is
    None). The checks find nothing in what the builders make (tests/test_builders.py).
    """
    letter = assemble_letter(case, actor=actor, kind=kind)
    if kind == Letter.Kind.REVIEW_OUTCOME and review_outcome:
        record_review_outcome(letter, actor=actor, outcome=review_outcome)
        letter = Letter.objects.get(pk=letter.pk)  # with its outcome, as a new page would read it
    return fill_slots(letter, actor=actor, values=slot_values)


def response_letter(
    case: Case | None = None,
    *,
    actor,
    authority=None,
    requester=None,
    outcome: str = Decision.Outcome.PROVIDED,
    citations: Iterable[tuple[str, str]] = (),
    answer: str | None = None,
    slot_values: dict[str, str] | None = None,
    questions: Sequence[str] = (QUESTION,),
    **case_fields,
) -> Letter:
    """A complete, valid response letter in one call.

    Opens a case (unless given one), decides every question still undecided with
    ``outcome`` (and ``citations``), assembles the letter and fills its slots.
    """
    if case is None:
        case = open_case(
            actor=actor,
            authority=authority,
            requester=requester,
            questions=questions,
            **case_fields,
        )
    if case.questions.filter(decisions__isnull=True).exists():
        decide(case, actor=actor, outcome=outcome, citations=citations, answer=answer)
    return draft_letter(case, actor=actor, slot_values=slot_values)


def review_case(case: Case, *, text: str = REVIEW_REQUEST, **fields) -> Case:
    """The internal review the requester asks for once ``case`` has been answered."""
    return workflow.request_internal_review(case, text=text, **fields)


def record_review_outcome(
    letter: Letter,
    *,
    actor,
    outcome: str = InternalReviewOutcome.Outcome.UPHELD,
    reasons: str = REVIEW_REASONS,
) -> InternalReviewOutcome:
    """What the review outcome page does when the officer saves the finding."""
    return workflow.record_review_outcome(letter, actor=actor, outcome=outcome, reasons=reasons)


def findings(letter: Letter) -> list[str]:
    """Every message the checks give for the letter, errors first."""
    return [finding.message for finding in checks.letter_findings(letter)]


# ---- Editing -----------------------------------------------------------------------


def paragraph(letter: Letter, section_key: str, index: int = 0):
    return letter.sections.get(key=section_key).paragraphs.order_by("position")[index]


def answer_key(letter: Letter) -> str:
    """The key of the section that carries the first decision's answer."""
    return f"decision-{letter.case.decisions.order_by('position').first().pk}"


def edit(letter: Letter, *, actor, texts: dict[str, str]) -> Letter:
    """The editor's save: ``texts`` maps a section key to the new text of its first paragraph."""
    letter.refresh_from_db()
    by_pk = {paragraph(letter, key).pk: text for key, text in texts.items()}
    return save_letter(letter, actor=actor, revision=letter.revision, texts=by_pk)


def edit_answer(letter: Letter, *, actor, text: str) -> Letter:
    """Rewrite the first decision's answer in the letter, as an officer would in the editor."""
    return edit(letter, actor=actor, texts={answer_key(letter): text})


# ---- Review and issue --------------------------------------------------------------


def enclose(
    letter: Letter,
    *,
    actor,
    title: str = "Drone policy, 2025",
    content: bytes = ENCLOSED_PDF,
    name: str = "drone-policy.pdf",
    **marks,
):
    """Attach a file to a draft letter, as the enclosures page does."""
    upload = SimpleUploadedFile(name, content)
    return enclosures.add_enclosure(letter, actor=actor, upload=upload, title=title, **marks)


def submit(letter: Letter, *, actor, acknowledged_warnings: Sequence[str] = ()) -> LetterVersion:
    return workflow.submit_letter(letter, actor=actor, acknowledged_warnings=acknowledged_warnings)


def version_number(letter: Letter) -> int:
    """The number of the version under review, as the review page posts it."""
    version = workflow.latest_version(letter)
    return version.number if version else 1


def approve(letter: Letter, *, officer, reviewer) -> Letter:
    """Submitted by ``officer``, approved by ``reviewer``."""
    version = submit(letter, actor=officer)
    workflow.approve_letter(letter, actor=reviewer, version_number=version.number)
    letter.refresh_from_db()
    return letter


def issue(letter: Letter, *, actor) -> IssuedDocument:
    """Issue an approved letter and run the background task at once.

    The PDF is whatever ``issuing.render_pdf`` makes: use the ``fake_renderer`` fixture
    unless the test is about the real PDF. The attempt is run here, as the task would run
    it once ``issuing.issue_letter``'s transaction commits.
    """
    attempt = workflow.request_issue(letter, actor=actor)
    issuing.run_attempt(attempt.pk)
    letter.refresh_from_db()
    return IssuedDocument.objects.get(version__letter=letter)


def issued_letter(letter: Letter, *, officer, reviewer) -> IssuedDocument:
    """Submitted, approved and issued: the document the requester receives."""
    approve(letter, officer=officer, reviewer=reviewer)
    return issue(letter, actor=officer)
