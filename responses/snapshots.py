"""Freezing a letter's current text into a version, and who had a hand in it."""

from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone

from responses.models import CaseEvent, LetterParagraph, ReviewDecision
from responses.rendering.context import logo_asset
from responses.rendering.html import pdf_inputs, stamp_response_date
from responses.rendering.html import screen_html as self_contained_html


def record_snapshot(case):
    """The parts of the case record a letter is written from, as plain data to compare:
    the request around the questions, the questions, and every decision with its citations."""
    decisions = case.decisions.prefetch_related("questions", "citations").order_by("position", "pk")
    return {
        "request": {
            "request_text": case.request_text,
            "scope": case.scope,
            "prioritisation_note": case.prioritisation_note,
            "searches": case.searches,
        },
        "questions": [[q.number, q.text] for q in case.questions.order_by("number")],
        "decisions": [
            {
                "id": d.pk,
                "questions": sorted(q.number for q in d.questions.all()),
                "outcome": d.outcome,
                "answer": d.answer,
                "table": d.table,
                "cost_estimate": d.cost_estimate,
                "advice": d.advice,
                "citations": [
                    [c.exemption_id, c.mode]
                    for c in sorted(d.citations.all(), key=lambda c: (c.position, c.pk))
                ],
            }
            for d in decisions
        ],
    }


RECORD_PARTS = {"request": "request", "questions": "questions", "decisions": "decisions"}


def record_changes(frozen, current):
    """Which parts of the record ("decisions", "questions", "request") differ."""
    return [word for key, word in RECORD_PARTS.items() if frozen.get(key) != current.get(key)]


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
# Writing a decision or the request is writing the letter: its text comes from them.
AUTHORING_ACTIONS = (
    CaseEvent.Action.DECISION_ADDED,
    CaseEvent.Action.DECISION_CHANGED,
    CaseEvent.Action.DECISION_DELETED,
    CaseEvent.Action.QUESTIONS_CONFIRMED,
    CaseEvent.Action.REQUEST_UPDATED,
)


def editor_ids(letter, submitter):
    """Everyone who saved or submitted this letter, or wrote the decisions or request it is
    built from, since it was last approved.

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
    record = CaseEvent.objects.filter(case_id=letter.case_id, action__in=AUTHORING_ACTIONS)
    authors = letter.versions.all()
    if last_approval is not None:
        saves = saves.filter(created_at__gt=last_approval.created_at)
        record = record.filter(created_at__gt=last_approval.created_at)
        authors = authors.filter(created_at__gt=last_approval.created_at)
    ids = {submitter.pk}
    ids.update(pk for pk in saves.values_list("actor_id", flat=True) if pk)
    ids.update(pk for pk in record.values_list("actor_id", flat=True) if pk)
    ids.update(authors.values_list("author_id", flat=True))
    if letter.updated_by_id:
        ids.add(letter.updated_by_id)
    return sorted(ids)
