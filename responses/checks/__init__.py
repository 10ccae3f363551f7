"""Checks on cases and letters: one kind of finding, one registry of checks.

``letter_findings(letter)`` is everything wrong with a draft (the editor, the submit page and
the workflow's submit and approve read it); ``case_findings(case)`` is what the decisions page
shows. Errors block submission and approval; warnings are shown, and submitting the letter
records that the officer read them.

The checks are declared in ``structure`` (how the decisions and the letter are put together)
and ``section17`` (the section 17 checklist); ``registry`` holds the finding type and runs them.
"""

from __future__ import annotations

import datetime

from responses.checks import (  # noqa: F401 (importing them registers them)
    consistency,
    enclosures,
    letter_kinds,
    section17,
    structure,
)
from responses.checks.public_copy import pdf_parts, public_copy_findings
from responses.checks.registry import REGISTRY, Finding, Severity, Subject, run
from responses.models import Case, Letter

__all__ = [
    "Finding",
    "Severity",
    "Subject",
    "can_submit",
    "case_findings",
    "letter_findings",
    "pdf_parts",
    "public_copy_findings",
]


def letter_findings(
    letter: Letter, *, today: datetime.date | None = None, subject: Subject | None = None
) -> list[Finding]:
    """Every finding for a letter, errors first; ``today`` is when it would be sent.
    A page that shows the letter passes its own ``subject`` to reuse what the checks load."""
    checks = [registered for registered in REGISTRY if letter.kind in registered.letters]
    return run(checks, subject or Subject(letter.case, letter, today=today))


def case_findings(case: Case) -> list[Finding]:
    """The findings on a case's decisions, errors first, for the decisions page."""
    return run([registered for registered in REGISTRY if registered.on_case], Subject(case))


def can_submit(letter: Letter) -> bool:
    return letter.status == Letter.Status.DRAFT and not any(
        finding.is_error for finding in letter_findings(letter)
    )
