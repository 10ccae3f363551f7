"""A letter's words by main section, for the checks that read what the letter says."""

from __future__ import annotations

import re
from collections.abc import Iterable

from responses.models import LetterSection

# Section keys responses.drafting.planning gives a response letter's sections.
REQUEST, SEARCHES, DECISION, HARM, PUBLIC_INTEREST, BALANCE, CLOSING = (
    "request",
    "searches",
    "decision",
    "harm",
    "public-interest",
    "balance",
    "closing",
)


def section_group(key: str) -> str:
    """The main section a part belongs to: "decision-12" is part of the decision."""
    if key.startswith("decision"):
        return DECISION
    if key.startswith("pit-"):
        return PUBLIC_INTEREST
    return key


class LetterText:
    """The letter's words (headings included), by main section, for searching."""

    def __init__(self, sections: Iterable[LetterSection]):
        parts, bodies = {}, {}
        for section in sections:
            group = section_group(section.key)
            body = [p.text for p in section.paragraphs.all() if p.text.strip()]
            parts.setdefault(group, []).extend([section.heading, *body])
            bodies.setdefault(group, []).extend(body)
        self.by_section = {key: "\n\n".join(texts) for key, texts in parts.items()}
        self.bodies = {key: "\n\n".join(texts) for key, texts in bodies.items()}
        self.all = "\n\n".join(self.by_section.values())

    def is_empty(self, key: str) -> bool:
        return not self.bodies.get(key, "").strip()

    def section(self, key: str) -> str:
        return self.by_section.get(key, "")

    def mentions(self, needle: str, key: str | None = None) -> bool:
        haystack = self.section(key) if key else self.all
        return needle.lower() in haystack.lower()

    def mentions_provision(self, provision: str, key: str | None = None) -> bool:
        # "23(5)" should match "section 23(5)", "s23(5)" and "Section 23 (5)"; FOISA's
        # "18(1) with 35(1)(a)" matches "section 18(1) with section 35(1)(a)" and
        # "sections 18(1) and 35(1)(a)".
        haystack = _compact(self.section(key) if key else self.all)
        return _compact(provision) in haystack


def _compact(text: str) -> str:
    text = re.sub(r"\b(?:sections?|regulations?)\b", "", text.lower())
    return re.sub(r"\s+", "", text.replace(" with ", " and "))
