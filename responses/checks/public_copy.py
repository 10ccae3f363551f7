"""Before a letter goes in the disclosure log: is the requester named anywhere in its copy?

The public copy is rendered without the requester, but a paragraph an officer typed, a
quoted question or a table can still carry their name or address. This looks for the
requester's name, email and postal address lines in every part of the public copy a
reader can get at (the page's text, the PDF's text, its metadata and attached files, file
names) and says where each was found. The workflow refuses to publish while it finds any.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping

from pypdf import PdfReader

from responses.checks.registry import Finding, Severity
from responses.models import Authority, Requester

CODE = "public-copy-names-requester"
SPACES = re.compile(r"\s+")
# Address lines shorter than this ("UK", "1") match too much text to mean anything.
SHORTEST_ADDRESS_LINE = 4


def _normalise(text: str) -> str:
    return SPACES.sub(" ", text).strip().casefold()


def requester_details(requester: Requester, authority: Authority | None = None) -> dict[str, str]:
    """{what: value} to look for. An address line the authority's own address shares
    ("Westbury") is left out: the letterhead prints it whoever the requester is."""
    details = {}
    if requester.name.strip():
        details["name"] = requester.name
    if requester.email.strip():
        details["email"] = requester.email
    own_lines = {_normalise(line) for line in (authority.address_lines if authority else [])}
    for number, line in enumerate(requester.address_lines, start=1):
        if len(line.strip()) >= SHORTEST_ADDRESS_LINE and _normalise(line) not in own_lines:
            details[f"address line {number}"] = line
    return details


def pdf_parts(pdf: bytes) -> dict[str, str]:
    """{place: text} of everything a PDF reader shows: page text, metadata, attachments."""
    reader = PdfReader(io.BytesIO(bytes(pdf)))
    parts = {
        f"PDF page {number}": page.extract_text() or ""
        for number, page in enumerate(reader.pages, start=1)
    }
    metadata = reader.metadata or {}
    parts["PDF metadata"] = "\n".join(str(value) for value in metadata.values())
    for name, contents in (reader.attachments or {}).items():
        parts[f"PDF attachment name {name}"] = name
        for content in contents:
            parts[f"PDF attachment {name}"] = bytes(content).decode("utf-8", "replace")
    return parts


def public_copy_findings(
    requester: Requester, parts: Mapping[str, str], *, authority: Authority | None = None
) -> list[Finding]:
    """One error per requester detail found, saying in which part of the public copy."""
    findings = []
    normalised = {place: _normalise(text) for place, text in parts.items()}
    for what, value in requester_details(requester, authority).items():
        needle = _normalise(value)
        places = [place for place, text in normalised.items() if needle in text]
        if places:
            findings.append(
                Finding(
                    code=CODE,
                    severity=Severity.ERROR,
                    where=", ".join(places),
                    message=f"The public copy contains the requester's {what} "
                    f"({value!r}) in: {', '.join(places)}.",
                )
            )
    return findings


def describe(findings: Iterable[Finding]) -> str:
    return " ".join(finding.message for finding in findings)
