"""From the models to what the letter templates use: plain values, nothing rendered.

``letter_context`` is the templates' whole view of a letter; ``decision_data`` is the
decision as data, attached to the PDF as decision.json.
"""

import base64
import datetime
import logging
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from exemptions.models import Regime
from responses import masking, replies
from responses.drafting import figures
from responses.drafting.outcome_wording import summary_label, summary_outcome
from responses.models import Citation, Decision, Letter
from responses.models.enclosures import annex_letter

logger = logging.getLogger(__name__)

LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
MAX_LOGO_BYTES = 2 * 1024 * 1024

HEADING_FOR_KIND = {
    Letter.Kind.RESPONSE: "Response to your request for information",
    Letter.Kind.ACKNOWLEDGEMENT: "We have received your request for information",
    Letter.Kind.CLARIFICATION: "We need more detail about your request",
    Letter.Kind.EXTENSION: "We need more time to consider the public interest",
    Letter.Kind.REVIEW_OUTCOME: "Outcome of your internal review",
    Letter.Kind.FRESH_RESPONSE: "Fresh response to your request for information",
}


def format_date(value):
    """'3 March 2026', as British letters write dates."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.day} {value:%B %Y}"


def provision_label(regime_code, provision):
    word = "regulation" if regime_code == Regime.EIR else "section"
    return f"{word} {provision}"


def questions_label(numbers):
    """'Q1', 'Q1 & 2', 'Q1, 2 & 3'."""
    if not numbers:
        return "the request"
    numbers = [str(number) for number in numbers]
    if len(numbers) == 1:
        return f"Q{numbers[0]}"
    return f"Q{', '.join(numbers[:-1])} & {numbers[-1]}"


def table_for(rows, as_at=None):
    """A decision's pasted table: the first row is the header; ``key`` explains the standard
    words ("Not recorded", "n/a" ...) its cells use."""
    if not rows:
        return None
    return {
        "head": [str(cell) for cell in rows[0]],
        "rows": [[str(cell) for cell in row] for row in rows[1:]],
        "as_at": format_date(as_at) if as_at else "",
        "key": [{"marker": m, "meaning": meaning} for m, meaning in figures.markers_used(rows)],
    }


def _letter_order(decision):
    numbers = sorted(question.number for question in decision.questions.all())
    return (not numbers, numbers[:1], decision.position, decision.pk)


def decisions_for(case):
    decisions = []
    # In the letter's order: by the first question answered, parts in order of creation.
    queryset = case.decisions.select_related("depends_on").prefetch_related(
        "questions", "citations__exemption"
    )
    for decision in sorted(queryset, key=_letter_order):
        numbers = sorted(question.number for question in decision.questions.all())
        citations = list(decision.citations.all())
        decisions.append(
            {
                "pk": decision.pk,
                "questions": numbers,
                "label": questions_label(numbers),
                "outcome": decision.outcome,
                "outcome_label": decision.get_outcome_display(),
                "answer": decision.answer,
                "table": table_for(decision.table, decision.as_at),
                "part": decision.part_label,
                "rest_reason": decision.rest_reason,
                "depends_on": decision.depends_on.number if decision.depends_on else None,
                "as_at": decision.as_at.isoformat() if decision.as_at else None,
                "discretionary_release": decision.discretionary_release,
                "provisions": [
                    provision_label(case.regime.code, citation.provision) for citation in citations
                ],
                "ncnd": decision.outcome == Decision.Outcome.NCND
                or any(citation.mode == Citation.Mode.NCND for citation in citations),
            }
        )
    return decisions


def unique(items):
    return list(dict.fromkeys(items))


def enclosures_for(letter, *, public=False):
    """The letter's enclosures as its annexes, and the annexes the public copy leaves out.

    Annexes keep their letters in the public copy (Annex A, C), so the letter's own
    references to them still hold when one is omitted.
    """
    listed, omitted = [], []
    enclosures = letter.enclosures.prefetch_related("redaction_exemptions__regime")
    for index, enclosure in enumerate(enclosures):
        annex = annex_letter(index)
        if public and enclosure.not_for_publication:
            omitted.append(annex)
            continue
        listed.append(
            {
                "annex": annex,
                "title": enclosure.title,
                "file_name": enclosure.file_name,
                "media_type": enclosure.media_type,
                "size": enclosure.size,
                "sha256": enclosure.sha256,
                "redacted": enclosure.redacted,
                "redaction_provisions": [
                    provision_label(exemption.regime.code, exemption.cited_section)
                    for exemption in enclosure.redaction_exemptions.all()
                ],
            }
        )
    return listed, omitted


def decision_data(letter, *, draft, response_date=None, public=False):
    """The decision as data: attached to the PDF as decision.json.

    It never names the requester; ``public`` marks the disclosure log's copy as such.
    """
    case = letter.case
    decisions = decisions_for(case)
    enclosures, omitted = enclosures_for(letter, public=public)
    outcomes_by_question = {}
    for decision in decisions:
        for number in decision["questions"]:
            outcomes_by_question.setdefault(number, []).append(decision["outcome"])
    return {
        "reference": case.reference,
        "authority": case.authority.name,
        "regime": case.regime.code,
        "letter": letter.kind,
        "draft": draft,
        "received_on": case.received_on.isoformat(),
        "response_date": (response_date or timezone.localdate()).isoformat(),
        "questions": [
            {"number": question.number, "outcomes": outcomes_by_question.get(question.number, [])}
            for question in case.questions.all()
        ],
        "decisions": [
            {
                "questions": decision["questions"],
                "outcome": decision["outcome"],
                "provisions": decision["provisions"],
                "ncnd": decision["ncnd"],
                # The finer outcome, as data: a part's name, why the rest of a partial answer
                # is not given, the question a not-applicable one depends on, figures' date,
                # and whether a cost-limit refusal released what was found voluntarily.
                "part": decision["part"],
                "rest_reason": decision["rest_reason"],
                "depends_on": decision["depends_on"],
                "as_at": decision["as_at"],
                "discretionary_release": decision["discretionary_release"],
            }
            for decision in decisions
        ],
        "provisions_cited": unique(p for decision in decisions for p in decision["provisions"]),
        "ncnd": any(decision["ncnd"] for decision in decisions),
        "enclosures": enclosures,
        **letter_kind_data(letter),
        **({"public_copy": True, "subject": case.subject} if public else {}),
        **({"enclosures_omitted": omitted} if public else {}),
    }


def logo_asset(authority):
    """(URL path, bytes, media type) of the authority's logo, read by the app; or None."""
    logo = authority.logo
    if not logo:
        return None
    suffix = Path(logo.name).suffix.lower()
    if suffix not in LOGO_TYPES:
        logger.warning("Authority logo %s is not PNG, JPEG or GIF; letters go without it.", logo)
        return None
    try:
        if logo.size > MAX_LOGO_BYTES:
            logger.warning("Authority logo %s is over 2 MB; letters go without it.", logo)
            return None
        with logo.storage.open(logo.name, "rb") as file:
            data = file.read()
    except (OSError, ValueError):
        logger.warning("Authority logo %s cannot be read; letters go without it.", logo)
        return None
    return urlsplit(logo.url).path, data, LOGO_TYPES[suffix]


def letter_assets(authority):
    """{URL path: (bytes, media type)} of the files a letter's HTML refers to, or None."""
    logo = logo_asset(authority)
    return {logo[0]: (logo[1], logo[2])} if logo else None


def data_uri(data, media_type):
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def logo_src(logo, *, embed):
    path, data, media_type = logo
    return data_uri(data, media_type) if embed else path


def attach_tables(sections, decisions):
    """Put each decision's table in its own section ("decision-<pk>"), or else at the
    end of the "decision" section."""
    by_key = {f"decision-{decision['pk']}": decision for decision in decisions}
    keys = {section["key"] for section in sections}
    for section in sections:
        if section["key"] in by_key:
            section["tables"] = [by_key[section["key"]]] if by_key[section["key"]]["table"] else []
        elif section["key"] == "decision":
            section["tables"] = [
                decision
                for key, decision in by_key.items()
                if decision["table"] and key not in keys
            ]
        else:
            section["tables"] = []


def without_empty_sections(sections):
    """Leave out a heading with nothing under it: "Extent and result of searches" before
    the searches are described, or a section whose every paragraph is personal in the
    public copy. A heading with parts below it, or with quoted text, stays."""
    kept = []
    for index, section in enumerate(sections):
        following = sections[index + 1] if index + 1 < len(sections) else None
        has_parts = following is not None and following["level"] > section["level"]
        has_words = any(text.strip() for text in section["paragraphs"])
        quotes = section["key"] in ("request", "cover") or section["asked"]
        if has_words or section["tables"] or has_parts or quotes:
            kept.append(section)
    return kept


def mark_layout(letter, sections, decisions):
    """Tell the templates how to lay the sections out: which are in the cover letter's
    schedule (everything after the closing section), and which questions a question by
    question section answers ("You asked:")."""
    laid_out = letter.kind in (Letter.Kind.RESPONSE, Letter.Kind.FRESH_RESPONSE)
    layout = letter.layout if laid_out else Letter.Layout.SECTIONS
    numbers_for = {}
    for d in decisions:
        numbers_for[f"decision-{d['pk']}"] = d["questions"]
        if d["questions"]:  # the heading above several parts of one answer
            numbers_for["decision-q" + "-".join(str(n) for n in d["questions"])] = d["questions"]
    in_schedule = False
    for section in sections:
        section["schedule"] = in_schedule
        section["asked"] = []
        if layout == Letter.Layout.COVER and section["key"] == "closing":
            in_schedule = True
        if layout == Letter.Layout.QUESTIONS and section["level"] == 2:
            section["asked"] = numbers_for.get(section["key"], [])
    return layout


class _PublicRequester:
    """Stands in for the requester in the public copy: there is nothing to print."""

    name = ""
    email = ""
    address_lines = ()


PUBLIC_REQUESTER = _PublicRequester()


def letter_context(
    letter, *, draft, response_date=None, logo=None, embed_logo=False, public=False, masked=False
):
    """Everything the letter templates use, as plain values.

    ``public`` is the disclosure log's copy: the same letter with no addressee and no
    requester anywhere in its values (their name, email and address are blank, and the
    salutation is a neutral one), so no template can print them.

    ``masked``: the letter as an applicant-blind reviewer sees it, the requester's
    details replaced by ``masking.MASK`` in the addressee, the greeting and every
    paragraph and question (``masking.hides_requester`` decides who gets it).
    """
    context = full_letter_context(
        letter,
        draft=draft,
        response_date=response_date,
        logo=logo,
        embed_logo=embed_logo,
        public=public,
    )
    return masked_context(context, letter.case.requester) if masked else context


def masked_context(context, requester):
    def mask(text):
        return masking.mask_requester(text, requester)

    for section in context["sections"]:
        section["heading"] = mask(section["heading"])
        section["paragraphs"] = [mask(text) for text in section["paragraphs"]]
    for decision in context["decisions"]:
        decision["answer"] = mask(decision["answer"])
        if decision["table"]:
            decision["table"] = {
                **decision["table"],
                "head": [mask(cell) for cell in decision["table"]["head"]],
                "rows": [[mask(cell) for cell in row] for row in decision["table"]["rows"]],
            }
    for question in context["questions"]:
        question["text"] = mask(question["text"])
    for enclosure in context["enclosures"]:
        enclosure["title"] = mask(enclosure["title"])
        enclosure["file_name"] = mask(enclosure["file_name"])
    if context["original"]:
        for question in context["original"]["questions"]:
            question["text"] = mask(question["text"])
    if context["corrects"]:
        context["corrects"]["reason"] = mask(context["corrects"]["reason"])
    context["scope"] = mask(context["scope"])
    context["prioritisation_note"] = mask(context["prioritisation_note"])
    context["requester"] = masking.masked_requester()
    return context


def full_letter_context(
    letter, *, draft, response_date=None, logo=None, embed_logo=False, public=False
):
    case = letter.case
    authority = case.authority
    requester = PUBLIC_REQUESTER if public else case.requester
    decisions = decisions_for(case)
    sections = [
        {
            "key": section.key,
            "heading": section.heading,
            "level": min(max(section.level or 1, 1), 3),
            # The public copy leaves out what the officer marked personal.
            "paragraphs": [
                paragraph.text
                for paragraph in section.paragraphs.all()
                if not (public and paragraph.personal)
            ],
        }
        for section in letter.sections.prefetch_related("paragraphs")
    ]
    enclosures, omitted_enclosures = enclosures_for(letter, public=public)
    attach_tables(sections, decisions)
    layout = mark_layout(letter, sections, decisions)
    sections = without_empty_sections(sections)
    provisions = unique(p for decision in decisions for p in decision["provisions"])
    heading = HEADING_FOR_KIND.get(letter.kind, letter.get_kind_display())
    return {
        "letter_kind": letter.kind,
        "draft": draft,
        "title": f"{heading}: {case.reference}",
        "heading": heading,
        "reference": case.reference,
        "reviewed_reference": case.reviewed_case.reference if case.reviewed_case_id else None,
        "received_on": case.received_on,
        "response_date": response_date or timezone.localdate(),
        "regime": {"code": case.regime.code, "statute": case.regime.statute},
        "authority": {
            "name": authority.name,
            "address_lines": authority.address_lines,
            "email": authority.email,
            "telephone": authority.telephone,
            "website": authority.website,
            "signatory_name": authority.signatory_name,
            "signatory_title": authority.signatory_title,
        },
        "logo_url": logo_src(logo, embed=embed_logo) if logo else None,
        "public": public,
        "requester": {
            "name": requester.name,
            "email": requester.email,
            "address_lines": requester.address_lines,
        },
        "scope": case.scope,
        "prioritisation_note": case.prioritisation_note,
        "questions": [
            {"number": question.number, "text": question.text} for question in case.questions.all()
        ],
        "sections": sections,
        "layout": layout,
        "outcome_summary": [
            {"label": summary_label(d), "outcome": summary_outcome(d)} for d in decisions
        ],
        "show_outcome_summary": bool(decisions)
        and letter.include_outcome_summary
        and letter.layout != Letter.Layout.COVER,
        "has_request_section": any(section["key"] == "request" for section in sections),
        "decisions": decisions,
        "provisions": provisions,
        "keywords": provisions,
        "ncnd": any(decision["ncnd"] for decision in decisions),
        "enclosures": enclosures,
        "omitted_enclosures": omitted_enclosures,
        "verify_url": f"{settings.SITE_URL}/verify/",
        "corrects": correction_context(letter),
        "original": original_request_context(case),
    }


def correction_context(letter):
    """What a correction says about the letter it corrects: its date and why."""
    if not letter.corrects_id:
        return None
    return {
        "issued_on": replies.issued_on(letter.corrects),
        "reason": letter.correction_reason,
    }


def original_request_context(case):
    """An internal review restates the original request, and the date we answered it."""
    original = case.reviewed_case
    if original is None:
        return None
    return {
        "reference": original.reference,
        "received_on": original.received_on,
        "replied_on": replies.last_reply_on(original, before=case.received_on),
        "scope": original.scope,
        "questions": [{"number": q.number, "text": q.text} for q in original.questions.all()],
    }


def letter_kind_data(letter):
    """decision.json's part for the letters that answer something earlier."""
    data = {}
    case = letter.case
    if letter.corrects_id:
        issued = replies.issued_on(letter.corrects)
        data["corrects"] = {
            "issued_on": issued.isoformat() if issued else None,
            "reason": letter.correction_reason,
        }
    notice = getattr(letter, "decision_notice", None)
    if notice is not None:
        data["decision_notice"] = {
            "reference": notice.reference,
            "notice_date": notice.notice_date.isoformat(),
            "required_step": notice.required_step,
            "compliance_deadline": notice.compliance_deadline.isoformat(),
        }
    outcome = getattr(letter, "review_outcome", None)
    if outcome is not None:
        data["review"] = {
            "reviews": case.reviewed_case.reference if case.reviewed_case_id else None,
            "outcome": outcome.outcome,
            "findings": [
                {"question": finding.question.number, "finding": finding.finding}
                for finding in outcome.findings.select_related("question")
            ],
        }
    if case.regime_switched_from_id:
        data["regime_switched_from"] = case.regime_switched_from.code
    return data
