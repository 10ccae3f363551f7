"""Officers stop, pause, extend and undo a case's clock."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from responses import clock_events, permissions
from responses.deadlines import case_deadline
from responses.forms.clock import ACTIONS, UndoEventForm
from responses.models import Case, ClockEvent
from responses.permissions import case_worker_required


def _editable_case(request, pk):
    case = get_object_or_404(Case.objects.select_related("regime", "authority"), pk=pk)
    if not permissions.can_edit_case(request.user, case):
        raise PermissionDenied("Only disclosure officers and administrators can move the clock.")
    return case


def _render_form(request, case, form, template="responses/clock/event_form.html", **extra):
    context = {"case": case, "form": form, "explanation": case_deadline(case), **extra}
    return render(request, template, context)


@case_worker_required
def clock_event_add(request, pk, kind):
    case = _editable_case(request, pk)
    try:
        form_class, event_kind, answers_open_event = ACTIONS[kind]
    except KeyError:
        raise Http404("No such clock event.") from None
    if event_kind not in clock_events.allowed_kinds(case):
        raise Http404(f"This does not apply under {case.regime.code}.")
    event = None
    if answers_open_event:
        event = clock_events.open_event(case, event_kind)
        if event is None:
            messages.info(request, "There is nothing waiting for a reply on this case.")
            return redirect("case_detail", pk=case.pk)

    form = form_class(request.POST or None, case=case, event=event, actor=request.user)
    if request.method == "POST" and form.is_valid() and form.save():
        explanation = case_deadline(case)
        if explanation.deadline:
            messages.success(
                request, f"Saved. The deadline is now {explanation.deadline:%-d %B %Y}."
            )
        else:
            messages.success(request, "Saved. The clock is stopped.")
        return redirect("case_detail", pk=case.pk)
    return _render_form(request, case, form, event=event)


@case_worker_required
def clock_event_undo(request, pk, event_pk):
    case = _editable_case(request, pk)
    event = get_object_or_404(ClockEvent, pk=event_pk, case=case, undone_at__isnull=True)
    form = UndoEventForm(request.POST or None, case=case, event=event, actor=request.user)
    if request.method == "POST" and form.is_valid() and form.save():
        explanation = case_deadline(case)
        if explanation.deadline:
            messages.success(
                request, f"Undone. The deadline is now {explanation.deadline:%-d %B %Y}."
            )
        else:
            messages.success(request, "Undone. The clock is still stopped.")
        return redirect("case_detail", pk=case.pk)
    return _render_form(request, case, form, "responses/clock/undo_form.html", event=event)
