"""What moves a deadline: calendar overrides and events on a case's clock."""

from django.conf import settings
from django.db import models


class BankHolidayOverride(models.Model):
    """An administrator's correction to the GOV.UK bank-holiday data.

    Adds a proclaimed day the data lacks, or removes a day the data has, for one
    calendar; each with the reason, so a disputed deadline can be explained.
    """

    class Calendar(models.TextChoices):
        UK_WIDE = "uk-wide", "UK-wide (FOIA and EIR)"
        SCOTLAND = "scotland", "Scotland (FOISA)"
        BOTH = "both", "Both calendars"

    date = models.DateField()
    calendar = models.CharField(max_length=20, choices=Calendar.choices, default=Calendar.BOTH)
    is_holiday = models.BooleanField(
        default=True, help_text="Ticked: a non-working day. Unticked: a working day after all."
    )
    title = models.CharField(max_length=200)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "calendar"], name="unique_override_per_day")
        ]

    def __str__(self):
        return f"{self.date:%d %b %Y} {self.title}"


class ClockEvent(models.Model):
    """Something that stops, pauses or extends a case's deadline."""

    class Kind(models.TextChoices):
        CLARIFICATION = "clarification", "Clarification requested (section 1(3))"
        FEES_NOTICE = "fees_notice", "Fees notice (section 9)"
        PIT_EXTENSION = "pit_extension", "Public interest extension (section 10(3))"
        EIR_EXTENSION = "eir_extension", "Extension for complexity (EIR regulation 7)"
        COMPLEX_REVIEW = "complex_review", "Complex internal review: 40 working days"

    case = models.ForeignKey(
        "responses.Case", on_delete=models.CASCADE, related_name="clock_events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Clarification / fees: the day the clock stopped and the day it restarted
    # (the clarification or payment arrived); ends_on is empty while waiting.
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    # Extensions: how many further working days.
    extension_days = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"
