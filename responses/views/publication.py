"""Deciding, after issue, not to publish a response that is waiting for the disclosure log
(scheduled for a later date, or held back because its public copy names the requester)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from responses import permissions, workflow
from responses.forms.review import ReasonForm
from responses.models import Publication
from responses.permissions import case_worker_required

DECLINE_LABEL = "Why will this response not be published?"
DECLINE_HINT = "Recorded in the case history. The disclosure log will not show it."


@case_worker_required
@require_http_methods(["GET", "POST"])
def publication_decline(request, pk):
    publication = get_object_or_404(
        Publication.objects.select_related("letter__case"), letter__pk=pk
    )
    case = publication.letter.case
    may_decide = permissions.can_edit_case(request.user, case)
    if not (may_decide or permissions.is_administrator(request.user)):
        raise PermissionDenied("Only an officer or an administrator can decide this.")
    form = ReasonForm(request.POST or None, label=DECLINE_LABEL, help_text=DECLINE_HINT)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                workflow.decline_publication(
                    publication, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except workflow.TransitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "This response will not be published.")
                return redirect("letter_issue", pk=publication.letter_id)
        status = 400
    return render(
        request,
        "responses/review/publication_decline.html",
        {
            "publication": publication,
            "letter": publication.letter,
            "case": case,
            "form": form,
            "can_decline": publication.status in workflow.PUBLICATION_WAITING,
        },
        status=status,
    )
