"""Logging a request (officers) and editing its questions, scope and searches."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from responses import permissions
from responses.forms.intake import (
    QUESTION_PREFIX,
    ActionError,
    LogRequestForm,
    QuestionFormSet,
    RequestDetailsForm,
    apply_action,
    question_items,
)
from responses.intake import MAX_QUESTIONS, log_request, parse_request
from responses.models import Authority, Case
from responses.permissions import case_worker_required
from responses.questions import QuestionInUse, RecordFrozen, StaleRevision, save_request


@case_worker_required
@require_http_methods(["GET", "POST"])
def log_request_view(request):
    if not permissions.can_log_requests(request.user):
        raise PermissionDenied("Only disclosure officers can log requests.")
    authority = Authority.current()
    if authority is None:
        return render(request, "responses/intake/no_authority.html", status=503)

    form = LogRequestForm(request.POST or None, initial={"regime": authority.default_regime_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = log_request(
            actor=request.user,
            authority=authority,
            regime=data["regime"],
            requester_name=data["requester_name"],
            requester_email=data["requester_email"],
            requester_address=data["requester_address"].strip(),
            received_on=data["received_on"],
            received_via=data["received_via"],
            subject=data["subject"],
            request_text=data["request_text"],
        )
        messages.success(request, f"Request logged as {case.reference}. Now check its questions.")
        return redirect("case_request", pk=case.pk)
    return render(request, "responses/intake/log_request.html", {"form": form})


@case_worker_required
@require_http_methods(["GET", "POST"])
def edit_request_view(request, pk):
    case = get_object_or_404(Case.objects.select_related("requester", "regime"), pk=pk)
    if not permissions.can_edit_case(request.user, case):
        raise PermissionDenied("You can read this case but not change it.")

    if request.method == "GET":
        details, formset, notice = _initial_forms(case)
        return _render_editor(request, case, details, formset, action_error=notice)

    details = RequestDetailsForm(request.POST)
    action = request.POST.get("action", "save")
    if action != "save":
        formset = QuestionFormSet(request.POST, prefix=QUESTION_PREFIX)
        if not formset.is_valid():
            return _render_editor(request, case, details, formset)
        try:
            items = apply_action(formset.items(), action)
        except ActionError as error:
            return _render_editor(request, case, details, formset, action_error=str(error))
        formset = QuestionFormSet(initial=items, prefix=QUESTION_PREFIX)
        # The details are re-shown as typed; they carry no errors (all optional).
        return _render_editor(request, case, details, formset, focus=action)

    formset = QuestionFormSet(request.POST, prefix=QUESTION_PREFIX, saving=True)
    if details.has_error("revision"):
        # Without the revision it started from, a save could overwrite someone else's:
        # show the saved request beside this editor's, as for a conflict.
        return _render_conflict(request, case, formset, unknown_base=True)
    if not (details.is_valid() and formset.is_valid()):
        return _render_editor(request, case, details, formset)
    try:
        save_request(
            case,
            actor=request.user,
            revision=details.cleaned_data["revision"],
            questions=formset.drafts(),
            subject=details.cleaned_data["subject"].strip(),
            scope=details.cleaned_data["scope"].strip(),
            prioritisation_note=details.cleaned_data["prioritisation_note"].strip(),
            searches=details.cleaned_data["searches"].strip(),
        )
    except StaleRevision as conflict:
        return _render_conflict(request, conflict.case, formset)
    except (QuestionInUse, RecordFrozen) as error:
        return _render_editor(request, case, details, formset, action_error=str(error))
    messages.success(request, "The request has been saved.")
    return redirect("case_detail", pk=case.pk)


def _initial_forms(case):
    """The saved request, or the parser's proposals when no question is saved yet."""
    questions = list(case.questions.all())
    initial = {
        "revision": case.revision,
        "subject": case.subject,
        "scope": case.scope,
        "prioritisation_note": case.prioritisation_note,
        "searches": case.searches,
    }
    notice = ""
    if questions:
        items = question_items(questions)
    else:
        proposal = parse_request(case.request_text)
        proposed = proposal.questions
        if len(proposed) > MAX_QUESTIONS:
            notice = (
                f"This request has {len(proposed)} questions, more than the {MAX_QUESTIONS} one "
                "request can be split into here, so it is shown as one question. Keep the first "
                f"{MAX_QUESTIONS} questions here and log the rest as a separate request."
            )
            proposed = []
        items = question_items(proposed or [case.request_text.strip()])
        initial["scope"] = case.scope or proposal.scope
        initial["prioritisation_note"] = case.prioritisation_note or proposal.prioritisation_note
    formset = QuestionFormSet(initial=items, prefix=QUESTION_PREFIX)
    return RequestDetailsForm(initial=initial), formset, notice


def _render_editor(
    request,
    case,
    details,
    formset,
    *,
    action_error="",
    focus="",
    status=200,
    saved_case=None,
    saved_questions=None,
    unknown_base=False,
):
    proposing = not case.questions.exists()
    error_count = sum(len(errors) for errors in formset.errors) + len(formset.non_form_errors())
    return render(
        request,
        "responses/intake/edit_request.html",
        {
            "case": case,
            "details": details,
            "formset": formset,
            "proposing": proposing,
            "action_error": action_error,
            "has_errors": bool(action_error or error_count or details.errors or unknown_base),
            "focus": focus,
            "saved_case": saved_case,
            "saved_questions": saved_questions,
            "unknown_base": unknown_base,
        },
        status=status,
    )


def _render_conflict(request, saved_case, formset, *, unknown_base=False):
    """Show both versions; the editor keeps theirs, now based on the saved revision."""
    saved_case = Case.objects.get(pk=saved_case.pk)
    data = request.POST.copy()
    data["revision"] = str(saved_case.revision)
    data["action"] = "save"
    details = RequestDetailsForm(data)
    details.is_valid()
    yours = QuestionFormSet(data, prefix=QUESTION_PREFIX)
    yours.is_valid()
    return _render_editor(
        request,
        saved_case,
        details,
        yours,
        status=409,
        saved_case=saved_case,
        saved_questions=list(saved_case.questions.all()),
        unknown_base=unknown_base,
    )
