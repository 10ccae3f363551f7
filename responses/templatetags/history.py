"""{{ event|status_change }}: a history row's status change in words, never its codes."""

from django import template

from responses.models import Case, Letter, Publication

register = template.Library()

# Letters and cases share "in_review" and "approved", with the same words.
STATUS_LABELS = {**dict(Case.Status.choices), **dict(Letter.Status.choices)}
PUBLICATION_LABELS = dict(Publication.Status.choices)


def status_label(code: str, *, publication: bool = False) -> str:
    labels = PUBLICATION_LABELS if publication else STATUS_LABELS
    return labels.get(code, code.replace("_", " ").capitalize())


@register.filter
def status_change(event) -> str:
    """ "Draft → Awaiting review"; "" when the event changed no status."""
    if not (event.from_status or event.to_status):
        return ""
    publication = event.action.startswith("publication_")
    before = status_label(event.from_status, publication=publication) if event.from_status else "—"
    after = status_label(event.to_status, publication=publication) if event.to_status else "—"
    return f"{before} → {after}"
