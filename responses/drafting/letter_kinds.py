"""What the letters that answer something earlier add to a letter's plan: the fresh
response after a decision notice, the internal review question by question, and the
paragraph explaining a switch between FOIA and the EIR.

The wording here is the project's own standard text; what the officer types is only the
facts (a notice's step, a finding's reasons), never legal wording.
``LetterKindsPlanning`` is mixed into ``planning.LetterPlanner``, whose small builders
(section, text_paragraph, clause_paragraph) it uses.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateformat import format as format_date

from exemptions.models import Regime
from responses import deadlines, replies
from responses.drafting.wording import join_words, question_label
from responses.models import ClockEvent, ReviewQuestionFinding

FINDING_WORDS = {
    ReviewQuestionFinding.Finding.UPHELD: "The review upheld our original answer.",
    ReviewQuestionFinding.Finding.VARIED: (
        "The review varied our original answer: part of it stands and part of it changes."
    ),
    ReviewQuestionFinding.Finding.OVERTURNED: (
        "The review overturned our original answer, which no longer stands."
    ),
}

# Why the law changed, in the regime's own words, keyed by (from, to).
REGIME_SWITCH_WORDS = {
    (Regime.FOIA, Regime.EIR): (
        "We first handled your request under the Freedom of Information Act 2000. Having "
        "looked at the information you asked for, we consider that it is environmental "
        "information as defined in regulation 2(1) of the Environmental Information "
        "Regulations 2004. Section 39 of the Act exempts environmental information from the "
        "Act, so we have dealt with your request under the Regulations instead, and this "
        "letter refers to their exceptions and regulations."
    ),
    (Regime.EIR, Regime.FOIA): (
        "We first handled your request under the Environmental Information Regulations 2004. "
        "Having looked at the information you asked for, we consider that it is not "
        "environmental information as defined in regulation 2(1), so we have dealt with your "
        "request under the Freedom of Information Act 2000 instead, and this letter refers to "
        "its exemptions and sections."
    ),
}


def day(value) -> str:
    return format_date(value, "j F Y") if value else ""


def original_answer(question) -> str:
    """How the reviewed response answered ``question``, in a line: the outcome and provisions."""
    parts = []
    for decision in question.decisions.prefetch_related("citations__exemption__regime"):
        provisions = []
        for citation in decision.citations.all():
            try:
                provisions.append(
                    f"{'regulation' if citation.exemption.regime.code == Regime.EIR else 'section'}"
                    f" {citation.provision}"
                )
            except ValueError:
                provisions.append(citation.exemption.section)
        text = decision.get_outcome_display()
        if provisions:
            text += f" ({', '.join(provisions)})"
        parts.append(text)
    return "; ".join(parts) or "No decision was recorded for this question."


def is_late(case, today=None):
    """(deadline, late?, calendar) for a reply to the case (a response, or an internal
    review's outcome) sent ``today``."""
    explanation = deadlines.case_deadline(case)
    today = today or timezone.localdate()
    deadline = explanation.deadline
    return deadline, deadline is not None and today > deadline, explanation.calendar


class LetterKindsPlanning:
    """Planning for the fresh response, the question-by-question review, the regime switch."""

    # -- the law that applies

    def plan_regime_switch(self):
        case = self.case
        previous = case.regime_switched_from
        if previous is None or previous.pk == case.regime_id:
            return
        section = self.section("regime", "The law that applies")
        words = REGIME_SWITCH_WORDS.get((previous.code, case.regime.code))
        if words is None:
            words = (
                f"We first handled your request under the {previous.statute}. We have now "
                f"dealt with it under the {case.regime.statute} instead."
            )
        self.text_paragraph(section, "regime:switch", words)
        if case.regime_switch_reason.strip():
            self.text_paragraph(section, "regime:reason", case.regime_switch_reason.strip())

    # -- fresh response after a decision notice

    def plan_fresh_response(self):
        notice = self.decision_notice
        section = self.section("replaces", "Why we are writing to you again")
        if notice is None:
            self.text_paragraph(
                section, "notice:missing", "[Fill in: record the decision notice for this letter]"
            )
        else:
            replaced_on = replies.issued_on(notice.replaces)
            self.text_paragraph(
                section,
                "notice:replaces",
                f"This letter is a fresh response to your request {self.case.reference}. It "
                f"replaces our response of {day(replaced_on)}, which no longer stands.",
            )
            self.text_paragraph(
                section,
                "notice:notice",
                f"On {day(notice.notice_date)} the Information Commissioner issued decision "
                f"notice {notice.reference} about our handling of your request. The "
                f"Commissioner found: {notice.finding.strip()}",
            )
            self.text_paragraph(
                section,
                "notice:step",
                f"The notice required us to {notice.required_step.strip()} by "
                f"{day(notice.compliance_deadline)}. This letter is that response; it "
                "considers your request afresh, and may rely on grounds we did not give "
                "before.",
            )
        self.plan_response()

    # -- internal review, question by question

    def reviewed_values(self):
        """The outcome clause speaks of the original request, by its reference."""
        original = self.case.reviewed_case
        return {"reference": original.reference} if original is not None else {}

    def plan_review_findings(self, body):
        """After the outcome clause: the scope, then one part per disputed question. (The
        letter template restates the original request and the date of our reply.)"""
        outcome = self.letter_outcome
        findings = list(outcome.findings.select_related("question")) if outcome else []
        if findings:
            numbers = [finding.question.number for finding in findings]
            self.text_paragraph(
                body,
                "review:scope",
                "You asked us to look again at our "
                f"{'answer' if len(numbers) == 1 else 'answers'} to "
                f"{join_words(f'Q{n}' for n in numbers)}. The review considered "
                f"{'that answer' if len(numbers) == 1 else 'those answers'}; our answers to "
                "any other questions were not disputed and stand.",
            )
        complex_event = self.case.clock_events.filter(
            kind=ClockEvent.Kind.COMPLEX_REVIEW, undone_at__isnull=True
        ).first()
        if complex_event is not None:
            self.text_paragraph(
                body,
                "review:complex",
                "Because this review was complex, we took longer than the usual 20 working "
                f"days, up to the 40 working days the Code of Practice allows: "
                f"{complex_event.reason.strip()}",
            )
        _deadline, late, _calendar = is_late(self.case)
        if late:
            self.text_paragraph(
                body,
                "review:apology",
                "We are sorry that we did not complete this review within the time we "
                "should have, and for the delay this has caused you.",
            )
        for finding in findings:
            question = finding.question
            section = self.section(
                f"finding-{question.number}", question_label([question.number]), level=2
            )
            self.text_paragraph(
                section,
                f"finding:{question.number}:answer",
                f"Our original answer: {finding.original_answer.strip()}",
            )
            self.text_paragraph(
                section, f"finding:{question.number}:finding", FINDING_WORDS[finding.finding]
            )
            self.text_paragraph(section, f"finding:{question.number}:reasons", finding.reasons)
