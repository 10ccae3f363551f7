"""Clause slots: the values the case fills automatically, the ones the officer types, and
clause text rendered with a visible placeholder ("[Fill in: ...]") for each empty slot."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.dateformat import format as format_date

from exemptions.clauses import ClauseTemplateError, render_clause_text
from exemptions.models import Clause
from responses.drafting.wording import (
    clause_used_in,
    cost_limit_for,
    join_words,
    placeholder,
    provision_label,
)
from responses.models import Case, Citation, Letter, LetterParagraph

# Slots the drafting code fills from the case; the officer never types them.
AUTOMATIC_SLOTS = {
    "authority_name": "the authority's name",
    "reference": "the case reference",
    "subject": "a subject for the case (e.g. 'facial recognition technology')",
    "received_date": "the date the request was received",
    "cost_limit_pounds": "the authority's cost limit",
    "cost_limit_hours": "the authority's cost limit in hours",
    "response_days": "the regime's response time",
    "review_deadline_days": "the time allowed to ask for a review",
    "requester_name": "the requester's name",
}
REVIEW_DEADLINE_DAYS = 40

# Filled from the recorded outcome of an internal review, not typed into the letter editor.
REVIEW_SLOTS = {"review_findings"}


@dataclass(frozen=True)
class Slot:
    name: str
    label: str
    help: str = ""
    used_in: tuple[str, ...] = ()


def automatic_slot_values(case: Case) -> dict[str, str]:
    authority = case.authority
    limit = cost_limit_for(case)  # the regime's own limit and rate (FOISA: £600 at £15)
    values = {
        "authority_name": authority.name,
        "reference": case.reference,
        "subject": case.subject,
        "received_date": format_date(case.received_on, "j F Y"),
        "cost_limit_pounds": str(limit.pounds if limit else authority.cost_limit_pounds),
        "cost_limit_hours": str(limit.hours if limit else authority.cost_limit_hours),
        "response_days": str(case.regime.response_days),
        "review_deadline_days": str(REVIEW_DEADLINE_DAYS),
        "requester_name": case.requester.name,
    }
    return {name: value for name, value in values.items() if value}


def review_slot_values(letter: Letter) -> dict[str, str]:
    """An outcome letter speaks of the original request and carries the reviewer's reasons."""
    values = {}
    original = letter.case.reviewed_case
    if original is not None:
        values["reference"] = original.reference
        values["received_date"] = format_date(original.received_on, "j F Y")
    outcome = getattr(letter, "review_outcome", None)
    if outcome is not None and outcome.reasons.strip():
        values["review_findings"] = outcome.reasons.strip()
    return values


def slot_values_for(letter: Letter) -> dict[str, str]:
    """Every slot value the letter has: the officer's, then the case's (which win)."""
    values = {
        name: value
        for name, value in (letter.slot_values or {}).items()
        if name not in AUTOMATIC_SLOTS and str(value or "").strip()
    }
    values.update(automatic_slot_values(letter.case))
    if letter.kind == Letter.Kind.REVIEW_OUTCOME:
        values.update(review_slot_values(letter))
    return values


def provisions_considered(case: Case) -> str:
    """The qualified exemptions cited on a case, in words, for an extension notice."""
    citations = Citation.objects.filter(decision__case=case).select_related("exemption__regime")
    considered = []
    for citation in citations.order_by("decision__position", "position"):
        if not citation.exemption.pit_applies or citation.exemption.procedural:
            continue
        provision = provision_label(citation.exemption, citation.mode).lower()
        label = f"{provision} ({citation.exemption.title.lower()})"
        if label not in considered:
            considered.append(label)
    return join_words(considered)


def slot_label(clause: Clause, name: str) -> str:
    for slot in clause.slots:
        if slot["name"] == name:
            return slot.get("label") or name.replace("_", " ")
    return AUTOMATIC_SLOTS.get(name, name.replace("_", " "))


def render_with_placeholders(clause: Clause, values: dict[str, str]) -> str:
    """The clause's text as plain text, a visible placeholder in place of each empty slot."""
    filled = {}
    for name in clause.slot_names:
        value = str(values.get(name, "") or "").strip()
        filled[name] = value or placeholder(slot_label(clause, name))
    try:
        # render_clause_text escapes slot values for HTML; paragraphs are plain text (escaped
        # whenever shown), so undo it here to avoid showing "&amp;" to the requester.
        return render_clause_text(clause.code, clause.body, clause.slot_names, filled).unescape()
    except ClauseTemplateError as error:
        return f"[The library text {clause.code} could not be used: {error}]"


def required_slots(letter: Letter) -> list[Slot]:
    """The slots the officer fills for this letter, with labels, in order of first use."""
    slots = {}
    paragraphs = LetterParagraph.objects.filter(
        section__letter=letter, clause__isnull=False
    ).select_related("clause__exemption__regime", "section")
    for paragraph in paragraphs.order_by("section__position", "position"):
        clause = paragraph.clause
        for slot in clause.slots:
            name = slot["name"]
            if name in AUTOMATIC_SLOTS or (
                letter.kind == Letter.Kind.REVIEW_OUTCOME and name in REVIEW_SLOTS
            ):
                continue
            used_in = clause_used_in(clause)
            if name not in slots:
                slots[name] = Slot(
                    name,
                    slot.get("label") or name.replace("_", " "),
                    slot.get("help", ""),
                    (used_in,),
                )
            elif used_in not in slots[name].used_in:
                existing = slots[name]
                slots[name] = Slot(
                    name, existing.label, existing.help, existing.used_in + (used_in,)
                )
    return list(slots.values())
