"""The audit trail: one append-only row per thing that happened to a case."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Audit events are append-only and cannot be updated.")

    def delete(self):
        raise PermissionDenied("Audit events are append-only and cannot be deleted.")


# What each action is called in the history; an unknown action shows its code.
ACTION_LABELS = {
    "case_opened": "Request logged",
    "questions_confirmed": "Questions confirmed",
    "request_updated": "Request edited",
    "case_status_changed": "Case status changed",
    "case_on_hold": "Put on hold: the clock stopped",
    "case_resumed": "Taken off hold: the clock runs again",
    "clock_clarification": "Clarification requested (section 1(3))",
    "clock_clarification_received": "Clarification received",
    "clock_fees_notice": "Fees notice sent",
    "clock_fee_paid": "Fee paid",
    "clock_pit_extension": "Public interest extension",
    "clock_eir_extension": "Extended under EIR regulation 7",
    "clock_event_undone": "Clock event undone",
    "decision_added": "Decision added",
    "decision_changed": "Decision changed",
    "decision_deleted": "Decision deleted",
    "letter_created": "Letter started",
    "letter_saved": "Letter saved",
    "letter_submitted": "Submitted for review",
    "letter_returned": "Returned by the reviewer",
    "letter_approved": "Approved",
    "letter_reopened": "Reopened",
    "issue_requested": "Issue requested",
    "letter_issued": "Issued",
    "issue_failed": "Issue failed",
    "requester_revealed": "Requester's identity revealed",
    "requester_link_created": "Requester link sent",
    "requester_link_revoked": "Requester links revoked",
    "internal_review_requested": "Internal review requested",
    "pdf_downloaded": "PDF downloaded by the requester",
    "reminder_sent": "Deadline reminder sent",
}


class CaseEvent(models.Model):
    case = models.ForeignKey("responses.Case", on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=60)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.case} {self.action}"

    @property
    def label(self):
        return ACTION_LABELS.get(self.action, self.action.replace("_", " ").capitalize())

    def save(self, *args, **kwargs):
        if self.pk:
            raise PermissionDenied("Audit events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit events are append-only and cannot be deleted.")
