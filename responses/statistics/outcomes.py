"""How a decision's outcome counts in the statistics, and how a request's outcome follows.

A request's *initial outcome* is built from the outcomes of its questions' decisions:

- granted in full: everything held was given (questions answered "not held" alongside do
  not make it partial);
- not held: every question was answered "not held" (the request is then not resolvable);
- refused under section 12, 14(1) or 14(2): every decision is that refusal;
- withheld in full: nothing was given and something was withheld, neither confirmed nor
  denied, or refused (NCND counts here, and is also counted as its own flag);
- partially withheld: something was given and something withheld.

To count a new Decision.Outcome, add it to OUTCOME_CATEGORY: that is all the statistics
need. tests/test_statistics.py fails while an outcome is missing here.
"""

from django.db import models

from responses.models import Decision

Outcome = Decision.Outcome


class Category(models.TextChoices):
    """What one decision contributes to its request's initial outcome."""

    GRANTED = "granted", "Information given"
    PARTIAL = "partial", "Part given, part withheld"
    WITHHELD = "withheld", "Withheld (exemption or NCND)"
    NOT_HELD = "not_held", "Not held"
    COST_LIMIT = "cost_limit", "Refused: section 12"
    VEXATIOUS = "vexatious", "Refused: section 14(1)"
    REPEATED = "repeated", "Refused: section 14(2)"
    IGNORED = "ignored", "Not counted (the question fell away)"


OUTCOME_CATEGORY = {
    Outcome.PROVIDED: Category.GRANTED,
    Outcome.PROVIDED_IN_PART: Category.PARTIAL,
    Outcome.NOT_HELD: Category.NOT_HELD,
    Outcome.NCND: Category.WITHHELD,
    Outcome.WITHHELD: Category.WITHHELD,
    Outcome.COST_LIMIT: Category.COST_LIMIT,
    Outcome.VEXATIOUS: Category.VEXATIOUS,
    Outcome.REPEATED: Category.REPEATED,
    # The requester's own personal data: neither confirmed nor denied under section 40(5A).
    Outcome.OWN_DATA: Category.WITHHELD,
    # A question that fell away because of an earlier answer adds nothing either way.
    Outcome.NOT_APPLICABLE: Category.IGNORED,
}
# Outcomes that are neither-confirm-nor-deny in themselves; an NCND citation in any
# decision sets the flag too.
NCND_OUTCOMES = {Outcome.NCND, Outcome.OWN_DATA}

REFUSALS = (Category.COST_LIMIT, Category.VEXATIOUS, Category.REPEATED)


def outcomes_in(category):
    return [outcome for outcome, mapped in OUTCOME_CATEGORY.items() if mapped == category]


class Initial(models.TextChoices):
    """A request's status or initial outcome, as the statistics count it."""

    # Not answered (yet, or ever): counted apart from the outcomes.
    WITHDRAWN = "withdrawn", "Withdrawn"
    LAPSED = "lapsed", "Lapsed"
    DUPLICATE = "duplicate", "Closed as a duplicate"
    ON_HOLD = "on_hold", "On hold"
    NOT_YET_PROCESSED = "not_yet_processed", "Not yet processed"
    # Answered.
    GRANTED = "granted", "Granted in full"
    PARTIAL = "partial", "Partially withheld"
    WITHHELD = "withheld", "Withheld in full: exemptions or NCND"
    COST_LIMIT = "cost_limit", "Withheld in full: refused under section 12 (cost)"
    VEXATIOUS = "vexatious", "Withheld in full: refused under section 14(1) (vexatious)"
    REPEATED = "repeated", "Withheld in full: refused under section 14(2) (repeated)"
    NOT_HELD = "not_held", "Information not held"
    UNRECORDED = "unrecorded", "Answered, no decision recorded"


# "Withheld in full" in the tables: the exemptions and the procedural refusals together.
WITHHELD_IN_FULL = (Initial.WITHHELD, Initial.COST_LIMIT, Initial.VEXATIOUS, Initial.REPEATED)
# Not counted in "requests received (excluding on hold and lapsed)".
SET_ASIDE = (Initial.WITHDRAWN, Initial.LAPSED, Initial.DUPLICATE, Initial.ON_HOLD)
# The denominator of the outcome percentages: a decision on release was or will be made.
RESOLVABLE = (Initial.NOT_YET_PROCESSED, Initial.GRANTED, Initial.PARTIAL, *WITHHELD_IN_FULL)


def classify(outcomes, *, ncnd_cited=False):
    """A responded request's initial outcome and NCND flag, from its decisions' outcomes.

    Returns (Initial value, ncnd). ``ncnd_cited``: one of its decisions cites an exemption
    as neither confirm nor deny. Recorded on the case when a response is issued
    (statistics.recorded), so the tables count cases, not decisions.
    """
    counted = [OUTCOME_CATEGORY[outcome] for outcome in outcomes if outcome in OUTCOME_CATEGORY]
    counted = [category for category in counted if category != Category.IGNORED]
    present = set(counted)
    ncnd = ncnd_cited or any(outcome in NCND_OUTCOMES for outcome in outcomes)
    for category, initial in (
        (Category.NOT_HELD, Initial.NOT_HELD),
        (Category.COST_LIMIT, Initial.COST_LIMIT),
        (Category.VEXATIOUS, Initial.VEXATIOUS),
        (Category.REPEATED, Initial.REPEATED),
    ):
        if present == {category}:
            return initial.value, ncnd
    if Category.GRANTED in present and present <= {Category.GRANTED, Category.NOT_HELD}:
        return Initial.GRANTED.value, ncnd
    if present & {Category.GRANTED, Category.PARTIAL}:
        return Initial.PARTIAL.value, ncnd
    if present & {Category.WITHHELD, *REFUSALS}:
        return Initial.WITHHELD.value, ncnd
    return Initial.UNRECORDED.value, ncnd
