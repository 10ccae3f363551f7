from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.template import TemplateSyntaxError, engines
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from responses import permissions
from responses.models import Case, Citation


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


# Readable names for the audit trail; unknown actions fall back to their code.
EVENT_LABELS = {
    "case_opened": "Request logged",
    "questions_confirmed": "Questions confirmed",
    "request_updated": "Request edited",
}

# Pages other parts of the app may provide for a letter, best first.
LETTER_URL_NAMES = ("letter_edit", "letter_detail", "letter_preview")


def optional_url(names, *args):
    """The first of these named URLs that exists, or '' while that page is not built yet."""
    for name in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""


def deadline_explainer(request, case):
    """The deadline panel, or '' if the deadlines tag library is not installed yet."""
    template = "{% load deadlines %}{% deadline_explainer case %}"
    try:
        return engines["django"].from_string(template).render({"case": case}, request)
    except (TemplateSyntaxError, ImportError):
        return ""


def person_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@case_worker_required
@require_safe
def case_list(request):
    cases = Case.objects.select_related("requester", "assigned_to", "regime").order_by(
        "received_on", "pk"
    )
    return render(
        request,
        "responses/case_list.html",
        {"cases": cases, "may_log_requests": may_log_requests(request.user)},
    )


@case_worker_required
@require_safe
def case_detail(request, pk):
    case = get_object_or_404(
        Case.objects.select_related("requester", "assigned_to", "regime", "authority"), pk=pk
    )
    decisions = case.decisions.prefetch_related(
        "questions",
        Prefetch("citations", queryset=Citation.objects.select_related("exemption")),
    )
    letters = [
        {"letter": letter, "url": optional_url(LETTER_URL_NAMES, letter.pk)}
        for letter in case.letters.all()
    ]
    events = [
        {"event": event, "label": EVENT_LABELS.get(event.action, event.action.replace("_", " "))}
        for event in case.events.select_related("actor")
    ]
    return render(
        request,
        "responses/case_detail.html",
        {
            "case": case,
            "questions": case.questions.all(),
            "decisions": [_decision_summary(decision) for decision in decisions],
            "letters": letters,
            "events": events,
            "officer_name": person_name(case.assigned_to),
            "can_edit": permissions.can_edit_case(request.user, case),
            "deadline_explainer": deadline_explainer(request, case),
        },
    )


def _decision_summary(decision):
    numbers = sorted(question.number for question in decision.questions.all())
    if not numbers:
        label = "No question linked"
    elif len(numbers) == 1:
        label = f"Q{numbers[0]}"
    else:
        label = "Q" + ", ".join(str(n) for n in numbers[:-1]) + f" & {numbers[-1]}"
    citations = []
    for citation in decision.citations.all():
        try:
            citations.append(citation.provision)
        except ValueError:
            citations.append(citation.exemption.section)
    return {"decision": decision, "label": label, "citations": citations}


def may_log_requests(user):
    # Whoever may edit cases may open one.
    return permissions.is_officer(user) or permissions.is_administrator(user)
