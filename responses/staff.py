"""Staff accounts: the roles an administrator may give, and the log of every change.

The user admin (responses.admin) calls these; the rules on who may change whom live
in responses.permissions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group

from responses.models import RoleChange
from responses.permissions import ADMINISTRATORS, ROLES

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def role_groups():
    """The three role groups, the only groups an administrator without superuser assigns."""
    return Group.objects.filter(name__in=ROLES).order_by("name")


@dataclass(frozen=True)
class AccountState:
    """What the log compares: the account's flags and group names at one moment."""

    is_active: bool
    is_staff: bool
    is_superuser: bool
    groups: frozenset[str]

    @classmethod
    def of(cls, user: User) -> AccountState:
        return cls(
            is_active=user.is_active,
            is_staff=user.is_staff,
            is_superuser=user.is_superuser,
            groups=frozenset(user.groups.values_list("name", flat=True)),
        )


def set_roles(user: User, *, roles: Iterable[Group]) -> None:
    """Give the user exactly these roles; groups that are not roles are left as they were.

    Only administrators need the admin site, so ``is_staff`` follows the Administrators
    role (a superuser keeps it regardless).
    """
    roles = [group for group in roles if group.name in ROLES]
    others = list(user.groups.exclude(name__in=ROLES))
    user.groups.set(others + roles)
    needs_admin_site = user.is_superuser or any(group.name == ADMINISTRATORS for group in roles)
    if user.is_staff != needs_admin_site:
        user.is_staff = needs_admin_site
        user.save(update_fields=["is_staff"])


FLAG_ACTIONS = {
    "is_active": (RoleChange.Action.USER_ACTIVATED, RoleChange.Action.USER_DEACTIVATED),
    "is_staff": (RoleChange.Action.STAFF_GRANTED, RoleChange.Action.STAFF_REVOKED),
    "is_superuser": (RoleChange.Action.SUPERUSER_GRANTED, RoleChange.Action.SUPERUSER_REVOKED),
}


def record_account_changes(
    user: User, *, actor: User, before: AccountState | None
) -> list[RoleChange]:
    """Log what changed since ``before`` (None: the account was just created)."""
    after = AccountState.of(user)
    rows = []
    if before is None:
        rows.append(RoleChange.objects.record(user, RoleChange.Action.USER_CREATED, actor))
        before = AccountState(
            is_active=True, is_staff=False, is_superuser=False, groups=frozenset()
        )
    for flag, (granted, revoked) in FLAG_ACTIONS.items():
        was, now = getattr(before, flag), getattr(after, flag)
        if was != now:
            rows.append(RoleChange.objects.record(user, granted if now else revoked, actor))
    for name in sorted(after.groups - before.groups):
        rows.append(RoleChange.objects.record(user, RoleChange.Action.ROLE_ADDED, actor, role=name))
    for name in sorted(before.groups - after.groups):
        rows.append(
            RoleChange.objects.record(user, RoleChange.Action.ROLE_REMOVED, actor, role=name)
        )
    return rows
