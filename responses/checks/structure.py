"""Checks on how a case's decisions and a letter are put together: every question decided,
every citation usable, every slot filled, the letter in step with the decisions.

The decision checks read only the case, so the decisions page shows them too.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from responses.checks.registry import Severity, Subject, check
from responses.drafting.figures import small_counts, total_mismatches
from responses.drafting.planning import decision_groups, is_stale
from responses.drafting.slots import AUTOMATIC_SLOTS, BROKEN_LIBRARY_TEXT, slot_key, slot_label
from responses.drafting.wording import (
    MAX_PARAGRAPH_CHARS,
    NCND,
    RECORD_OUTCOME,
    clause_used_in,
    cost_limit_for,
    cost_total,
    has_cost_estimate,
    placeholder,
    quantity,
    question_label,
)
from responses.models import Decision, Letter

ERROR, WARNING = Severity.ERROR, Severity.WARNING
RESPONSE = Letter.Kind.RESPONSE
EVERY_LETTER = tuple(Letter.Kind)

Found = Iterator[tuple[str, str]]


def _label(decision: Decision) -> str:
    return question_label([q.number for q in decision.questions.all()])


def _where(decision: Decision) -> str:
    return f"decision-{decision.pk}"


# --------------------------------------------------------------------------- decisions


@check("question-undecided", ERROR, letters=[RESPONSE], on_case=True)
def question_undecided(subject: Subject) -> Found:
    answered = {q.pk for d in subject.decisions for q in d.questions.all()}
    for question in subject.questions:
        if question.pk not in answered:
            yield "decisions", f"Q{question.number} has no decision yet."


@check("decision-without-question", ERROR, letters=[RESPONSE], on_case=True)
def decision_without_question(subject: Subject) -> Found:
    for decision in subject.decisions:
        if not _label(decision):
            yield _where(decision), f"Decision {decision.position} does not cover any question."


@check("refusal-without-citation", ERROR, letters=[RESPONSE], on_case=True)
def refusal_without_citation(subject: Subject) -> Found:
    for decision in subject.decisions:
        refused = decision.outcome in (Decision.Outcome.NCND, Decision.Outcome.WITHHELD)
        if refused and not decision.citations.all():
            label = _label(decision) or "A decision"
            kinds = "exceptions" if subject.case.regime.code == "EIR" else "exemptions"
            yield _where(decision), f"{label}: cite the {kinds} relied on."


@check("ncnd-without-ncnd-citation", ERROR, letters=[RESPONSE], on_case=True)
def ncnd_without_ncnd_citation(subject: Subject) -> Found:
    for decision in subject.decisions:
        if decision.outcome == Decision.Outcome.NCND and not any(
            c.mode == NCND for c in decision.citations.all()
        ):
            yield (
                _where(decision),
                f"{_label(decision)}: a neither confirm nor deny decision needs an exemption "
                "cited to neither confirm nor deny.",
            )


@check("ncnd-provision-missing", ERROR, letters=[RESPONSE], on_case=True)
def ncnd_provision_missing(subject: Subject) -> Found:
    for decision in subject.decisions:
        for citation in decision.citations.all():
            if citation.mode == NCND and not citation.exemption.has_ncnd_provision:
                yield (
                    _where(decision),
                    f"{citation.exemption.provision_word.title()} {citation.exemption.section} "
                    "has no neither-confirm-nor-deny "
                    "provision; cite it to withhold or remove it.",
                )


@check("cited-twice", ERROR, letters=[RESPONSE], on_case=True)
def cited_twice(subject: Subject) -> Found:
    # The same exemption in two decisions is normal (the reference letter cites 23(5), 24(2)
    # and 31(3) for Q1 & 2 and again for Q3): the later part refers back to the earlier one.
    # Twice in one decision is a mistake.
    for decision in subject.decisions:
        seen = set()
        for citation in decision.citations.all():
            if citation.mode == NCND and not citation.exemption.has_ncnd_provision:
                continue  # reported by ncnd-provision-missing
            key = (citation.exemption_id, citation.mode)
            if key in seen:
                doing = "neither confirm nor deny" if citation.mode == NCND else "withhold"
                yield (
                    _where(decision),
                    f"{_label(decision)}: {citation.provision} is cited twice to {doing}.",
                )
            seen.add(key)


@check("cost-estimate-missing", ERROR, letters=[RESPONSE], on_case=True, row=9)
def cost_estimate_missing(subject: Subject) -> Found:
    for decision in subject.decisions:
        if decision.outcome == Decision.Outcome.COST_LIMIT and not has_cost_estimate(decision):
            yield (
                _where(decision),
                f"{_label(decision)}: give the hours estimated for each activity (determining, "
                "locating, retrieving, extracting), or a lower bound.",
            )


@check("cost-within-limit", ERROR, letters=[RESPONSE], on_case=True)
def cost_within_limit(subject: Subject) -> Found:
    """Section 12 applies to the request as a whole: the estimates of every part refused
    under it, added up, must exceed the regime's limit."""
    refused = [
        d
        for d in subject.decisions
        if d.outcome == Decision.Outcome.COST_LIMIT and has_cost_estimate(d)
    ]
    if not refused:
        return
    limit = cost_limit_for(subject.case)
    if limit is None:
        yield (
            _where(refused[0]),
            f"{subject.case.regime.code} has no cost limit: refuse an excessive burden as "
            "manifestly unreasonable under regulation 12(4)(b) instead.",
        )
        return
    total = sum((cost_total(d) for d in refused), Decimal(0))
    if total <= limit.hours:
        labels = question_label(sorted({q.number for d in refused for q in d.questions.all()}))
        yield (
            _where(refused[0]),
            f"{labels}: the estimate of {quantity(total, 'hour')} does not exceed the limit of "
            f"{limit.hours} hours, so section 12 does not apply.",
        )


@check("cost-drivers-missing", WARNING, letters=[RESPONSE], on_case=True)
def cost_drivers_missing(subject: Subject) -> Found:
    for decision in subject.decisions:
        if (
            decision.outcome == Decision.Outcome.COST_LIMIT
            and not decision.cost_drivers
            and not decision.cost_drivers_detail.strip()
        ):
            yield (
                _where(decision),
                f"{_label(decision)}: say what drives the cost (for example no central "
                "record, or every mailbox would need searching).",
            )


@check("information-missing", ERROR, letters=[RESPONSE], on_case=True)
def information_missing(subject: Subject) -> Found:
    provided = (Decision.Outcome.PROVIDED, Decision.Outcome.PROVIDED_IN_PART)
    for decision in subject.decisions:
        releasing = decision.outcome in provided or (
            decision.outcome == Decision.Outcome.COST_LIMIT and decision.discretionary_release
        )
        if releasing and not decision.answer.strip() and not decision.table:
            yield (
                _where(decision),
                f"{_label(decision)}: give the information provided (answer or table).",
            )


@check("not-applicable-depends", ERROR, letters=[RESPONSE], on_case=True)
def not_applicable_depends(subject: Subject) -> Found:
    """A question that falls away names the question it depends on, and that answer must
    not be a neither-confirm-nor-deny (saying this one falls away would give it away)."""
    for decision in subject.decisions:
        if decision.outcome != Decision.Outcome.NOT_APPLICABLE:
            continue
        question = decision.depends_on
        if question is None:
            yield (
                _where(decision),
                f"{_label(decision)}: say which earlier question it depends on.",
            )
            continue
        for other in subject.decisions:
            covers = any(q.pk == question.pk for q in other.questions.all())
            if covers and (
                other.outcome == Decision.Outcome.NCND
                or any(c.mode == NCND for c in other.citations.all())
            ):
                yield (
                    _where(decision),
                    f"{_label(decision)} is marked not applicable because of Q{question.number}, "
                    f"which we neither confirm nor deny: saying it falls away would reveal the "
                    "answer. Neither confirm nor deny it too.",
                )
                break


@check("part-unnamed", WARNING, letters=[RESPONSE], on_case=True)
def part_unnamed(subject: Subject) -> Found:
    for numbers, group in decision_groups(subject.decisions):
        if len(group) < 2:
            continue
        for decision in group:
            if not decision.part_label.strip():
                yield (
                    _where(decision),
                    f"{question_label(numbers)} has {len(group)} decisions: name the part each "
                    "one answers (for example “Names already published”).",
                )


@check("table-totals", WARNING, letters=[RESPONSE], on_case=True)
def table_totals(subject: Subject) -> Found:
    for decision in subject.decisions:
        for mismatch in total_mismatches(decision.table or []):
            yield (
                _where(decision),
                f"{_label(decision)}: {mismatch.where} says {mismatch.stated:,f} but its "
                f"breakdown adds up to {mismatch.added:,f}.",
            )


@check("small-counts", WARNING, letters=[RESPONSE], on_case=True)
def small_counts_flagged(subject: Subject) -> Found:
    """Counts below the authority's threshold could identify people: the reviewer must
    consider the disclosure risk before approving."""
    threshold = subject.case.authority.small_number_threshold
    for decision in subject.decisions:
        found = small_counts(decision.table or [], threshold)
        if found:
            cells = ", ".join(
                f"{value} ({label})" if label else value for label, value in found[:5]
            )
            more = f" and {len(found) - 5} more" if len(found) > 5 else ""
            yield (
                _where(decision),
                f"Disclosure risk review: {_label(decision)} has counts below {threshold}: "
                f"{cells}{more}. Check that they could not identify anyone before approval.",
            )


# --------------------------------------------------------------------------- letters


@check("letter-stale", WARNING, letters=EVERY_LETTER)
def letter_stale(subject: Subject) -> Found:
    removed = subject.letter.removed_sources or ()
    if is_stale(list(subject.planned.values()), subject.sections, removed):
        yield (
            "letter",
            "The decisions have changed since this letter was put together. Use “Update "
            "from decisions”: your edits are kept.",
        )


@check("advice-not-printed", WARNING, letters=(RESPONSE,))
def advice_not_printed(subject: Subject) -> Found:
    """Advice typed into a decision must reach the requester: never dropped silently."""
    printed = {p.source for section in subject.sections for p in section.paragraphs.all()}
    for decision in subject.decisions:
        advice = decision.advice.strip()
        if not advice or f"decision:{decision.pk}:advice-text" in printed:
            continue
        if " ".join(advice.split()) not in " ".join(subject.text.all.split()):
            yield (
                _where(decision),
                f"{_label(decision)}: the advice and assistance recorded in the decision is "
                "not in the letter. Use “Update from decisions”, or put it back.",
            )


@check("section-not-needed", WARNING, letters=EVERY_LETTER)
def section_not_needed(subject: Subject) -> Found:
    for section in subject.sections:
        if section.key not in subject.planned and section.paragraphs.all():
            yield (
                section.key,
                f"“{section.heading}” is no longer needed by the decisions; it holds text "
                "you wrote or edited. Check it or delete it.",
            )


@check("paragraph-too-long", ERROR, letters=EVERY_LETTER)
def paragraph_too_long(subject: Subject) -> Found:
    for section in subject.sections:
        for paragraph in section.paragraphs.all():
            if len(paragraph.text) > MAX_PARAGRAPH_CHARS:
                yield (
                    section.key,
                    f"A paragraph in “{section.heading}” is over "
                    f"{MAX_PARAGRAPH_CHARS:,} characters.",
                )


@check("slot-unfilled", ERROR, letters=EVERY_LETTER)
def slot_unfilled(subject: Subject) -> Found:
    for section in subject.sections:
        for paragraph in section.paragraphs.all():
            clause = paragraph.clause
            if clause is None:
                continue
            for name in clause.slot_names:
                label = slot_label(clause, name)
                value = subject.slot_values.get(slot_key(clause, name, paragraph.source))
                if value or placeholder(label) not in paragraph.text:
                    continue
                used_in = clause_used_in(clause)
                if name in AUTOMATIC_SLOTS:
                    yield section.key, f"Add {label} on the case page (used in {used_in})"
                else:
                    yield section.key, f"Fill in '{label}' (used in {used_in})"


@check("library-text-broken", ERROR, letters=EVERY_LETTER)
def library_text_broken(subject: Subject) -> Found:
    """Library wording that failed to render must never reach a requester."""
    for section in subject.sections:
        for paragraph in section.paragraphs.all():
            match = BROKEN_LIBRARY_TEXT.search(paragraph.text)
            if match:
                yield (
                    section.key,
                    f"“{section.heading}” holds library text that could not be used "
                    f"({match.group('code')}). Ask an administrator to correct the clause, "
                    "then use “Reset section”, or replace the text with your own.",
                )


@check("review-outcome-missing", ERROR, letters=[Letter.Kind.REVIEW_OUTCOME])
def review_outcome_missing(subject: Subject) -> Found:
    if not hasattr(subject.letter, "review_outcome"):
        yield "body", f"{RECORD_OUTCOME}."


@check("searches-missing", WARNING, letters=[RESPONSE])
def searches_missing(subject: Subject) -> Found:
    if subject.case.searches.strip():
        return
    searches = [s for s in subject.sections if s.key == "searches"]
    if searches and not any(p.text.strip() for s in searches for p in s.paragraphs.all()):
        yield "searches", "Describe the searches made (on the case page)."
