"""Clause slots: the values the case fills automatically, the ones the officer types, and
clause text rendered with a visible placeholder ("[Fill in: ...]") for each empty slot."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.dateformat import format as format_date

from exemptions.clauses import ClauseTemplateError, MissingSlotError, render_clause_text
from exemptions.models import Clause
from responses.drafting.wording import (
    clause_used_in,
    cost_limit,
    ico_office,
    join_words,
    placeholder,
    provision_label,
    question_label,
    where_to_find,
)
from responses.models import Case, Citation, Decision, Letter, LetterParagraph

# Slots the drafting code fills from the case; the officer never types them. The case's
# subject is not one: it is a label for officers, and the letter's words for what was asked
# about (the "subject" slot) are the officer's to write.
AUTOMATIC_SLOTS = {
    "authority_name": "the authority's name",
    "reference": "the case reference",
    "received_date": "the date the request was received",
    "cost_limit_pounds": "the authority's cost limit",
    "cost_limit_hours": "the authority's cost limit in hours",
    "response_days": "the regime's response time",
    "review_deadline_days": "the time allowed to ask for a review",
    "requester_name": "the requester's name",
    "ncnd_covers": "the questions or parts neither confirmed nor denied",
    "ico_office": "the Information Commissioner's office for the authority's nation",
}
REVIEW_DEADLINE_DAYS = 40

# Slots whose typed value completes a sentence in a known way, tidied to fit it.
SLOT_TIDYING = {"where_accessible": where_to_find}

# Filled from the recorded outcome of an internal review, not typed into the letter editor.
REVIEW_SLOTS = {"review_findings"}

# What a paragraph says in place of library text that failed to render; the checks find it.
BROKEN_LIBRARY_TEXT = re.compile(r"\[The library text (?P<code>[\w-]+) could not be used\b")


# A slot declared `per_question` (where each question's information can be found, under
# FOIA section 21) takes one value per decision, stored as "<slot>@decision-<pk>".
DECISION_SOURCE = re.compile(r"^decision:(\d+):")


def question_slot_key(name: str, decision_pk: int) -> str:
    return f"{name}@decision-{decision_pk}"


def _decision_pk(source: str) -> int | None:
    match = DECISION_SOURCE.match(source or "")
    return int(match.group(1)) if match else None


def slot_key(clause: Clause, name: str, source: str) -> str:
    """Where a paragraph's value for the slot is kept: per question, or once per letter."""
    pk = _decision_pk(source)
    for slot in clause.slots:
        if slot["name"] == name and slot.get("per_question") and pk is not None:
            return question_slot_key(name, pk)
    return name


def values_for_paragraph(values: dict[str, str], clause: Clause, source: str) -> dict[str, str]:
    """The letter's slot values as one paragraph sees them: its own question's, per question."""
    keys = {name: slot_key(clause, name, source) for name in clause.slot_names}
    if all(key == name for name, key in keys.items()):
        return values
    return {**values, **{name: values.get(key, "") for name, key in keys.items()}}


@dataclass(frozen=True)
class Slot:
    name: str
    label: str
    help: str = ""
    used_in: tuple[str, ...] = ()


def automatic_slot_values(case: Case, decisions=None) -> dict[str, str]:
    authority = case.authority
    limit = cost_limit(case)  # the regime's own limit and rate (FOISA: £600 at £15)
    values = {
        "authority_name": authority.name,
        "reference": case.reference,
        "received_date": format_date(case.received_on, "j F Y"),
        "cost_limit_pounds": str(limit.pounds),
        "cost_limit_hours": str(limit.hours),
        "response_days": str(case.regime.response_days),
        "review_deadline_days": str(REVIEW_DEADLINE_DAYS),
        "requester_name": case.requester.name,
        "ncnd_covers": ncnd_covers(case, decisions),
        "ico_office": ico_office(authority),
    }
    return {name: value for name, value in values.items() if value}


def ncnd_covers(case: Case, decisions=None) -> str:
    """What the closing caveat covers: everything asked for when every answer neither
    confirms nor denies, otherwise the questions and parts that do, so that the caveat never
    contradicts an answer given elsewhere in the letter ("" when nothing is NCND).
    ``decisions``: the case's, with their questions and citations, when the caller has them."""
    if decisions is None:
        decisions = case.decisions.prefetch_related("questions", "citations")
    decisions = list(decisions)
    covered, everything = [], bool(decisions)
    for decision in decisions:
        label = question_label(q.number for q in decision.questions.all()) or "this request"
        ncnd = any(c.mode == Citation.Mode.NCND for c in decision.citations.all())
        wholly = (
            decision.outcome == Decision.Outcome.NCND
            and not decision.answer.strip()
            and not decision.table
        )
        everything = everything and wholly
        if wholly:
            covered.append(label)
        elif ncnd or decision.outcome == Decision.Outcome.NCND:
            covered.append(f"the part of {label} that we neither confirm nor deny")
    if not covered:
        return ""
    if everything:
        return "any of the information you asked for"
    return f"information of the kind asked for in {join_words(covered)}"


def review_slot_values(letter: Letter) -> dict[str, str]:
    """An outcome letter speaks of the original request and carries the reviewer's reasons."""
    values = {}
    original = letter.case.reviewed_case
    if original is not None:
        values["received_date"] = format_date(original.received_on, "j F Y")
    outcome = getattr(letter, "review_outcome", None)
    if outcome is not None and outcome.reasons.strip():
        values["review_findings"] = outcome.reasons.strip()
    elif outcome is not None and outcome.findings.exists():
        values["review_findings"] = "The review's finding on each answer you disputed follows."
    return values


def slot_values_for(letter: Letter, *, decisions=None) -> dict[str, str]:
    """Every slot value the letter has: the officer's, then the case's (which win);
    ``decisions`` as ``ncnd_covers`` takes them."""
    values = {
        name: value
        for name, value in (letter.slot_values or {}).items()
        if name not in AUTOMATIC_SLOTS and str(value or "").strip()
    }
    values.update(automatic_slot_values(letter.case, decisions))
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
        if value and name in SLOT_TIDYING:
            value = SLOT_TIDYING[name](value)
        filled[name] = value or placeholder(slot_label(clause, name))
    try:
        # render_clause_text escapes slot values for HTML; paragraphs are plain text (escaped
        # whenever shown), so undo it here to avoid showing "&amp;" to the requester.
        return render_clause_text(clause.code, clause.body, clause.slot_names, filled).unescape()
    except (ClauseTemplateError, MissingSlotError) as error:
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
            if slot["name"] in AUTOMATIC_SLOTS or (
                letter.kind == Letter.Kind.REVIEW_OUTCOME and slot["name"] in REVIEW_SLOTS
            ):
                continue
            name = slot_key(clause, slot["name"], paragraph.source)
            label = slot.get("label") or slot["name"].replace("_", " ")
            if name != slot["name"]:
                label = f"{label} ({paragraph.section.heading})"
            used_in = clause_used_in(clause)
            if name not in slots:
                slots[name] = Slot(name, label, slot.get("help", ""), (used_in,))
            elif used_in not in slots[name].used_in:
                existing = slots[name]
                slots[name] = Slot(
                    name, existing.label, existing.help, existing.used_in + (used_in,)
                )
    return list(slots.values())
