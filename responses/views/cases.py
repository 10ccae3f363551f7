from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from responses import case_search, masking, permissions, precedents, replies, workflow
from responses.drafting.wording import question_label
from responses.forms import closing
from responses.forms.case_list import CaseListForm
from responses.forms.closing import CloseCaseForm
from responses.forms.review import ReasonForm
from responses.models import Case, Citation, Letter
from responses.permissions import case_worker_required
from responses.workflow.letter_kinds import SWITCHABLE


def person_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


CASES_PER_PAGE = 50


@case_worker_required
@require_safe
def case_list(request):
    form = CaseListForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    cases = case_search.search_cases(**form.filters(request.user))
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    filters_query = request.GET.copy()
    filters_query.pop("page", None)
    return render(
        request,
        "responses/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": case_search.rows_for(page.object_list),
            "filtered": any(value for key, value in request.GET.lists() if key != "page"),
            "filters_query": filters_query.urlencode(),
            "may_log_requests": permissions.can_log_requests(request.user),
        },
    )


def letter_actions(letter, user):
    """The links a case worker needs for one letter, in the order they would use them."""
    Status = Letter.Status
    # A request closed without a letter has its letters stopped where they were: they
    # can only be read.
    live = not letter.case.closed_without_letter
    actions = []
    if letter.status == Status.DRAFT and live and permissions.can_edit_case(user, letter.case):
        actions.append(("Edit", reverse("letter_edit", args=[letter.pk])))
        if letter.kind == Letter.Kind.REVIEW_OUTCOME:
            actions.append(("Record the outcome", reverse("review_outcome", args=[letter.pk])))
        actions.append(("Send for review", reverse("letter_submit", args=[letter.pk])))
    else:
        actions.append(("Preview", reverse("letter_preview", args=[letter.pk])))
    if letter.status == Status.IN_REVIEW and live and permissions.is_reviewer(user):
        actions.append(("Review", reverse("review_letter", args=[letter.pk])))
    if letter.status == Status.ISSUED or (letter.status == Status.APPROVED and live):
        actions.append(
            (
                "Issue" if letter.status == Status.APPROVED else "Issued PDF",
                reverse("letter_issue", args=[letter.pk]),
            )
        )
    return actions


@case_worker_required
@require_safe
def case_detail(request, pk):
    case = get_object_or_404(
        Case.objects.select_related(
            "requester", "assigned_to", "regime", "authority", "reviewed_case", "duplicate_of"
        ),
        pk=pk,
    )
    decisions = case.decisions.prefetch_related(
        "questions",
        Prefetch("citations", queryset=Citation.objects.select_related("exemption")),
    )
    letters = [
        {"letter": letter, "actions": letter_actions(letter, request.user)}
        for letter in case.letters.select_related("case")
    ]
    events = case.events.select_related("actor")
    hide_requester = masking.hides_requester(request, case)
    request_text = case.request_text
    questions = case.questions.all()
    if hide_requester:
        request_text = masking.mask_requester(request_text, case.requester)
        questions = masking.mask_shown(questions, case.requester, "text")
        events = masking.mask_shown(events, case.requester, "comment")
        case.closure_reason = masking.mask_requester(case.closure_reason, case.requester)
    return render(
        request,
        "responses/case_detail.html",
        {
            "case": case,
            "questions": questions,
            "decisions": [_decision_summary(decision) for decision in decisions],
            "letters": letters,
            "events": events,
            "officer_name": person_name(case.assigned_to),
            "can_edit": permissions.can_edit_case(request.user, case),
            "can_close": (
                permissions.can_edit_case(request.user, case) and case.status in workflow.CLOSABLE
            ),
            "can_reopen": (
                permissions.can_edit_case(request.user, case) and case.closed_without_letter
            ),
            "hide_requester": hide_requester,
            "request_text": request_text,
            "repeats": precedents.repeats_for(case),
            **letter_kind_actions(case, request.user),
        },
    )


def letter_kind_actions(case, user):
    """What the case page offers for fresh responses, regime switches and reviews."""
    can_edit = permissions.can_edit_case(user, case)
    is_request = case.kind == Case.Kind.REQUEST
    facts = {
        "can_record_notice": can_edit and is_request and case.status == Case.Status.RESPONDED,
        "switch_to": (
            SWITCHABLE.get(case.regime.code)
            if can_edit and is_request and case.status in workflow.WITHDRAWABLE
            else None
        ),
    }
    if case.kind == Case.Kind.INTERNAL_REVIEW:
        letter = (
            case.letters.filter(kind=Letter.Kind.REVIEW_OUTCOME, review_outcome__isnull=False)
            .order_by("-created_at")
            .first()
        )
        outcome = letter.review_outcome if letter else None
        facts["review_outcome"] = outcome
        facts["review_findings"] = (
            list(outcome.findings.select_related("question")) if outcome else []
        )
        if case.reviewed_case:
            facts["replied_on"] = replies.last_reply_on(case.reviewed_case, before=case.received_on)
    return facts


def _decision_summary(decision):
    numbers = [question.number for question in decision.questions.all()]
    citations = []
    for citation in decision.citations.all():
        try:
            citations.append(citation.provision)
        except ValueError:  # an NCND citation of an exemption without an NCND provision
            citations.append(citation.exemption.section)
    label = question_label(numbers) or "No question linked"
    return {"decision": decision, "label": label, "citations": citations}


CLOSED_MESSAGES = {
    Case.Status.WITHDRAWN: "is recorded as withdrawn",
    Case.Status.LAPSED: "is closed: the request lapsed",
    Case.Status.DUPLICATE: "is closed as a duplicate",
}


@case_worker_required
def case_close(request, pk, how=""):
    """Close a request without a letter: withdrawn, lapsed, or a duplicate."""
    case = get_object_or_404(Case, pk=pk)
    if not permissions.can_edit_case(request.user, case):
        raise PermissionDenied("Only disclosure officers can close a request without a letter.")
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        if how and not data.get("how"):  # the withdrawal page's form says only why
            data["how"] = how
    form = CloseCaseForm(data, case=case, initial={"how": how or None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["how"] == closing.WITHDRAWN:
                workflow.withdraw_case(case, actor=request.user, reason=data["reason"])
            elif data["how"] == closing.DUPLICATE:
                workflow.close_as_duplicate(
                    case, actor=request.user, original=form.original, reason=data["reason"]
                )
            else:
                because = (
                    Case.LapsedBecause.FEE
                    if data["how"] == closing.LAPSED_FEE
                    else Case.LapsedBecause.CLARIFICATION
                )
                workflow.lapse_case(
                    case, actor=request.user, because=because, reason=data["reason"]
                )
        except workflow.TransitionError as error:
            form.add_error(None, str(error))
        else:
            case.refresh_from_db()
            messages.success(request, f"{case.reference} {CLOSED_MESSAGES[case.status]}.")
            return redirect("case_detail", pk=case.pk)
    return render(
        request,
        "responses/case_close.html",
        {"case": case, "form": form, "can_close": case.status in workflow.CLOSABLE},
    )


@case_worker_required
def case_withdraw(request, pk):
    """The close page with "withdrawn" chosen: the requester no longer wants an answer."""
    return case_close(request, pk, how=closing.WITHDRAWN)


@case_worker_required
def case_reopen(request, pk):
    """Reopen a case closed without a letter by mistake; the reason goes in the history."""
    case = get_object_or_404(Case, pk=pk)
    if not permissions.can_edit_case(request.user, case):
        raise PermissionDenied("Only disclosure officers can reopen a request.")
    form = ReasonForm(
        request.POST or None,
        label="Why is the case being reopened?",
        help_text="For example: the clarification arrived on 4 March but was filed elsewhere.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.reopen_case(case, actor=request.user, reason=form.cleaned_data["reason"])
        except workflow.TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{case.reference} is open again.")
            return redirect("case_detail", pk=case.pk)
    return render(
        request,
        "responses/case_reopen.html",
        {"case": case, "form": form, "can_reopen": case.closed_without_letter},
    )
