"""Who gave whom which role: the audit log of user accounts, append-only like CaseEvent.

Role changes belong to no case, so they have their own log. Every change an
administrator makes in the user admin writes one row per fact (a role added, a role
removed, an account created, deactivated or made superuser).
"""

from django.conf import settings
from django.db import models

from responses.models.write_once import WriteOnceModel, WriteOnceQuerySet, name_then


class RoleChangeManager(models.Manager.from_queryset(WriteOnceQuerySet)):
    def record(self, user, action, actor, *, role=""):
        """Append one row; both names are copied, so a rename does not rewrite the log."""
        if action not in RoleChange.Action.values:
            raise ValueError(f"{action!r} is not a role change; add it to RoleChange.Action.")
        signed_in = actor is not None and actor.is_authenticated
        return self.create(
            user=user,
            user_name=name_then(user),
            actor=actor if signed_in else None,
            actor_name=name_then(actor),
            action=action,
            role=role,
        )


class RoleChange(WriteOnceModel):
    class Action(models.TextChoices):
        USER_CREATED = "user_created", "Account created"
        ROLE_ADDED = "role_added", "Role given"
        ROLE_REMOVED = "role_removed", "Role taken away"
        USER_ACTIVATED = "user_activated", "Account activated"
        USER_DEACTIVATED = "user_deactivated", "Account deactivated"
        STAFF_GRANTED = "staff_granted", "Admin site access given"
        STAFF_REVOKED = "staff_revoked", "Admin site access taken away"
        SUPERUSER_GRANTED = "superuser_granted", "Made superuser"
        SUPERUSER_REVOKED = "superuser_revoked", "Superuser status taken away"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_changes"
    )
    user_name = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Names as they were when it happened.
    actor_name = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    role = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = RoleChangeManager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        what = (
            f"{self.get_action_display()}: {self.role}" if self.role else self.get_action_display()
        )
        return f"{self.user_name}: {what}"
