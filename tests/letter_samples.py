"""Sample letters built straight from the models, for the rendering tests and bench.

They do not use the drafting code: rendering must work on whatever sections a
letter holds. The wording is the project's own.
"""

from exemptions.models import Exemption, Regime
from responses.models import (
    Authority,
    Citation,
    Decision,
    Letter,
    LetterParagraph,
    LetterSection,
    Requester,
)
from responses.workflow import open_case

QUESTIONS = [
    "Does the force use facial recognition technology? If so, which kinds "
    "(live, retrospective, operator-initiated)?",
    "Which suppliers provide the technology?",
    "Has the force shared data or image-based intelligence with any of the following: "
    "other UK forces, the Home Office, security bodies, overseas agencies?",
]

NCND_SECTIONS = [
    (
        "request",
        "Your request",
        ["Your request was received on the date above. You asked for the following."],
    ),
    (
        "searches",
        "Extent and result of searches",
        [
            "We searched the records held by the departments that would hold information "
            "of this kind if it were held."
        ],
    ),
    (
        "decision",
        "Decision",
        [
            "**Q1 & 2.** The force does not use overt facial recognition technology.\n"
            "For any other use, the force can neither confirm nor deny that it holds "
            "information, by virtue of:",
            "- Section 23(5): information supplied by, or concerning, certain security bodies\n"
            "- Section 24(2): national security\n"
            "- Section 31(3): law enforcement",
            "**Q3.** The force can neither confirm nor deny that it holds the information "
            "requested, by virtue of the same provisions.",
        ],
    ),
    (
        "harm",
        "Harm in confirming or denying",
        [
            "Saying whether or not information is held would show where the force's "
            "capabilities lie, and that knowledge could be used to *avoid detection*."
        ],
    ),
    (
        "public-interest",
        "Public interest test",
        [
            "Factors favouring confirmation or denial:\n"
            "- openness about how the force spends public money\n"
            "- public debate about new technology",
            "Factors against confirmation or denial:\n"
            "- confirming or denying would weaken law enforcement\n"
            "- it would help those who wish to harm national security",
        ],
    ),
    (
        "balance",
        "Overall balance",
        [
            "Having weighed these factors, the balance favours neither confirming nor "
            "denying whether the information is held."
        ],
    ),
    (
        "closing",
        "Your rights",
        [
            "This reply should not be taken as showing that information exists or does not.",
            "If you are unhappy with this response you may ask for an internal review within "
            "40 working days. You may then complain to the Information Commissioner under "
            "section 50 of the Freedom of Information Act 2000.",
        ],
    ),
]


def foia_regime():
    regime, _ = Regime.objects.get_or_create(
        code=Regime.FOIA,
        defaults={
            "statute": "Freedom of Information Act 2000",
            "regulator": "Information Commissioner",
            "bank_holiday_divisions": ["england-and-wales", "scotland", "northern-ireland"],
        },
    )
    return regime


def exemption(regime, section, ncnd_provision, *, absolute=False, test="prejudice"):
    row, _ = Exemption.objects.get_or_create(
        regime=regime,
        section=section,
        defaults={
            "title": f"Section {section}",
            "absolute": absolute,
            "test": test,
            "ncnd_provision": ncnd_provision,
            "pit_applies": not absolute,
        },
    )
    return row


def sample_authority(regime=None):
    regime = regime or foia_regime()
    return Authority.objects.create(
        name="Westshire Police",
        address="Headquarters\n1 Example Road\nWestshire\nWS1 1AA",
        email="foi@westshire.example",
        signatory_name="Sam Signer",
        default_regime=regime,
    )


def sample_requester():
    return Requester.objects.create(
        name="Rowan Requester", email="rowan@example.com", postal_address="2 Some Street\nTown"
    )


def add_sections(letter, sections):
    for position, (key, heading, paragraphs) in enumerate(sections):
        section = LetterSection.objects.create(
            letter=letter, key=key, heading=heading, position=position
        )
        for index, text in enumerate(paragraphs):
            LetterParagraph.objects.create(section=section, position=index, text=text)


def ncnd_letter(*, authority=None, requester=None, actor=None, sections=NCND_SECTIONS):
    """A response like the reference letter: partial answer plus NCND under s23/24/31."""
    regime = authority.default_regime if authority else foia_regime()
    authority = authority or sample_authority(regime)
    requester = requester or sample_requester()
    case = open_case(
        actor=actor,
        authority=authority,
        regime=regime,
        requester=requester,
        questions=QUESTIONS,
        request_text="\n".join(QUESTIONS),
        subject="facial recognition technology",
        scope="From 1 January 2022 to the date of this request.",
        prioritisation_note="If you must prioritise, please answer Q2 and Q3.",
    )
    s23 = exemption(regime, "23", "23(5)", absolute=True, test="class")
    s24 = exemption(regime, "24", "24(2)")
    s31 = exemption(regime, "31", "31(3)")
    q1, q2, q3 = case.questions.order_by("number")
    first = Decision.objects.create(
        case=case,
        position=0,
        outcome=Decision.Outcome.PROVIDED_IN_PART,
        answer="No overt use.",
    )
    first.questions.set([q1, q2])
    second = Decision.objects.create(case=case, position=1, outcome=Decision.Outcome.NCND)
    second.questions.set([q3])
    for decision in (first, second):
        for position, row in enumerate((s23, s24, s31)):
            Citation.objects.create(
                decision=decision, exemption=row, mode=Citation.Mode.NCND, position=position
            )
    letter = Letter.objects.create(case=case, kind=Letter.Kind.RESPONSE)
    add_sections(letter, sections)
    return letter


def long_table_letter(*, rows=700, authority=None, requester=None):
    """A response with a long table of figures: about 20 A4 pages."""
    letter = ncnd_letter(authority=authority, requester=requester)
    case = letter.case
    table = [["Month", "Area", "Stops", "Arrests", "Notes"]]
    for index in range(rows):
        table.append(
            [
                f"{2020 + index // 120}-{index % 12 + 1:02d}",
                f"District {index % 9 + 1}",
                str(100 + index * 7 % 53),
                str(index * 3 % 17),
                "Figures checked against the monthly return",
            ]
        )
    decision = Decision.objects.create(
        case=case, position=2, outcome=Decision.Outcome.PROVIDED, table=table
    )
    decision.questions.set([case.questions.get(number=2)])
    return letter
