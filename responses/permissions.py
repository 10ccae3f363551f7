"""Who may do what, as plain predicates used by views, the workflow and templates,
and the decorator every staff view starts with."""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

OFFICERS = "Disclosure officers"
REVIEWERS = "Reviewers"
ADMINISTRATORS = "Administrators"
ROLES = (OFFICERS, REVIEWERS, ADMINISTRATORS)


def in_group(user, name):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return name in group_names(user)


def group_names(user):
    """The user's groups, read once per user object: a page asks a dozen times, and the
    request's user is loaded afresh for every request."""
    names = getattr(user, "_group_names", None)
    if names is None:
        names = user._group_names = frozenset(user.groups.values_list("name", flat=True))
    return names


def is_officer(user):
    return in_group(user, OFFICERS)


def is_reviewer(user):
    return in_group(user, REVIEWERS)


def is_administrator(user):
    return in_group(user, ADMINISTRATORS)


def is_case_worker(user):
    """Officers, reviewers and administrators all work on cases."""
    return is_officer(user) or is_reviewer(user) or is_administrator(user)


def can_edit_case(user, case):
    return is_officer(user) or is_administrator(user)


def can_view_case(user, case):
    return is_case_worker(user)


def can_log_requests(user):
    # Whoever may edit cases may open one.
    return is_officer(user) or is_administrator(user)


# User accounts. Superusers may do anything; an administrator without superuser manages
# officers, reviewers and administrators, but can never raise anyone (themselves
# included) above that.


def may_change_account(actor, user):
    """Superusers' accounts are out of reach of everyone but superusers."""
    return actor.is_superuser or not user.is_superuser


def may_change_roles(actor, user):
    """Nobody without superuser changes their own roles: no reviewer role on one's own work."""
    return actor.is_superuser or (may_change_account(actor, user) and user.pk != actor.pk)


def may_set_password(actor, user):
    """Setting another administrator's password would let you act as them."""
    if actor.is_superuser or user.pk == actor.pk:
        return True
    return may_change_account(actor, user) and not is_administrator(user)


def case_worker_required(view):
    """Signed in, and an officer, reviewer or administrator."""

    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_case_worker(request.user):
            raise PermissionDenied("You do not have access to case work.")
        return view(request, *args, **kwargs)

    return wrapped
