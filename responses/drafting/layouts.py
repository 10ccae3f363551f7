"""Letter layouts: the same planned sections and paragraphs, arranged three ways.

A layout never adds or drops a decision's paragraph, and keeps every section key, so the
checks (which look for paragraph sources and section keys) and "Update from decisions"
(which keeps edited paragraphs by source) work the same in each. Only the order, the
headings and levels, and the cover letter's own short section change.

- "sections": today's letter, unchanged.
- "questions": each question's part headed "Question N"; the template prints "You asked:"
  with the question's text (so the request section does not quote the questions again)
  and "Our response:" before the paragraphs. Harm and public interest stay in their own
  sections after the questions: they are argued once per provision, not per question, and
  a provision relied on for several questions would otherwise be argued under the first
  and referred back to from the rest; the statements already refer back ("for the reasons
  given under Q1"), so keeping the shared reasoning together after the answers reads
  better than splitting a public interest test across questions.
- "cover": a short letter (the outcome of each question in a table, the regime's refusal
  notice statement when anything is refused, a pointer to the schedule, rights and
  complaint route), then the reasoning in a schedule after the signature.
"""

from __future__ import annotations

import re

from exemptions.models import Regime
from responses.models import Decision, Letter

SCHEDULE_HEADING = "Schedule: reasons for our decision"
QUESTIONS_HEADING = "Your questions and our answers"
COVER_HEADING = "Our response"

# The kinds whose body answers the questions (a correction is one of these kinds too).
LAID_OUT_KINDS = (Letter.Kind.RESPONSE, Letter.Kind.FRESH_RESPONSE)

REFUSAL_NOTICE = {
    Regime.FOIA: "section 17 of the Freedom of Information Act 2000",
    Regime.EIR: "regulation 14 of the Environmental Information Regulations 2004",
    Regime.FOISA: "section 16 of the Freedom of Information (Scotland) Act 2002",
}

REFUSING = {
    Decision.Outcome.NCND,
    Decision.Outcome.WITHHELD,
    Decision.Outcome.COST_LIMIT,
    Decision.Outcome.VEXATIOUS,
    Decision.Outcome.REPEATED,
}


def question_heading(heading: str) -> str:
    """ "Q1" -> "Question 1", "Q1 & 2: names" -> "Questions 1 & 2: names"."""
    match = re.match(r"^Q(\d[\d, &]*)(.*)$", heading)
    if not match:
        return heading
    numbers, rest = match.group(1).strip(), match.group(2)
    word = "Questions" if ("&" in numbers or "," in numbers) else "Question"
    return f"{word} {numbers}{rest}"


def refuses_anything(planner) -> bool:
    return bool(planner.citations) or any(
        decision.outcome in REFUSING for decision in planner.decisions
    )


def arrange(planner, layout: str) -> None:
    """Rearrange ``planner.sections`` in place for ``layout``."""
    if layout == Letter.Layout.QUESTIONS:
        arrange_questions(planner.sections)
        if not planner.case.scope.strip():
            # The questions are quoted one by one below, not after this sentence.
            for section in planner.sections:
                for paragraph in section.paragraphs:
                    if paragraph.source == "request:intro":
                        paragraph.text = paragraph.text.replace(
                            "You asked:", "We give each of your questions below, with our answer."
                        )
    elif layout == Letter.Layout.COVER:
        arrange_cover(planner)


def arrange_questions(sections) -> None:
    for section in sections:
        if section.key == "decision":
            section.heading = QUESTIONS_HEADING
        elif section.key.startswith("decision-") and section.level == 2:
            section.heading = question_heading(section.heading)


def arrange_cover(planner) -> None:
    sections = planner.sections
    keys = [section.key for section in sections]
    start = min((keys.index(k) for k in ("searches", "decision") if k in keys), default=None)
    if start is None:
        return
    before = sections[:start]
    closing = [s for s in sections[start:] if s.key == "closing"]
    rest = [s for s in sections[start:] if s.key != "closing"]
    decision = [s for s in rest if s.key == "decision"]
    others = [s for s in rest if s.key != "decision"]
    for section in decision:
        section.heading = SCHEDULE_HEADING
    for section in others:
        if section.key == "searches":
            section.level = 2
    cover = type(sections[0])(key="cover", heading=COVER_HEADING)
    planner.text_paragraph(
        cover, "cover:outcome", "The table below gives our answer to each of your questions."
    )
    if refuses_anything(planner):
        notice = REFUSAL_NOTICE.get(planner.case.regime.code, REFUSAL_NOTICE[Regime.FOIA])
        planner.text_paragraph(
            cover,
            "cover:refusal",
            f"Where we have not provided information, this letter is a refusal notice under "
            f"{notice}.",
        )
    planner.text_paragraph(
        cover,
        "cover:schedule",
        "The schedule at the end of this letter sets out the reasons for our decision on "
        "each question.",
    )
    planner.sections[:] = [*before, cover, *closing, *decision, *others]
