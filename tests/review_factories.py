"""Builders shared by the review, issue and portal tests: cases and letters made directly."""

from responses import workflow
from responses.models import CaseEvent, Letter, LetterParagraph, LetterSection

FAKE_PDF = b"%PDF-1.7\n% a stand-in for a rendered letter\n%%EOF\n"


def make_case(authority, requester, regime, officer, **fields):
    fields.setdefault("request_text", "Please send the policy on drones.")
    fields.setdefault("subject", "drones")
    return workflow.open_case(
        actor=officer,
        authority=authority,
        regime=regime,
        requester=requester,
        questions=["Do you hold a policy on drones?"],
        assigned_to=officer,
        **fields,
    )


def make_letter(case, sections=None, kind=Letter.Kind.RESPONSE, author=None):
    letter = Letter.objects.create(case=case, kind=kind, updated_by=author)
    default = {"decision": ("Decision", ["We hold the policy. It is attached."])}
    set_text(letter, sections or default)
    return letter


def set_text(letter, sections):
    """Replace the letter's text, as the drafting editor would."""
    letter.sections.all().delete()
    for position, (key, (heading, paragraphs)) in enumerate(sections.items()):
        section = LetterSection.objects.create(
            letter=letter, key=key, heading=heading, position=position
        )
        for index, text in enumerate(paragraphs):
            LetterParagraph.objects.create(section=section, position=index, text=text)


def save_as(letter, user, sections):
    """An editor's save: new text and the audit row drafting writes."""
    set_text(letter, sections)
    CaseEvent.objects.record(letter.case, CaseEvent.Action.LETTER_SAVED, user, letter=letter.pk)
