"""Checks on a letter's enclosures: material released with redactions must have the
provisions behind the redactions argued in the letter itself."""

from __future__ import annotations

from collections.abc import Iterator

from responses.checks.registry import Severity, Subject, check
from responses.models import Citation, Letter
from responses.models.enclosures import annex_letter
from responses.rendering.context import provision_label

Found = Iterator[tuple[str, str]]


@check(
    "redaction-not-argued",
    Severity.ERROR,
    letters=[Letter.Kind.RESPONSE, Letter.Kind.REVIEW_OUTCOME],
)
def redaction_not_argued(subject: Subject) -> Found:
    """A redaction is a partial refusal: its provision needs a decision that withholds under
    it (so the letter carries the statement, harm and public interest parts) and the letter
    must name it."""
    withheld = {
        citation.exemption_id
        for citation in subject.citations
        if citation.mode == Citation.Mode.WITHHOLD
    }
    enclosures = subject.letter.enclosures.prefetch_related("redaction_exemptions__regime")
    for index, enclosure in enumerate(enclosures):
        annex = f"Annex {annex_letter(index)} (“{enclosure.title}”)"
        exemptions = list(enclosure.redaction_exemptions.all())
        if enclosure.redacted and not exemptions:
            yield "enclosures", f"{annex} is marked as redacted but names no provision."
        for exemption in exemptions:
            label = provision_label(exemption.regime.code, exemption.cited_section)
            if exemption.pk not in withheld:
                yield (
                    "enclosures",
                    f"{annex} is released with redactions under {label}, but no decision "
                    f"withholds information under {label}: add it to the decision the "
                    "redactions belong to, so the letter argues it.",
                )
            elif not subject.text.mentions_provision(exemption.cited_section):
                yield (
                    "enclosures",
                    f"{annex} is released with redactions under {label}, but the letter "
                    f"does not mention {label}.",
                )
