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

from exemptions.models import Regime
from responses.drafting.wording import question_label
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


def question_heading(numbers) -> str:
    """(1,) -> "Question 1", (1, 2) -> "Questions 1 & 2": the question-by-question
    layout's heading for the answer to those questions ("" for none)."""
    label = question_label(numbers)
    if not label:
        return ""
    word = "Questions" if len(tuple(numbers)) > 1 else "Question"
    return f"{word} {label[1:]}"


def refuses_anything(planner) -> bool:
    return bool(planner.citations) or any(
        decision.outcome in REFUSING for decision in planner.decisions
    )


def arrange(planner, layout: str) -> None:
    """Rearrange ``planner.sections`` in place for ``layout``."""
    if layout == Letter.Layout.QUESTIONS:
        arrange_questions(planner.sections)
    elif layout == Letter.Layout.COVER:
        arrange_cover(planner)


def arrange_questions(sections) -> None:
    for section in sections:
        if section.key == "decision":
            section.heading = QUESTIONS_HEADING


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
