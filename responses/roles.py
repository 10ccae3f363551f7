"""The three roles and the permissions each needs, created idempotently."""

from django.contrib.auth.models import Group, Permission

from responses.permissions import ADMINISTRATORS, OFFICERS, REVIEWERS

CASE_MODELS = [
    "case",
    "question",
    "requester",
    "decision",
    "citation",
    "letter",
    "lettersection",
    "letterparagraph",
    "clockevent",
]
LIBRARY_MODELS = ["regime", "exemption", "clause"]

ROLE_PERMISSIONS = {
    OFFICERS: [f"{action}_{model}" for model in CASE_MODELS for action in ("add", "change", "view")]
    + [f"view_{model}" for model in LIBRARY_MODELS]
    + ["view_caseevent"],
    REVIEWERS: [f"view_{model}" for model in CASE_MODELS + LIBRARY_MODELS] + ["view_caseevent"],
    ADMINISTRATORS: [
        f"{action}_{model}"
        for model in LIBRARY_MODELS + ["authority", "bankholidayoverride", "notificationsetting"]
        for action in ("add", "change", "view")
    ]
    # A mistaken bank-holiday override must be removable (deadlines move back, and each
    # case's history says so).
    + ["delete_bankholidayoverride"]
    + [f"{action}_user" for action in ("add", "change", "view")]
    + ["view_group", "view_caseevent", "view_case", "view_requester", "view_rolechange"],
}


def ensure_roles():
    """Create or update the role groups; returns {name: group}."""
    groups = {}
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(codename__in=codenames))
        groups[name] = group
    return groups
