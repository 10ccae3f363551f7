"""Who may do what, as plain predicates used by views, the workflow and templates."""

OFFICERS = "Disclosure officers"
REVIEWERS = "Reviewers"
ADMINISTRATORS = "Administrators"


def in_group(user, name):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(group.name == name for group in user.groups.all())


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
