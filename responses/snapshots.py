"""Freezing a letter's current text into a version, and who had a hand in it."""

from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone

from responses.models import CaseEvent, LetterParagraph, ReviewDecision
from responses.rendering.context import logo_asset
from responses.rendering.html import pdf_inputs, stamp_response_date
from responses.rendering.html import screen_html as self_contained_html


def section_snapshot(letter):
    sections = []
    for section in letter.sections.order_by("position", "pk"):
        paragraphs = [
            {
                "text": p.text,
                "clause_id": p.clause_id,
                "edited": p.edited,
                "source": p.source,
                "personal": p.personal,
            }
            for p in section.paragraphs.order_by("position", "pk")
        ]
        sections.append(
            {
                "key": section.key,
                "heading": section.heading,
                "level": section.level,
                "paragraphs": paragraphs,
            }
        )
    return sections


def clause_ids(letter):
    ids = (
        LetterParagraph.objects.filter(section__letter=letter, clause__isnull=False)
        .values_list("clause_id", flat=True)
        .distinct()
    )
    return sorted(ids)


def frozen_letter(letter):
    """The final letter exactly as it will be issued, as LetterVersion fields: its HTML, PDF
    metadata and attachments, and the logo it shows."""
    inputs = pdf_inputs(letter, draft=False)
    attachments = [
        [name, content.decode() if isinstance(content, bytes) else content, description]
        for name, content, description in inputs["attachments"]
    ]
    logo_path, logo_data, logo_type = logo_asset(letter.case.authority) or ("", b"", "")
    return {
        "html": inputs["html"],
        "pdf_metadata": inputs["metadata"],
        "pdf_attachments": attachments,
        "logo_path": logo_path,
        "logo_data": logo_data,
        "logo_type": logo_type,
    }


def screen_html(version):
    """The frozen letter as a self-contained page for a browser (styles and logo inlined)."""
    assets = version.assets()
    html = version.html
    if hasattr(version, "issued_document"):
        issued_on = timezone.localdate(version.issued_document.issued_at)
        html, _ = stamp_response_date(html, [], issued_on)
    return self_contained_html(html, assets)


# A frozen letter is our own rendering, but it is served with nothing able to run and
# nothing to fetch: its styles, fonts and logo are inlined by screen_html.
FROZEN_LETTER_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


def letter_page_response(html):
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = FROZEN_LETTER_CSP
    return response


# Events that change a letter's content: whoever caused one had a hand in the text.
EDITING_ACTIONS = (
    CaseEvent.Action.LETTER_SAVED,
    CaseEvent.Action.ENCLOSURE_ADDED,
    CaseEvent.Action.ENCLOSURE_CHANGED,
    CaseEvent.Action.ENCLOSURE_REMOVED,
)


def editor_ids(letter, submitter):
    """Everyone who saved or submitted this letter since it was last approved.

    Stricter than "since the last return": an officer who wrote part of a letter
    before it was returned still had a hand in the text that comes back.
    """
    last_approval = (
        ReviewDecision.objects.filter(
            version__letter=letter, outcome=ReviewDecision.Outcome.APPROVED
        )
        .order_by("-created_at")
        .first()
    )
    saves = CaseEvent.objects.filter(case_id=letter.case_id, action__in=EDITING_ACTIONS)
    saves = saves.filter(Q(details__letter=letter.pk) | Q(details__letter_id=letter.pk))
    authors = letter.versions.all()
    if last_approval is not None:
        saves = saves.filter(created_at__gt=last_approval.created_at)
        authors = authors.filter(created_at__gt=last_approval.created_at)
    ids = {submitter.pk}
    ids.update(pk for pk in saves.values_list("actor_id", flat=True) if pk)
    ids.update(authors.values_list("author_id", flat=True))
    if letter.updated_by_id:
        ids.add(letter.updated_by_id)
    return sorted(ids)
