"""Rows that are legal or audit records: written once, never changed or deleted, by the
model or by a queryset. Issued documents, frozen versions, verdicts, the case history and
the role change log all use it."""

from django.core.exceptions import PermissionDenied
from django.db import models


class WriteOnceQuerySet(models.QuerySet):
    """Refuses bulk update() and delete(), which bypass the model's own guards."""

    def update(self, **kwargs):
        raise PermissionDenied(f"{self.model._meta.verbose_name_plural} cannot be changed.")

    def delete(self):
        raise PermissionDenied(f"{self.model._meta.verbose_name_plural} cannot be deleted.")


class WriteOnceModel(models.Model):
    objects = WriteOnceQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied(f"A {self._meta.verbose_name} cannot be changed once saved.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(f"A {self._meta.verbose_name} cannot be deleted.")


def name_then(user):
    """A user's name as it is now, to keep in a record that must not change with renames."""
    if user is None or not user.is_authenticated:
        return ""
    return user.get_full_name() or user.get_username()
