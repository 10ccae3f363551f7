"""Letters on paper: assembling a draft from its plan, rebuilding it after the decisions
change, and the officer's edits (text, slot values, moving, adding and deleting paragraphs).

Every change goes through ``save_letter`` or ``rebuild_letter``, which lock the letter,
refuse a stale revision and record the save in the case history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db import transaction

from responses.drafting.planning import plan_letter
from responses.drafting.slots import (
    provisions_considered,
    render_with_placeholders,
    slot_key,
    slot_label,
    slot_values_for,
    values_for_paragraph,
)
from responses.drafting.wording import (
    MAX_PARAGRAPH_CHARS,
    MAX_PARAGRAPHS_PER_LETTER,
    DraftingError,
    StaleLetterError,
    is_revision,
    placeholder,
    too_many_paragraphs,
)
from responses.models import Case, CaseEvent, Letter, LetterParagraph, LetterSection
from responses.rendering.html import render_letter_html

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _write_sections(letter, planned_sections, carried=None):
    """Create the letter's sections from a plan, leaving out the library paragraphs the
    officer deleted (``letter.removed_sources``).

    ``carried`` maps a section key to the officer's paragraphs to keep there:
    [(anchor_source or None, paragraph_fields)], placed after the paragraph whose
    source is ``anchor_source`` (or first in the section).
    """
    carried = dict(carried or {})
    removed = set(letter.removed_sources or ())
    planned_sections = [
        replace(planned, paragraphs=[p for p in planned.paragraphs if p.source not in removed])
        for planned in planned_sections
    ]
    count = sum(len(planned.paragraphs) for planned in planned_sections) + sum(
        len(kept["paragraphs"]) for kept in carried.values()
    )
    if count > MAX_PARAGRAPHS_PER_LETTER:
        raise too_many_paragraphs(count, MAX_PARAGRAPHS_PER_LETTER)
    for position, planned in enumerate(planned_sections, start=1):
        section = LetterSection.objects.create(
            letter=letter,
            key=planned.key,
            heading=planned.heading,
            level=planned.level,
            position=position,
        )
        paragraphs = [
            dict(source=p.source, text=p.text, clause=p.clause, edited=False)
            for p in planned.paragraphs
        ]
        placed_after = {}  # anchor -> officer paragraphs already put after it, to keep order
        for anchor, fields in carried.pop(planned.key, {}).get("paragraphs", []):
            sources = [p["source"] for p in paragraphs]
            if fields["source"] and fields["source"] in sources:
                # An edited paragraph replaces the library text it came from, in place.
                paragraphs[sources.index(fields["source"])] = fields
                continue
            if anchor is None:
                base = 0
            elif anchor in sources:
                base = sources.index(anchor) + 1
            else:
                base = len(paragraphs)
            paragraphs.insert(base + placed_after.get(anchor, 0), fields)
            placed_after[anchor] = placed_after.get(anchor, 0) + 1
        _create_paragraphs(section, paragraphs)
    # Officer text whose section is no longer planned: keep it, in a section of its own.
    position = len(planned_sections)
    for key, leftover in carried.items():
        position += 1
        section = LetterSection.objects.create(
            letter=letter,
            key=key,
            heading=leftover["heading"],
            level=leftover["level"],
            position=position,
        )
        _create_paragraphs(section, [fields for _, fields in leftover["paragraphs"]])


def _create_paragraphs(section, paragraphs):
    LetterParagraph.objects.bulk_create(
        LetterParagraph(section=section, position=position, **fields)
        for position, fields in enumerate(paragraphs, start=1)
    )


@transaction.atomic
def assemble_letter(
    case: Case,
    *,
    actor: User | None,
    kind: str = Letter.Kind.RESPONSE,
    slot_values: Mapping[str, str] | None = None,
) -> Letter:
    """A new draft letter of ``kind`` for the case, every paragraph from the library."""
    slot_values = dict(slot_values or {})
    if kind == Letter.Kind.EXTENSION:
        # A starting point the officer can change: the qualified exemptions already cited.
        slot_values.setdefault("provisions_considered", provisions_considered(case))
    letter = Letter.objects.create(
        case=case, kind=kind, slot_values=slot_values, updated_by=_user(actor)
    )
    _write_sections(letter, plan_letter(letter))
    CaseEvent.objects.record(
        case, CaseEvent.Action.LETTER_CREATED, actor, letter=letter.pk, kind=kind
    )
    return letter


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _officer_paragraphs(letter):
    """{section key: {"heading", "level", "paragraphs": [(anchor, fields)]}} to keep."""
    carried = {}
    for section in letter.sections.prefetch_related("paragraphs"):
        anchor = None
        for paragraph in section.paragraphs.all():
            written = paragraph.clause_id is None and not paragraph.source
            # A paragraph marked personal is kept too, so the mark is not lost.
            if paragraph.edited or written or paragraph.personal:
                entry = carried.setdefault(
                    section.key,
                    {"heading": section.heading, "level": section.level, "paragraphs": []},
                )
                fields = dict(
                    source=paragraph.source,
                    text=paragraph.text,
                    clause=paragraph.clause,
                    edited=paragraph.edited or written,
                    personal=paragraph.personal,
                )
                entry["paragraphs"].append((anchor, fields))
            anchor = paragraph.source or anchor
    return carried


def _lock(letter, revision):
    if not is_revision(revision):
        raise DraftingError(
            "Say which revision of the letter this change started from: without it, the "
            "change could overwrite someone else's."
        )
    locked = Letter.objects.select_for_update().get(pk=letter.pk)
    if revision != locked.revision:
        raise StaleLetterError(locked)
    if locked.status != Letter.Status.DRAFT:
        raise DraftingError("Only a draft letter can be changed.")
    return locked


def _saved(letter, actor, operation, **details):
    letter.revision += 1
    letter.updated_by = _user(actor)
    letter.save(
        update_fields=["revision", "updated_by", "updated_at", "slot_values", "removed_sources"]
    )
    CaseEvent.objects.record(
        letter.case,
        CaseEvent.Action.LETTER_SAVED,
        actor,
        letter=letter.pk,
        revision=letter.revision,
        operation=operation,
        **details,
    )
    return letter


@transaction.atomic
def rebuild_letter(letter: Letter, *, actor: User | None, revision: int) -> Letter:
    """Re-assemble after the decisions changed; paragraphs the officer edited or wrote stay."""
    letter = _lock(letter, revision)
    carried = _officer_paragraphs(letter)
    planned = plan_letter(letter)
    letter.sections.all().delete()
    _write_sections(letter, planned, carried)
    return _saved(letter, actor, "rebuild")


@transaction.atomic
def change_layout(
    letter: Letter, *, actor: User | None, revision: int, layout: str, include_outcome_summary: bool
) -> Letter:
    """Lay the letter out another way: the sections are planned again for the layout,
    paragraphs the officer edited or wrote stay (as "Update from decisions" keeps them), and
    the change is in the letter's history."""
    letter = _lock(letter, revision)
    if layout not in Letter.Layout.values:
        raise DraftingError("Choose one of the layouts offered.")
    before = (letter.layout, letter.include_outcome_summary)
    letter.layout = layout
    letter.include_outcome_summary = include_outcome_summary
    letter.save(update_fields=["layout", "include_outcome_summary"])
    carried = _officer_paragraphs(letter)
    planned = plan_letter(letter)
    letter.sections.all().delete()
    _write_sections(letter, planned, carried)
    return _saved(
        letter,
        actor,
        "layout",
        layout=layout,
        previous_layout=before[0],
        outcome_summary=include_outcome_summary,
    )


@dataclass
class Operation:
    """One structural change submitted with a save: move, add, delete or reset."""

    name: str  # "up", "down", "delete", "add", "reset", ""
    target: int | None = None  # paragraph pk (up/down/delete/add-after) or section pk
    section: int | None = None  # for "add": the section pk

    @classmethod
    def parse(cls, value: str | None) -> Operation:
        """From a button value: "up:12", "delete:12", "add:3:12", "add:3:0", "reset:3"."""
        parts = (value or "").split(":")
        name = parts[0]
        if name not in ("up", "down", "delete", "add", "reset") or len(parts) < 2:
            return cls("")
        try:
            numbers = [int(part) for part in parts[1:]]
        except ValueError:
            return cls("")
        if name == "add":
            return cls(name, target=numbers[1] if len(numbers) > 1 else 0, section=numbers[0])
        return cls(name, target=numbers[0])


@transaction.atomic
def save_letter(
    letter: Letter,
    *,
    actor: User | None,
    revision: int,
    texts: Mapping[int, str] | None = None,
    slot_values: Mapping[str, str] | None = None,
    operation: Operation | None = None,
    lost_paragraphs: Sequence[tuple[str, str]] | None = None,
    personal: Mapping[int, bool] | None = None,
) -> Letter:
    """The one way a letter is changed by its editor.

    ``texts`` maps paragraph pks to the submitted text; ``slot_values`` maps officer slots
    to values; ``operation`` is a structural change applied after the texts. A stale
    ``revision`` raises StaleLetterError before anything is written. ``lost_paragraphs``
    ([(section key, text)]) re-creates text whose paragraph someone else deleted meanwhile.
    ``personal`` maps paragraph pks to whether they are left out of the public copy.
    """
    letter = _lock(letter, revision)
    changed = _apply_texts(letter, texts or {})
    changed += _apply_personal(letter, personal or {})
    for key, text in lost_paragraphs or []:
        section = letter.sections.filter(key=key).first() or letter.sections.last()
        if section and text.strip():
            _append_paragraph(section, text)
            changed += 1
    if slot_values is not None:
        _apply_slot_values(letter, slot_values)
    operation = operation or Operation("")
    if operation.name:
        _apply_operation(letter, operation)
    return _saved(letter, actor, operation.name or "edit", paragraphs_changed=changed)


def _apply_texts(letter, texts):
    changed = 0
    paragraphs = LetterParagraph.objects.filter(section__letter=letter, pk__in=list(texts))
    for paragraph in paragraphs:
        text = texts[paragraph.pk].replace("\r\n", "\n")
        if len(text) > MAX_PARAGRAPH_CHARS:
            raise DraftingError(
                f"A paragraph is {len(text):,} characters long; the limit is "
                f"{MAX_PARAGRAPH_CHARS:,}."
            )
        if text != paragraph.text:
            paragraph.text = text
            paragraph.edited = True
            paragraph.save(update_fields=["text", "edited"])
            changed += 1
    return changed


def _apply_personal(letter, personal):
    changed = 0
    paragraphs = LetterParagraph.objects.filter(section__letter=letter, pk__in=list(personal))
    for paragraph in paragraphs:
        if paragraph.personal != bool(personal[paragraph.pk]):
            paragraph.personal = bool(personal[paragraph.pk])
            paragraph.save(update_fields=["personal"])
            changed += 1
    return changed


def _append_paragraph(section, text, after=None):
    count = LetterParagraph.objects.filter(section__letter_id=section.letter_id).count()
    if count >= MAX_PARAGRAPHS_PER_LETTER:
        raise too_many_paragraphs(count + 1, MAX_PARAGRAPHS_PER_LETTER)
    paragraphs = list(section.paragraphs.all())
    index = len(paragraphs)  # after=None: at the end; after=0: at the start
    if after is not None:
        index = next((i + 1 for i, p in enumerate(paragraphs) if p.pk == after), 0)
    new = LetterParagraph(section=section, text=text, edited=True)
    paragraphs.insert(index, new)
    for position, paragraph in enumerate(paragraphs, start=1):
        paragraph.position = position
        paragraph.save()
    return new


def _apply_slot_values(letter, submitted):
    """Store the officer's slot values and refresh the paragraphs that use them.

    Library paragraphs the officer has not touched are rendered again with the values;
    in edited ones only the placeholder is replaced, so their edits stay.
    """
    previous = dict(letter.slot_values or {})
    cleaned = {name: str(value or "").strip() for name, value in submitted.items()}
    letter.slot_values = {**previous, **cleaned}
    values = slot_values_for(letter)
    paragraphs = LetterParagraph.objects.filter(
        section__letter=letter, clause__isnull=False
    ).select_related("clause__exemption__regime")
    for paragraph in paragraphs:
        clause = paragraph.clause
        keys = {name: slot_key(clause, name, paragraph.source) for name in clause.slot_names}
        changed = {name: key for name, key in keys.items() if key in cleaned}
        if not changed:
            continue
        if not paragraph.edited:
            text = render_with_placeholders(
                clause, values_for_paragraph(values, clause, paragraph.source)
            )
        else:
            text = paragraph.text
            for name, key in changed.items():
                if cleaned[key]:
                    text = text.replace(placeholder(slot_label(clause, name)), cleaned[key])
        if text != paragraph.text:
            paragraph.text = text
            paragraph.save(update_fields=["text"])


def _apply_operation(letter, operation):
    if operation.name in ("up", "down", "delete"):
        paragraph = LetterParagraph.objects.filter(
            section__letter=letter, pk=operation.target
        ).first()
        if paragraph is None:
            raise DraftingError("That paragraph is no longer in the letter.")
        siblings = list(paragraph.section.paragraphs.all())
        index = next(i for i, p in enumerate(siblings) if p.pk == paragraph.pk)
        if operation.name == "delete":
            deleted = siblings.pop(index)
            if deleted.source and deleted.source not in letter.removed_sources:
                # Remembered, so rebuilding from the decisions does not put it back.
                letter.removed_sources = [*letter.removed_sources, deleted.source]
            deleted.delete()
        else:
            other = index - 1 if operation.name == "up" else index + 1
            if 0 <= other < len(siblings):
                siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])
    elif operation.name == "add":
        section = letter.sections.filter(pk=operation.section).first()
        if section is None:
            raise DraftingError("That section is no longer in the letter.")
        _append_paragraph(section, "", after=operation.target or 0)
    elif operation.name == "reset":
        reset_section(letter, section_pk=operation.target)


def reset_section(letter: Letter, *, section_pk: int) -> None:
    """Put a section back to the library text: edits and officer paragraphs there go."""
    section = letter.sections.filter(pk=section_pk).first()
    if section is None:
        raise DraftingError("That section is no longer in the letter.")
    planned = next((s for s in plan_letter(letter) if s.key == section.key), None)
    if planned is None:
        raise DraftingError(
            f"“{section.heading}” is no longer needed by the decisions, so there is no library "
            "text to go back to. Delete its paragraphs instead."
        )
    section.paragraphs.all().delete()
    restored = {p.source for p in planned.paragraphs}
    letter.removed_sources = [s for s in letter.removed_sources or () if s not in restored]
    section.heading = planned.heading
    section.save(update_fields=["heading"])
    _create_paragraphs(
        section,
        [
            dict(source=p.source, text=p.text, clause=p.clause, edited=False)
            for p in planned.paragraphs
        ],
    )


def preview_letter_html(
    letter: Letter,
    *,
    texts: Mapping[int, str] | None = None,
    slot_values: Mapping[str, str] | None = None,
) -> str:
    """The letter as it would look with unsaved edits; nothing is kept.

    The edits are written inside a savepoint that is always rolled back, so the preview
    goes through exactly the renderer the PDF uses.
    """
    with transaction.atomic():
        draft = Letter.objects.get(pk=letter.pk)
        texts = {pk: text[:MAX_PARAGRAPH_CHARS] for pk, text in (texts or {}).items()}
        _apply_texts(draft, texts)
        if slot_values is not None:
            _apply_slot_values(draft, slot_values)
            Letter.objects.filter(pk=draft.pk).update(slot_values=draft.slot_values)
        html = render_letter_html(Letter.objects.get(pk=draft.pk), draft=True)
        transaction.set_rollback(True)
    return html
