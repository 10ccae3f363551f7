"""What changed between two versions of a letter, word by word, section by section."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

from responses import masking
from responses.models import Letter

# A word with the spaces after it, so a lone space never "matches" between changed words.
TOKEN = re.compile(r"^\s+|\S+\s*")


@dataclass
class SectionDiff:
    key: str
    heading: str
    status: str  # "added", "removed", "changed", "unchanged"
    html: str


def word_diff_html(old, new):
    """Escaped text with <ins>/<del> around inserted and deleted words."""
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    parts = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed = escape("".join(old_tokens[a1:a2]))
        added = escape("".join(new_tokens[b1:b2]))
        if op == "equal":
            parts.append(added)
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{removed}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{added}</ins>")
    # Every piece of text above went through escape(), so the markup is ours alone.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


def masked_texts(section_texts, requester):
    """{key: (heading, text)} with the requester's details masked: for a reviewer who
    has not revealed them. The versions themselves stay as they were frozen."""
    return {
        key: (
            masking.mask_requester(heading, requester),
            masking.mask_requester(text, requester),
        )
        for key, (heading, text) in section_texts.items()
    }


def layout_words(version):
    """How the version is laid out, in words: "Question by question: ...; with a summary"."""
    layout = version.layout or Letter.Layout.SECTIONS
    words = Letter.Layout(layout).label if layout in Letter.Layout.values else layout
    return words + ("; with a summary of our response" if version.include_outcome_summary else "")


def diff_versions(previous, current, *, masked_for=None):
    """One SectionDiff per section of either version, in the current version's order.

    ``masked_for``: the case's requester, whose details are masked before the words are
    compared (so a masked name never shows up as a changed word).
    """
    old = previous.section_texts() if previous is not None else {}
    new = current.section_texts()
    if masked_for is not None:
        old, new = masked_texts(old, masked_for), masked_texts(new, masked_for)
    diffs = []
    if previous is not None and layout_words(previous) != layout_words(current):
        diffs.append(
            SectionDiff(
                "layout",
                "Layout",
                "changed",
                word_diff_html(layout_words(previous), layout_words(current)),
            )
        )
    for key, (heading, text) in new.items():
        if key not in old:
            diffs.append(SectionDiff(key, heading, "added", word_diff_html("", text)))
            continue
        old_text = old[key][1]
        status = "unchanged" if old_text == text else "changed"
        diffs.append(SectionDiff(key, heading, status, word_diff_html(old_text, text)))
    for key, (heading, text) in old.items():
        if key not in new:
            diffs.append(SectionDiff(key, heading, "removed", word_diff_html(text, "")))
    return diffs
