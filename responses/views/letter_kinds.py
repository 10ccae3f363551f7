"""Pages for a decision notice (which starts a fresh response) and a switch of regime."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from exemptions.models import Regime
from responses import deadlines, permissions, replies, workflow
from responses.forms.letter_kinds import DecisionNoticeForm, RegimeSwitchForm
from responses.models import Case
from responses.permissions import case_worker_required
from responses.workflow.letter_kinds import SWITCHABLE


def _editable_case(request, pk):
    case = get_object_or_404(Case.objects.select_related("regime", "authority"), pk=pk)
    if not permissions.can_edit_case(request.user, case):
        raise PermissionDenied("Only disclosure officers can do this.")
    return case


def _issued_responses(case):
    """(letter, issued on) for each issued response, newest first: what a notice can be about."""
    documents = list(replies.issued_replies(case))
    return [
        (document.version.letter, timezone.localdate(document.issued_at))
        for document in reversed(documents)
    ]


@case_worker_required
@require_http_methods(["GET", "POST"])
def decision_notice_add(request, pk):
    """Record an Information Commissioner's decision notice and start the fresh response."""
    case = _editable_case(request, pk)
    responses = _issued_responses(case)
    form = DecisionNoticeForm(request.POST or None, responses=responses)
    if request.method == "POST" and form.is_valid():
        letters = {letter.pk: letter for letter, _ in responses}
        try:
            letter = workflow.record_decision_notice(
                case,
                actor=request.user,
                replaces=letters[form.cleaned_data["replaces"]],
                reference=form.cleaned_data["reference"],
                notice_date=form.cleaned_data["notice_date"],
                required_step=form.cleaned_data["required_step"],
                compliance_deadline=form.cleaned_data["compliance_deadline"],
                finding=form.cleaned_data["finding"],
            )
        except workflow.TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Decision notice recorded: the case is open again, due by the compliance date, "
                "and the fresh response is drafted from the decisions. Change the decisions if "
                "the grounds change.",
            )
            return redirect("letter_edit", pk=letter.pk)
    return render(
        request,
        "responses/letter_kinds/decision_notice.html",
        {"case": case, "form": form, "has_responses": bool(responses)},
        status=400 if form.errors else 200,
    )


@case_worker_required
@require_http_methods(["GET", "POST"])
def case_regime(request, pk):
    """Switch the case from FOIA to the EIR, or back."""
    case = _editable_case(request, pk)
    target_code = SWITCHABLE.get(case.regime.code)
    target = Regime.objects.filter(code=target_code).first() if target_code else None
    form = RegimeSwitchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if target is None:
                raise workflow.TransitionError(
                    f"A {case.regime.code} case cannot be switched to another regime."
                )
            workflow.switch_regime(
                case, actor=request.user, regime=target, reason=form.cleaned_data["reason"]
            )
        except workflow.TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"The case is now handled under the {target.statute}; the deadline has been "
                "worked out again and draft letters explain the switch.",
            )
            return redirect("case_detail", pk=case.pk)
    return render(
        request,
        "responses/letter_kinds/regime.html",
        {
            "case": case,
            "form": form,
            "target": target,
            "deadline": deadlines.case_deadline(case).deadline,
        },
        status=400 if form.errors else 200,
    )
