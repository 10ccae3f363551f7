"""Demo data: an authority, three users and a case shaped like the reference letter.

Every word here is the project's own. The case mirrors the reference letter's
structure (a three-question request about a surveillance technology, a scope
line, a prioritisation note, a mixed answer and NCND), not its prose.
"""

import os
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from exemptions.models import Exemption, Regime
from responses import demo_gallery, issuing, workflow
from responses.drafting import decisions, editing, slots
from responses.models import Authority, Case, Citation, Decision, Letter, Requester
from responses.permissions import ADMINISTRATORS, OFFICERS, REVIEWERS
from responses.roles import ensure_roles

DEMO_SUBJECT = "live facial recognition technology"

DEMO_QUESTIONS = [
    "Has the force used live or retrospective facial recognition technology? If so, please say "
    "whether it was deployed overtly (for example at public events) or covertly.",
    "Which companies have supplied facial recognition software, cameras or related services to "
    "the force?",
    "Has the force shared facial images, watch lists or intelligence derived from facial "
    "recognition with any of the following: the Home Office, the security and intelligence "
    "agencies, other UK police forces, or the police or government of any other country?",
]
DEMO_SCOPE = "From 1 January 2022 to the date of this request."
DEMO_PRIORITY = (
    "If answering everything would go over the cost limit, please answer questions 2 and 3 first."
)

# The request as it arrived by email: the questions above, numbered, between a
# scope line and a prioritisation note, so the question splitter has real work.
DEMO_REQUEST = "\n\n".join(
    [
        "Dear Westshire Police,",
        "Please treat this as a request under the Freedom of Information Act. My questions "
        "cover the period from 1 January 2022 to the date of this request.",
        *(f"{number}. {text}" for number, text in enumerate(DEMO_QUESTIONS, start=1)),
        DEMO_PRIORITY,
        "Thank you,\nJordan Example",
    ]
)

DEMO_SEARCHES = (
    "Searches were made of the records held by the Information Management Unit, Procurement, "
    "and the Operational Support Department, which would hold any record of the deployment of "
    "the technology described in the request."
)
DEMO_OVERT_ANSWER = (
    "Westshire Police has not deployed live or retrospective facial recognition technology "
    "overtly, and has not bought facial recognition software or cameras for overt use, in the "
    "period of the request."
)

DEMO_USERS = [
    ("officer", "Olivia", "Okafor", OFFICERS, False),
    ("reviewer", "Ravi", "Reid", REVIEWERS, False),
    ("admin", "Ada", "Adeyemi", ADMINISTRATORS, True),
]


# Published in the disclosure log by load_demo, so the log is not empty on a fresh install:
# (requester, subject, questions, outcome, answer, NCND citations). The first mirrors the
# demo case's shape; the draft demo case itself stays a draft to walk through.
PUBLISHED_DEMOS = [
    (
        ("Morgan Sample", "morgan.sample@example.com", ""),
        "facial recognition at public events",
        DEMO_QUESTIONS,
        None,  # the demo case's own decisions: Q1 & 2 in part, Q3 NCND
        "",
    ),
    (
        ("Casey Placeholder", "", "4 Orchard Row\nEastbridge\nEB3 7QT"),
        "drone flights over the city centre",
        [
            "How many times did the force fly drones over the city centre in 2025?",
            "Please send the force's policy on the use of drones.",
        ],
        Decision.Outcome.PROVIDED,
        "The force flew drones over the city centre on 42 occasions in 2025. The policy on the "
        "use of drones is published on our website, and a copy is enclosed.",
    ),
    (
        ("Alex Standin", "alex.standin@example.net", ""),
        "income from speed awareness courses",
        ["How much income did the force receive from speed awareness courses in 2024?"],
        Decision.Outcome.NOT_HELD,
        "",
    ),
]


@dataclass
class DemoResult:
    password: str
    case: Case
    usernames: list
    published: list
    gallery: list


def demo_password():
    """DEMO_PASSWORD, or one generated on first use and kept in var/ (git ignores it)."""
    if os.environ.get("DEMO_PASSWORD"):
        return os.environ["DEMO_PASSWORD"]
    path = settings.VAR_DIR / "demo_password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


def ensure_authority():
    foia = Regime.objects.get(code=Regime.FOIA)
    authority = Authority.current()
    if authority is None:
        authority = Authority.objects.create(
            name="Westshire Police",
            address="Freedom of Information Unit\nPolice Headquarters\n1 Beacon Road\n"
            "Westbury\nWS1 2AB",
            email="foi@westshire-police.example",
            telephone="01632 960000",
            website="https://westshire-police.example",
            signatory_name="Olivia Okafor",
            signatory_title="Disclosure Officer",
            default_regime=foia,
            nation=Authority.Nation.ENGLAND,
            internal_review_contact="Write to the Freedom of Information Unit at the address "
            "above, or email foi@westshire-police.example, quoting the reference.",
        )
    return authority


def ensure_users(password):
    groups = ensure_roles()
    User = get_user_model()
    users = {}
    for username, first, last, group, is_admin in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@westshire-police.example"
        user.is_staff = is_admin
        user.is_superuser = is_admin
        user.set_password(password)
        user.save()
        user.groups.set([groups[group]])
        users[username] = user
    return users


def ensure_demo_case(authority, officer):
    existing = Case.objects.filter(subject=DEMO_SUBJECT, requester__name="Jordan Example").first()
    if existing:
        return existing
    requester = Requester.objects.create(
        name="Jordan Example",
        email="jordan.example@example.com",
        postal_address="",
    )
    case = workflow.open_case(
        actor=officer,
        authority=authority,
        regime=authority.default_regime,
        requester=requester,
        questions=DEMO_QUESTIONS,
        received_on=timezone.localdate() - timezone.timedelta(days=8),
        received_via=Case.Channel.EMAIL,
        request_text=DEMO_REQUEST,
        subject=DEMO_SUBJECT,
        scope=DEMO_SCOPE,
        prioritisation_note=DEMO_PRIORITY,
        searches=DEMO_SEARCHES,
        assigned_to=officer,
    )
    add_demo_decisions(case)
    return case


def add_demo_decisions(case):
    """Q1 & 2: the overt position confirmed, the rest NCND; Q3: wholly NCND."""
    q1, q2, q3 = case.questions.order_by("number")
    foia = case.regime

    def exemption(section):
        return Exemption.objects.get(regime=foia, section=section)

    first = Decision.objects.create(
        case=case,
        position=1,
        outcome=Decision.Outcome.PROVIDED_IN_PART,
        rest_reason=Decision.RestReason.EXEMPT,
        answer=DEMO_OVERT_ANSWER,
    )
    first.questions.set([q1, q2])
    for position, section in enumerate(["23", "24", "31"], start=1):
        Citation.objects.create(
            decision=first, exemption=exemption(section), mode=Citation.Mode.NCND, position=position
        )
    second = Decision.objects.create(case=case, position=2, outcome=Decision.Outcome.NCND)
    second.questions.set([q3])
    for position, section in enumerate(["23", "24", "27(1)", "31"], start=1):
        Citation.objects.create(
            decision=second,
            exemption=exemption(section),
            mode=Citation.Mode.NCND,
            position=position,
        )


DEMO_SLOT_VALUES = {
    # What the request is about, in the letter's words (the officer's, not the case label).
    "subject": "the use of live facial recognition technology",
    "foreign_state": "other States",
    "departments_consulted": "the Information Management Unit, Procurement and the "
    "Operational Support Department",
}


def build_demo_letter(case, officer):
    """The complete draft response, assembled from the decisions and the clause library."""
    letter = case.letters.filter(kind=Letter.Kind.RESPONSE).first()
    if letter is None:
        return editing.assemble_letter(case, actor=officer, slot_values=DEMO_SLOT_VALUES)
    return letter


def ensure_published_demo(authority, users, spec):
    """A small case answered, reviewed and issued through the real services, so that it
    is published in the disclosure log. Left alone once its letter is issued."""
    (name, email, address), subject, questions, outcome, answer = spec
    officer, reviewer = users["officer"], users["reviewer"]
    case = Case.objects.filter(subject=subject, requester__name=name).first()
    if case is None:
        requester = Requester.objects.create(name=name, email=email, postal_address=address)
        case = workflow.open_case(
            actor=officer,
            authority=authority,
            regime=authority.default_regime,
            requester=requester,
            questions=questions,
            received_on=timezone.localdate() - timezone.timedelta(days=20),
            received_via=Case.Channel.EMAIL if email else Case.Channel.POST,
            request_text="\n\n".join(questions),
            subject=subject,
            searches=DEMO_SEARCHES,
            assigned_to=officer,
        )
        if outcome is None:
            add_demo_decisions(case)
        else:
            decisions.save_decision(
                case,
                actor=officer,
                questions=list(case.questions.all()),
                outcome=outcome,
                answer=answer,
            )
    letter = case.letters.filter(kind=Letter.Kind.RESPONSE).first()
    if letter is None:
        letter = editing.assemble_letter(
            case, actor=officer, slot_values={**DEMO_SLOT_VALUES, "subject": subject}
        )
        missing = {slot.name: f"the {slot.label.lower()}" for slot in slots.required_slots(letter)}
        missing = {key: value for key, value in missing.items() if key not in DEMO_SLOT_VALUES}
        if missing:
            letter = editing.save_letter(
                letter, actor=officer, revision=letter.revision, slot_values=missing
            )
    if letter.status == Letter.Status.DRAFT:
        version = workflow.submit_letter(letter, actor=officer)
        workflow.approve_letter(letter, actor=reviewer, version_number=version.number)
    letter.refresh_from_db()
    if letter.status == Letter.Status.APPROVED:
        attempt = workflow.request_issue(letter, actor=officer)
        issuing.run_attempt(attempt.pk)  # renders the PDF and the public copy now
    return case


@transaction.atomic
def load_demo():
    password = demo_password()
    authority = ensure_authority()
    users = ensure_users(password)
    case = ensure_demo_case(authority, users["officer"])
    build_demo_letter(case, users["officer"])
    published = [ensure_published_demo(authority, users, spec) for spec in PUBLISHED_DEMOS]
    gallery = demo_gallery.build_gallery(authority, users)
    return DemoResult(
        password=password, case=case, usernames=list(users), published=published, gallery=gallery
    )
