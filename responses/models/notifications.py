"""Each person's choice of emails about letters in review."""

from django.conf import settings
from django.db import models


class NotificationSetting(models.Model):
    """Absent for most people: everyone gets the review emails until they turn them off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_setting"
    )
    review_emails = models.BooleanField(
        default=True,
        help_text="Email me when a letter is sent for review (reviewers), or when my letter "
        "is returned or approved (officers).",
    )

    def __str__(self):
        return f"{self.user}: review emails {'on' if self.review_emails else 'off'}"
