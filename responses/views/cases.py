from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from responses import permissions
from responses.models import Case


def case_worker_required(view):
    """Signed in, and an officer, reviewer or administrator."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not permissions.is_case_worker(request.user):
            raise PermissionDenied("You do not have access to case work.")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@case_worker_required
def case_list(request):
    cases = Case.objects.select_related("requester", "assigned_to", "regime").order_by(
        "received_on", "pk"
    )
    return render(request, "responses/case_list.html", {"cases": cases})


@case_worker_required
def case_detail(request, pk):
    case = get_object_or_404(
        Case.objects.select_related("requester", "assigned_to", "regime", "authority"), pk=pk
    )
    return render(
        request,
        "responses/case_detail.html",
        {
            "case": case,
            "questions": case.questions.all(),
            "events": case.events.select_related("actor"),
        },
    )
