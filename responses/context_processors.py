from . import permissions


def navigation(request):
    """What the header shows: which areas the signed-in user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_staff_user": permissions.is_case_worker(user),
        "nav_is_reviewer": permissions.is_reviewer(user),
    }
