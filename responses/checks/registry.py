"""One kind of finding, and the one registry of the checks that make them.

A check is a function declared once with ``@check(code, severity, ...)``. It reads a case or
a letter (a ``Subject``) and yields ``(where, message)`` for each thing wrong; the registry
turns those into ``Finding``s carrying the check's code, severity and checklist row, so a
rule has one code and one severity wherever it is shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.utils import timezone

from exemptions.models import Exemption
from responses.checks.text import LetterText
from responses.drafting.planning import PlannedSection, decisions_for_planning, plan_letter
from responses.drafting.slots import slot_values_for
from responses.models import Case, Citation, Decision, Letter, LetterSection, Question


class Severity(models.TextChoices):
    ERROR = "error", "Error"  # blocks submission for review and approval
    WARNING = "warning", "Warning"  # shown; submitting the letter records that it was read


@dataclass(frozen=True)
class Finding:
    code: str  # the check's stable code
    severity: Severity
    where: str  # a section key ("harm", "decision-4"), or "decisions", "letter"
    message: str  # for the officer
    row: int | None = None  # the row of the section 17 checklist (foia_domain.md §7), if any

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


class Subject:
    """What the checks read: a case, or a letter and its case. Each part is loaded once."""

    def __init__(
        self, case: Case, letter: Letter | None = None, *, today: datetime.date | None = None
    ):
        self.case = case
        self.letter = letter
        self.today = today or timezone.localdate()

    @cached_property
    def decisions(self) -> list[Decision]:
        # With what the planner reads, so the letter is planned from these same objects.
        return list(decisions_for_planning(self.case).order_by("position", "pk"))

    @cached_property
    def questions(self) -> list[Question]:
        return list(self.case.questions.all())

    @cached_property
    def citations(self) -> list[Citation]:
        return [citation for decision in self.decisions for citation in decision.citations.all()]

    @cached_property
    def sections(self) -> list[LetterSection]:
        return list(self.letter.sections.prefetch_related("paragraphs__clause__exemption__regime"))

    @cached_property
    def text(self) -> LetterText:
        return LetterText(self.sections)

    @cached_property
    def planned(self) -> dict[str, PlannedSection]:
        """The sections the letter should have now, by key."""
        planned = plan_letter(self.letter, self.slot_values, decisions=self.decisions)
        return {section.key: section for section in planned}

    @cached_property
    def slot_values(self) -> dict[str, str]:
        return slot_values_for(self.letter, decisions=self.decisions)

    @cached_property
    def exemptions(self) -> dict[int, Exemption]:
        """The regime's exemptions by pk (a public interest part's key names one)."""
        return {e.pk: e for e in Exemption.objects.filter(regime=self.case.regime)}


Reader = Callable[[Subject], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    read: Reader
    letters: frozenset[str]  # the kinds of letter it reads
    on_case: bool  # also shown on the case's decisions page (it reads only the case)
    row: int | None

    def findings(self, subject: Subject) -> list[Finding]:
        return [
            Finding(self.code, self.severity, where, message, self.row)
            for where, message in self.read(subject)
        ]


REGISTRY: list[Check] = []


def check(
    code: str,
    severity: Severity,
    *,
    letters: Collection[str] = (),
    on_case: bool = False,
    row: int | None = None,
) -> Callable[[Reader], Reader]:
    """Register a check: ``letters`` are the kinds of letter it reads; ``on_case`` also
    runs it for the decisions page; ``row`` is its row of the section 17 checklist."""

    def register(read: Reader) -> Reader:
        if any(existing.code == code for existing in REGISTRY):
            raise ValueError(f"Two checks have the code {code!r}.")
        kinds = set(letters)
        if Letter.Kind.RESPONSE in kinds:
            # A fresh response after a decision notice is a response: it is checked as one.
            kinds.add(Letter.Kind.FRESH_RESPONSE)
        REGISTRY.append(Check(code, Severity(severity), read, frozenset(kinds), on_case, row))
        return read

    return register


def run(checks: Iterable[Check], subject: Subject) -> list[Finding]:
    """The findings of the checks, errors first, each said once."""
    findings = []
    for registered in checks:
        for finding in registered.findings(subject):
            if finding not in findings:
                findings.append(finding)
    return sorted(findings, key=lambda finding: not finding.is_error)
