"""The gallery: one example case for each outcome and letter kind, built by the real services.

``load_demo`` builds it after the demo case. Each example is a ``GalleryCase``: its
reference (``GALLERY/NN``, so nobody mistakes it for a real request), a subject saying what
it demonstrates, the request, the decisions as data, and a ``then`` step for the letter
kinds that need more than a draft response (an issued letter to review, correct or
replace; a regime switch; a closure without a letter). Every word is the project's own:
the requests are invented, and the letters are assembled from the clause library.

Building is idempotent: an example whose reference already exists is left alone, so an
officer's edits to a gallery case survive ``load_demo`` being run again.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from exemptions.models import Exemption, Regime
from responses import clock_events, issuing, workflow
from responses.drafting import decisions, editing, slots
from responses.models import (
    Case,
    Citation,
    ClockEvent,
    Decision,
    Letter,
    Requester,
    ReviewQuestionFinding,
)

PREFIX = "GALLERY"
Outcome = Decision.Outcome
NCND = Citation.Mode.NCND
WITHHOLD = Citation.Mode.WITHHOLD
Finding = ReviewQuestionFinding.Finding

SEARCHES = (
    "We searched the records of the teams that would hold this information, and asked the "
    "staff who manage them whether anything is held elsewhere."
)


@dataclass
class GalleryCase:
    number: int
    subject: str  # what the example demonstrates, shown on the work list
    questions: list[str]
    decisions: list[dict] = field(default_factory=list)  # keyword arguments of save_decision
    regime: str = Regime.FOIA
    kind: str = Letter.Kind.RESPONSE  # the letter drafted from the decisions
    slot_values: dict = field(default_factory=dict)
    # Run after the decisions (and, if kind is set, the letter): issue, review, switch ...
    then: Callable | None = None
    received_days_ago: int = 10

    @property
    def reference(self):
        return f"{PREFIX}/{self.number:02d}"


# ---- Steps after the decisions ---------------------------------------------------------


def issue(letter, users):
    """Submitted by the officer, approved by the reviewer, rendered and issued."""
    letter = fill_slots(letter, users["officer"])
    version = workflow.submit_letter(letter, actor=users["officer"])
    workflow.approve_letter(letter, actor=users["reviewer"], version_number=version.number)
    if letter.kind in workflow.PUBLISHABLE:
        workflow.choose_publication(
            Letter.objects.get(pk=letter.pk),
            actor=users["officer"],
            publish=False,
            reason="A gallery example made up for training, not a real request.",
        )
    attempt = workflow.request_issue(Letter.objects.get(pk=letter.pk), actor=users["officer"])
    issuing.run_attempt(attempt.pk)
    return Letter.objects.get(pk=letter.pk)


def then_correct(case, letter, users):
    issued = issue(letter, users)
    correction = workflow.start_correction(
        issued,
        actor=users["officer"],
        reason="Our letter gave the number of patrol cars as 64; the correct figure is 46.",
    )
    return correction


def then_review(case, letter, users):
    """The response is issued, the requester disputes two answers, and the review finds
    one upheld and one overturned (so the review is upheld in part)."""
    issue(letter, users)
    review = workflow.request_internal_review(
        Case.objects.get(pk=case.pk),
        text="I disagree with your answers to questions 2 and 3; the figures should be public.",
        actor=users["officer"],
        received_via=Case.Channel.EMAIL,
    )
    outcome_letter = editing.assemble_letter(
        review, actor=users["officer"], kind=Letter.Kind.REVIEW_OUTCOME
    )
    q = {question.number: question for question in case.questions.all()}
    workflow.record_review_outcome(
        outcome_letter,
        actor=users["officer"],
        findings=[
            (q[2], Finding.UPHELD, "The search covered every system that records overtime."),
            (
                q[3],
                Finding.OVERTURNED,
                "Rounded to the nearest £100,000, the figures by station identify nobody, so "
                "they are not personal data. They are: Northgate £1.1 million, Southport £0.9 "
                "million and Central £1.2 million.",
            ),
        ],
    )
    return fill_slots(
        Letter.objects.get(pk=outcome_letter.pk),
        users["officer"],
        {"subject": TOPICS[case.reference]},
    )


def then_fresh_response(case, letter, users):
    """Refused under section 12, the Commissioner disagreed with the estimate; the fresh
    response relies on section 14(1) instead."""
    issued = issue(letter, users)
    today = timezone.localdate()
    fresh = workflow.record_decision_notice(
        Case.objects.get(pk=case.pk),
        actor=users["officer"],
        replaces=issued,
        reference="IC-000010-GALL",
        notice_date=today,
        required_step="issue a fresh response that does not rely on section 12",
        compliance_deadline=today + datetime.timedelta(days=35),
        finding="the estimate counted time spent considering exemptions, which section 12 "
        "does not allow",
    )
    decision = case.decisions.get()
    decisions.save_decision(
        case,
        actor=users["officer"],
        questions=list(case.questions.all()),
        outcome=Outcome.VEXATIOUS,
        decision=decision,
        revision=decision.revision,
    )
    fresh = Letter.objects.get(pk=fresh.pk)
    return editing.rebuild_letter(fresh, actor=users["officer"], revision=fresh.revision)


def then_switch_to_eir(case, letter, users):
    """Logged under FOIA; the information is environmental, so the case moves to the EIR."""
    workflow.switch_regime(
        case,
        actor=users["officer"],
        regime=Regime.objects.get(code=Regime.EIR),
        reason="The request is for information on emissions from the force's vehicle fleet, "
        "which is environmental information.",
    )
    decide(
        Case.objects.get(pk=case.pk),
        users["officer"],
        dict(
            outcome=Outcome.PROVIDED,
            answer="The fleet's vehicles emitted 1,210 tonnes of carbon dioxide in 2024-25.",
        ),
    )
    return draft(Case.objects.get(pk=case.pk), users, Letter.Kind.RESPONSE, {})


def then_withdraw(case, letter, users):
    return workflow.withdraw_case(
        case,
        actor=users["officer"],
        reason="The requester emailed on the day after the request to say they no longer "
        "need the information.",
    )


def then_lapse(case, letter, users):
    clock_events.start_event(
        case,
        actor=users["officer"],
        kind=ClockEvent.Kind.CLARIFICATION,
        starts_on=case.received_on,
        reason="Which of the force's three stations did the request mean?",
    )
    return workflow.lapse_case(
        Case.objects.get(pk=case.pk),
        actor=users["officer"],
        because=Case.LapsedBecause.CLARIFICATION,
        reason="We asked which station the request meant; no reply came in three months.",
    )


def then_duplicate(case, letter, users):
    original = Case.objects.get(reference=f"{PREFIX}/01")
    return workflow.close_as_duplicate(
        case,
        actor=users["officer"],
        original=original,
        reason=f"The same requester sent the same questions again; {original.reference} "
        "answers them.",
    )


def laid_out(layout, *, summary):
    """A step that lays the drafted letter out another way (the editor's layout choice)."""

    def then_lay_out(case, letter, users):
        return editing.change_layout(
            letter,
            actor=users["officer"],
            revision=letter.revision,
            layout=layout,
            include_outcome_summary=summary,
        )

    return then_lay_out


# The same mixed request, for each of the layouts other than the usual sections.
MIXED_QUESTIONS = [
    "How many officers are trained to use spit guards?",
    "What did the force spend on spit guards in 2024?",
    "Which custody suites hold spit guards in reserve?",
]
MIXED_DECISIONS = [
    dict(numbers=[1], outcome=Outcome.PROVIDED, answer="1,204 officers are trained to use them."),
    dict(numbers=[2], outcome=Outcome.NOT_HELD),
    dict(numbers=[3], outcome=Outcome.WITHHELD, citations=[("31", WITHHOLD)]),
]


# ---- The examples ----------------------------------------------------------------------

EXAMPLES = [
    GalleryCase(
        1,
        "Example: information provided in full",
        ["How many patrol cars did the force have on 1 April 2025?"],
        [dict(outcome=Outcome.PROVIDED, answer="The force had 46 patrol cars on 1 April 2025.")],
    ),
    GalleryCase(
        2,
        "Example: provided in part, the rest withheld under section 31(1)",
        ["Please send the force's policy on the use of body-worn video, with its appendices."],
        [
            dict(
                outcome=Outcome.PROVIDED_IN_PART,
                rest_reason=Decision.RestReason.EXEMPT,
                answer="The policy is enclosed. Appendix C, which sets out tactical options, "
                "is withheld.",
                citations=[("31", WITHHOLD)],
            )
        ],
    ),
    GalleryCase(
        3,
        "Example: provided in part without an exemption (the rest not held)",
        ["How many complaints about parking enforcement were received in 2023 and 2024?"],
        [
            dict(
                outcome=Outcome.PROVIDED_IN_PART,
                rest_reason=Decision.RestReason.NOT_HELD,
                answer="We received 212 complaints in 2024. Records for 2023 were deleted "
                "under our retention schedule.",
            )
        ],
    ),
    GalleryCase(
        4,
        "Example: information not held",
        ["What did the force spend on horse feed in 2024?"],
        [dict(outcome=Outcome.NOT_HELD)],
    ),
    GalleryCase(
        5,
        "Example: NCND under sections 23(5) and 24(2)",
        ["Has the force worked with the security services on investigations at the port?"],
        [dict(outcome=Outcome.NCND, citations=[("23", NCND), ("24", NCND)])],
        slot_values={"subject": "work with the security services at the port"},
    ),
    GalleryCase(
        6,
        "Example: NCND under section 31(3)",
        ["Is the force using covert cameras on the Riverside estate?"],
        [dict(outcome=Outcome.NCND, citations=[("31", NCND)])],
        slot_values={"subject": "covert cameras on the Riverside estate"},
    ),
    GalleryCase(
        7,
        "Example: a question not applicable after an earlier no",
        [
            "Has the force commissioned a review of its custody suites since 2022?",
            "If so, what did the review conclude?",
        ],
        [
            dict(
                numbers=[1],
                outcome=Outcome.PROVIDED,
                answer="No. The force has not commissioned a review of its custody suites "
                "since 2022.",
            ),
            dict(numbers=[2], outcome=Outcome.NOT_APPLICABLE, depends_on=1),
        ],
    ),
    GalleryCase(
        8,
        "Example: section 12 for the whole request, with a discretionary release",
        [
            "Please send every email sent by staff that mentions the new depot.",
            "Please send the minutes of meetings where the depot was discussed.",
        ],
        [
            dict(
                numbers=[1],
                outcome=Outcome.COST_LIMIT,
                cost_minimum_hours=40,
                cost_drivers=["no_central_record", "every_mailbox"],
                cost_drivers_detail="About 2,400 staff mailboxes would need searching.",
                discretionary_release=True,
                answer="The minutes of the estates board of 4 May 2024 mention the depot; a "
                "copy is enclosed.",
                advice_questions=[1],
                advice_action=Decision.AdviceAction.NARROW,
            ),
            dict(
                numbers=[2],
                outcome=Outcome.COST_LIMIT,
                cost_estimate=[
                    {"key": "locating", "activity": "Locating the information", "hours": 12},
                    {"key": "retrieving", "activity": "Retrieving the minutes", "hours": 10},
                ],
                cost_drivers=["paper_files"],
            ),
        ],
    ),
    GalleryCase(
        9,
        "Example: section 12 stated for one question, the others answered",
        [
            "How many officers does the force employ?",
            "How many times has each officer been late for a shift since 2015?",
            "How many police stations does the force run?",
        ],
        [
            dict(
                numbers=[2],
                outcome=Outcome.COST_LIMIT,
                cost_minimum_hours=30,
                cost_drivers=["manual_review"],
                advice_questions=[2],
                advice_action=Decision.AdviceAction.DROP,
            ),
            dict(
                numbers=[1, 3],
                outcome=Outcome.PROVIDED,
                answer="The force employs 2,150 officers and runs 14 police stations.",
            ),
        ],
    ),
    GalleryCase(
        10,
        "Example: refused as vexatious under section 14(1)",
        ["Please send every document the force has ever held that mentions me or my family."],
        [dict(outcome=Outcome.VEXATIOUS)],
    ),
    GalleryCase(
        11,
        "Example: refused as repeated under section 14(2)",
        ["How many speed cameras are there on the A38? (asked for the fourth time this month)"],
        [dict(outcome=Outcome.REPEATED)],
    ),
    GalleryCase(
        12,
        "Example: one question in parts, section 21(1) signposted and section 40(2) withheld",
        ["Please give the names of every member of the force's ethics panel."],
        [
            dict(
                outcome=Outcome.WITHHELD,
                citations=[("21", WITHHOLD)],
                part_label="Names already published",
                signpost="on our website at https://westshire-police.example/ethics-panel",
            ),
            dict(
                outcome=Outcome.WITHHELD,
                citations=[("40(2) first condition", WITHHOLD)],
                part_label="The other members' names",
            ),
        ],
    ),
    GalleryCase(
        13,
        "Example: the requester's own personal data, NCND under section 40(5A)",
        ["Does the force hold any intelligence records about me?"],
        [dict(outcome=Outcome.OWN_DATA)],
    ),
    GalleryCase(
        14,
        "Example: figures as at a date, with a table of cells not recorded and n/a",
        ["How many firearms licences were held in each district, and how many were revoked?"],
        [
            dict(
                outcome=Outcome.PROVIDED,
                as_at=datetime.date(2025, 3, 31),
                table=[
                    ["District", "Licences held", "Revoked in 2024-25"],
                    ["North", "1,204", "12"],
                    ["South", "986", "not recorded"],
                    ["Marine unit", "n/a", "n/a"],
                ],
            )
        ],
    ),
    GalleryCase(
        15,
        "Example: an acknowledgement",
        ["Please send the force's current anti-fraud policy."],
        kind=Letter.Kind.ACKNOWLEDGEMENT,
    ),
    GalleryCase(
        16,
        "Example: a request for clarification under section 1(3)",
        ["Please send all the information about the incident last week."],
        kind=Letter.Kind.CLARIFICATION,
        slot_values={
            "clarification_needed": "which incident you mean, with its date and place",
        },
    ),
    GalleryCase(
        17,
        "Example: a public interest extension under section 10(3)",
        ["Please send the report on the force's response to the flooding in 2024."],
        [dict(outcome=Outcome.WITHHELD, citations=[("31", WITHHOLD)])],
        kind=Letter.Kind.EXTENSION,
    ),
    GalleryCase(
        18,
        "Example: an internal review, question by question (upheld in part)",
        [
            "How much overtime was paid in 2024?",
            "How much of it was paid to the roads policing unit?",
            "How much was paid at each station?",
        ],
        [
            dict(numbers=[1], outcome=Outcome.PROVIDED, answer="£3.2 million was paid in 2024."),
            dict(numbers=[2], outcome=Outcome.NOT_HELD),
            dict(
                numbers=[3],
                outcome=Outcome.WITHHELD,
                citations=[("40(2) first condition", WITHHOLD)],
            ),
        ],
        then=then_review,
        received_days_ago=21,
    ),
    GalleryCase(
        19,
        "Example: a fresh response after a decision notice (section 14(1) after section 12)",
        ["Please send every message about the chief constable's diary since 2020."],
        [
            dict(
                outcome=Outcome.COST_LIMIT,
                cost_estimate=[{"key": "locating", "activity": "Locating messages", "hours": 30}],
                advice="You could ask for one year's messages.",
            )
        ],
        then=then_fresh_response,
        received_days_ago=60,
        slot_values={
            "vexatious_reasons": "The request covers every message about the chief "
            "constable's diary over six years, across every team. Its breadth, and the time "
            "needed to read and consider thousands of messages for exempt material, would "
            "place a burden on the force out of all proportion to the request's value."
        },
    ),
    GalleryCase(
        20,
        "Example: a correction of an issued letter",
        ["How many patrol cars did the force have on 1 April 2025?"],
        [dict(outcome=Outcome.PROVIDED, answer="The force had 64 patrol cars on 1 April 2025.")],
        then=then_correct,
        received_days_ago=20,
    ),
    GalleryCase(
        21,
        "Example: a regime switch from FOIA to the EIR",
        ["How much carbon dioxide did the force's vehicles emit in 2024-25?"],
        kind="",
        then=then_switch_to_eir,
    ),
    GalleryCase(
        22,
        "Example: an EIR refusal under regulations 12(5)(a) and 12(4)(e)",
        ["Please send the assessment of the flood defences protecting the control room."],
        [
            dict(
                outcome=Outcome.WITHHELD,
                citations=[("12(5)(a)", WITHHOLD), ("12(4)(e)", WITHHOLD)],
            )
        ],
        regime=Regime.EIR,
    ),
    GalleryCase(
        23,
        "Example: a FOISA partial release under sections 38(1)(b) and 30(b)(i)",
        ["Please send the notes of the board's discussions on closing the Dunmore office."],
        [
            dict(
                outcome=Outcome.PROVIDED_IN_PART,
                rest_reason=Decision.RestReason.EXEMPT,
                answer="The notes are enclosed, with the names of junior staff and the "
                "members' free and frank views removed.",
                citations=[("38(1)(b) first condition", WITHHOLD), ("30(b)(i)", WITHHOLD)],
            )
        ],
        regime=Regime.FOISA,
    ),
    GalleryCase(
        24,
        "Example: closed without a letter, withdrawn",
        ["How many dogs does the dog unit have?"],
        kind="",
        then=then_withdraw,
    ),
    GalleryCase(
        25,
        "Example: closed without a letter, lapsed (clarification not received)",
        ["Please send the station's visitor book."],
        kind="",
        then=then_lapse,
        received_days_ago=100,
    ),
    GalleryCase(
        26,
        "Example: closed without a letter, a duplicate of GALLERY/01",
        ["How many patrol cars did the force have on 1 April 2025?"],
        kind="",
        then=then_duplicate,
    ),
    GalleryCase(
        27,
        "Example: question by question (you asked, our response), with a summary first",
        MIXED_QUESTIONS,
        MIXED_DECISIONS,
        then=laid_out(Letter.Layout.QUESTIONS, summary=True),
    ),
    GalleryCase(
        28,
        "Example: a short cover letter with the reasons in a schedule",
        MIXED_QUESTIONS,
        MIXED_DECISIONS,
        then=laid_out(Letter.Layout.COVER, summary=False),
    ),
]


# What each request is about, in the letters' words (the "subject" slot).
TOPICS = {
    f"{PREFIX}/{number:02d}": topic
    for number, topic in {
        1: "the number of patrol cars",
        2: "the policy on body-worn video",
        3: "complaints about parking enforcement",
        4: "spending on horse feed",
        5: "work with the security services at the port",
        6: "covert cameras on the Riverside estate",
        7: "reviews of the force's custody suites",
        8: "the new depot",
        9: "officers, stations and lateness for shifts",
        10: "records that mention you and your family",
        11: "speed cameras on the A38",
        12: "the members of the ethics panel",
        13: "intelligence records about you",
        14: "firearms licences by district",
        15: "the anti-fraud policy",
        16: "an incident last week",
        17: "the report on the response to the 2024 flooding",
        18: "overtime payments in 2024",
        19: "messages about the chief constable's diary",
        20: "the number of patrol cars",
        21: "emissions from the force's vehicles",
        22: "the assessment of the control room's flood defences",
        23: "the board's discussions on closing the Dunmore office",
        27: "spit guards",
        28: "spit guards",
    }.items()
}


# ---- Building --------------------------------------------------------------------------


def decide(case, officer, spec):
    spec = dict(spec)
    numbers = spec.pop("numbers", None)
    questions = list(case.questions.order_by("number"))
    if numbers is not None:
        questions = [q for q in questions if q.number in numbers]
    by_number = {q.number: q for q in case.questions.all()}
    if "depends_on" in spec:
        spec["depends_on"] = by_number[spec["depends_on"]]
    if "advice_questions" in spec:
        spec["advice_questions"] = [by_number[n] for n in spec["advice_questions"]]
    spec["citations"] = [
        (Exemption.objects.get(regime=case.regime, section=section), mode)
        for section, mode in spec.get("citations", ())
    ]
    return decisions.save_decision(case, actor=officer, questions=questions, **spec)


# What the gallery's letters say in the slots the clause library leaves to the officer,
# unless an example says something of its own.
SLOT_WORDING = {
    "departments_consulted": "the Information Management Unit and the teams that hold the records",
    "vexatious_reasons": "The request asks for every record that mentions you or your family "
    "since the force was formed. It is the thirty-second request you have made about the "
    "same matter in a year, several repeating questions we had already answered, and "
    "answering it would take the unit away from other requesters for several weeks. We "
    "consider that its burden on the force is out of all proportion to its value.",
    "previous_request": "your request of 3 November, which we answered in full on 17 November",
    "provisions_considered": "section 31(1) (law enforcement)",
}


def fill_slots(letter, officer, values=None):
    """Fill every slot still empty: the example's own value, the gallery's usual wording,
    else a plain placeholder naming the slot."""
    values = {**SLOT_WORDING, **(values or {})}
    if "extension_date" not in values:
        day = letter.case.received_on + datetime.timedelta(days=40)
        values["extension_date"] = f"{day.day} {day:%B %Y}"
    missing = {
        slot.name: values.get(slot.name) or f"the {slot.label.lower()}"
        for slot in slots.required_slots(letter)
    }
    if not missing:
        return letter
    letter = Letter.objects.get(pk=letter.pk)
    return editing.save_letter(letter, actor=officer, revision=letter.revision, slot_values=missing)


def draft(case, users, kind, slot_values):
    slot_values = {"subject": TOPICS.get(case.reference, "your request"), **slot_values}
    letter = editing.assemble_letter(
        case, actor=users["officer"], kind=kind, slot_values=slot_values
    )
    return fill_slots(letter, users["officer"], slot_values)


def build_example(authority, users, example):
    existing = Case.objects.filter(reference=example.reference).first()
    if existing is not None:
        return existing
    officer = users["officer"]
    requester = Requester.objects.create(
        name=f"Gallery requester {example.number:02d}",
        email=f"gallery{example.number:02d}@example.com",
        postal_address="",
    )
    case = workflow.open_case(
        actor=officer,
        authority=authority,
        regime=Regime.objects.get(code=example.regime),
        requester=requester,
        questions=example.questions,
        reference=example.reference,
        received_on=timezone.localdate() - datetime.timedelta(days=example.received_days_ago),
        received_via=Case.Channel.EMAIL,
        request_text="\n\n".join(example.questions),
        subject=example.subject,
        searches=SEARCHES,
        assigned_to=officer,
    )
    for spec in example.decisions:
        decide(case, officer, spec)
    letter = draft(case, users, example.kind, example.slot_values) if example.kind else None
    if example.then is not None:
        letter = example.then(case, letter, users)
        if isinstance(letter, Letter) and letter.status == Letter.Status.DRAFT:
            topic = {"subject": TOPICS.get(example.reference, "your request")}
            fill_slots(letter, officer, {**topic, **example.slot_values})
    return Case.objects.get(pk=case.pk)


def build_gallery(authority, users):
    return [build_example(authority, users, example) for example in EXAMPLES]
