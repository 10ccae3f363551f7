"""The letters that answer something earlier, and the case changes behind them: a
decision notice that calls for a fresh response, and a switch between FOIA and the EIR."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from exemptions.models import Regime
from responses import deadlines, permissions, replies
from responses.drafting import editing
from responses.models import Case, CaseEvent, ClockEvent, DecisionNotice, Letter
from responses.workflow.transitions import (
    require,
    require_not_withdrawn,
    required_text,
    set_case_status,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The regimes a case can move between: environmental information or not. FOISA cases
# stay FOISA (the Scottish EIRs are not a separate regime here).
SWITCHABLE = {Regime.FOIA: Regime.EIR, Regime.EIR: Regime.FOIA}


@transaction.atomic
def record_decision_notice(
    case: Case,
    *,
    actor: User,
    replaces: Letter,
    reference: str,
    notice_date: datetime.date,
    required_step: str,
    compliance_deadline: datetime.date,
    finding: str,
) -> Letter:
    """The Commissioner's decision notice requires a fresh response: record the notice, reopen
    the case with the notice's compliance date as its deadline, and start the letter."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(
        permissions.can_edit_case(actor, case),
        "Only a disclosure officer can record a decision notice.",
    )
    require(case.kind == Case.Kind.REQUEST, "A decision notice is recorded on the request itself.")
    require(
        case.status == Case.Status.RESPONDED,
        "A decision notice follows our response: this request has not been answered yet, or "
        "a fresh response is already being prepared.",
    )
    require(
        replaces.case_id == case.pk and replaces.kind in replies.REPLIES,
        "Choose the response the notice is about.",
    )
    replaced_on = replies.issued_on(replaces)
    require(replaced_on is not None, "Only an issued response can be replaced.")
    reference = required_text(reference, "Enter the decision notice's reference.")
    required_step = required_text(required_step, "Say what step the notice requires.")
    finding = required_text(finding, "Say what the Commissioner found.")
    require(
        notice_date >= replaced_on,
        f"The notice is dated {notice_date:%-d %B %Y}, before the response it is about "
        f"({replaced_on:%-d %B %Y}): check the date.",
    )
    require(notice_date <= timezone.localdate(), "The notice's date cannot be in the future.")
    require(
        compliance_deadline >= notice_date,
        "The compliance date must be on or after the date of the notice.",
    )
    letter = editing.assemble_letter(case, actor=actor, kind=Letter.Kind.FRESH_RESPONSE)
    notice = DecisionNotice.objects.create(
        case=case,
        letter=letter,
        replaces=replaces,
        reference=reference,
        notice_date=notice_date,
        required_step=required_step,
        compliance_deadline=compliance_deadline,
        finding=finding,
    )
    letter = Letter.objects.get(pk=letter.pk)
    editing.rebuild_letter(letter, actor=actor, revision=letter.revision)
    set_case_status(
        case,
        actor,
        Case.Status.OPEN,
        CaseEvent.Action.DECISION_NOTICE_RECORDED,
        comment=finding,
        notice=notice.reference,
        notice_date=notice_date.isoformat(),
        required_step=required_step,
        compliance_deadline=compliance_deadline.isoformat(),
        replaces=replaces.pk,
        letter=letter.pk,
    )
    return Letter.objects.get(pk=letter.pk)


@transaction.atomic
def switch_regime(case: Case, *, actor: User, regime: Regime, reason: str = "") -> Case:
    """Move a case from FOIA to the EIR or back: the deadline follows the new regime's
    rules, the response explains the switch, and the history keeps both deadlines."""
    case = Case.objects.select_for_update().select_related("regime").get(pk=case.pk)
    require(
        permissions.can_edit_case(actor, case), "Only a disclosure officer can switch the regime."
    )
    require_not_withdrawn(case)
    require(
        case.status in (Case.Status.OPEN, Case.Status.ON_HOLD),
        "The regime can be switched only while the request is being worked on (not while a "
        "letter is awaiting review or approved, or once answered).",
    )
    require(
        SWITCHABLE.get(case.regime.code) == regime.code,
        f"A {case.regime.code} case can be switched only to "
        f"{SWITCHABLE.get(case.regime.code) or 'no other regime'}.",
    )
    require(
        not case.clock_events.filter(
            undone_at__isnull=True,
            kind__in=[ClockEvent.Kind.EIR_EXTENSION, ClockEvent.Kind.PIT_EXTENSION],
        ).exists(),
        "Undo the extension on the clock first: extensions are made under one regime's rules.",
    )
    cited = case.decisions.filter(citations__isnull=False).exists()
    require(
        not cited,
        "Remove the exemptions cited in the decisions first: they belong to the old regime. "
        "Cite the new regime's provisions after switching.",
    )
    before = deadlines.case_deadline(case).deadline
    previous = case.regime
    case.regime = regime
    case.regime_switched_from = previous
    case.regime_switch_reason = (reason or "").strip()
    case.save(update_fields=["regime", "regime_switched_from", "regime_switch_reason"])
    after = deadlines.case_deadline(Case.objects.get(pk=case.pk)).deadline
    CaseEvent.objects.record(
        case,
        CaseEvent.Action.REGIME_SWITCHED,
        actor,
        comment=case.regime_switch_reason,
        from_regime=previous.code,
        to_regime=regime.code,
        deadline_before=before.isoformat() if before else None,
        deadline_after=after.isoformat() if after else None,
    )
    # Draft letters follow at once: the switch paragraph, the regime's rights.
    for letter in case.letters.filter(status=Letter.Status.DRAFT):
        editing.rebuild_letter(letter, actor=actor, revision=letter.revision)
    return case
