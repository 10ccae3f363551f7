from responses import permissions, worklist
from responses.models import Case, ClockEvent, IssueAttempt, Letter, Publication


def navigation(request):
    """What the header shows: which areas the signed-in user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_staff_user": permissions.is_case_worker(user),
        "nav_is_reviewer": permissions.is_reviewer(user),
    }


def choices(request):
    """The model choices pages compare against (`letter.status == LetterStatus.DRAFT`),
    so no template re-types a status as a string."""
    return {
        "CaseStatus": Case.Status,
        "CaseKind": Case.Kind,
        "LetterStatus": Letter.Status,
        "LetterKind": Letter.Kind,
        "AttemptStatus": IssueAttempt.Status,
        "PublicationStatus": Publication.Status,
        "ClockKind": ClockEvent.Kind,
        "Bucket": worklist.Bucket,
    }
