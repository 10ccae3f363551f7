"""Applicant-blind review: reviewers see who asked only when they give a reason.

Officers need the requester's details to answer; reviewers judge the letter, which
must be the same whoever asked. A reviewer who reveals the identity does so through
``workflow.reveal_requester`` (logged), and it stays revealed for their session.
"""

from markupsafe import escape

from responses import permissions

REVEALED_SESSION_KEY = "revealed_requester_cases"
MASK = "[requester]"


def is_revealed(request, case):
    return case.pk in request.session.get(REVEALED_SESSION_KEY, [])


def remember_revealed(request, case):
    revealed = request.session.get(REVEALED_SESSION_KEY, [])
    request.session[REVEALED_SESSION_KEY] = sorted({*revealed, case.pk})


def hides_requester(request, case):
    """True for a reviewer (who is not also an officer) who has not revealed this case."""
    user = request.user
    return (
        permissions.is_reviewer(user)
        and not permissions.can_edit_case(user, case)
        and not is_revealed(request, case)
    )


def mask_requester(text, requester, *, html=False):
    """Replace the requester's name, email and address lines wherever they appear."""
    needles = [requester.name, requester.email, *requester.address_lines]
    for needle in sorted(filter(None, needles), key=len, reverse=True):
        text = text.replace(str(escape(needle)) if html else needle, MASK)
    return text
