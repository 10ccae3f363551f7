"""The audit trail: one append-only row per thing that happened to a case.

Every service writes its events through ``CaseEvent.objects.record``, so the trail
lives with the data it describes and no service has to import another to log.
"""

from django.conf import settings
from django.db import models

from responses.models.write_once import WriteOnceModel, WriteOnceQuerySet, name_then


class CaseEventManager(models.Manager.from_queryset(WriteOnceQuerySet)):
    def record(
        self, case, action, actor=None, *, from_status="", to_status="", comment="", **details
    ):
        """Append one row to the case's audit trail.

        ``actor`` is the signed-in user, or None for the system and the requester. Their
        name is copied into the row, so the history keeps saying who did it after a rename.
        """
        if action not in CaseEvent.Action.values:
            raise ValueError(f"{action!r} is not an audit action; add it to CaseEvent.Action.")
        signed_in = actor is not None and actor.is_authenticated
        return self.create(
            case=case,
            actor=actor if signed_in else None,
            actor_name=name_then(actor),
            action=action,
            from_status=from_status,
            to_status=to_status,
            comment=comment,
            details=details,
        )


class CaseEvent(WriteOnceModel):
    class Action(models.TextChoices):
        CASE_OPENED = "case_opened", "Request logged"
        QUESTIONS_CONFIRMED = "questions_confirmed", "Questions confirmed"
        REQUEST_UPDATED = "request_updated", "Request edited"
        CASE_STATUS_CHANGED = "case_status_changed", "Case status changed"
        CASE_ON_HOLD = "case_on_hold", "Put on hold: the clock stopped"
        CASE_RESUMED = "case_resumed", "Taken off hold: the clock runs again"
        CASE_WITHDRAWN = "case_withdrawn", "Request withdrawn by the requester"
        CASE_LAPSED = "case_lapsed", "Closed: the request lapsed"
        CASE_CLOSED_AS_DUPLICATE = "case_closed_as_duplicate", "Closed as a duplicate"
        CASE_REOPENED = "case_reopened", "Reopened after being closed without a letter"
        CLOCK_CLARIFICATION = "clock_clarification", "Clarification requested (section 1(3))"
        CLOCK_CLARIFICATION_RECEIVED = "clock_clarification_received", "Clarification received"
        CLOCK_FEES_NOTICE = "clock_fees_notice", "Fees notice sent"
        CLOCK_FEE_PAID = "clock_fee_paid", "Fee paid"
        CLOCK_PIT_EXTENSION = "clock_pit_extension", "Public interest extension"
        CLOCK_EIR_EXTENSION = "clock_eir_extension", "Extended under EIR regulation 7"
        CLOCK_EVENT_UNDONE = "clock_event_undone", "Clock event undone"
        REVIEW_MARKED_COMPLEX = "review_marked_complex", "Internal review marked complex"
        DECISION_ADDED = "decision_added", "Decision added"
        DECISION_CHANGED = "decision_changed", "Decision changed"
        DECISION_DELETED = "decision_deleted", "Decision deleted"
        LETTER_CREATED = "letter_created", "Letter started"
        LETTER_SAVED = "letter_saved", "Letter saved"
        LETTER_SUBMITTED = "letter_submitted", "Submitted for review"
        LETTER_RETURNED = "letter_returned", "Returned by the reviewer"
        REVIEW_COMMENT_ADDED = "review_comment_added", "Review comment added"
        LETTER_APPROVED = "letter_approved", "Approved"
        LETTER_REOPENED = "letter_reopened", "Reopened"
        ISSUE_REQUESTED = "issue_requested", "Issue requested"
        ISSUE_STARTED = "issue_started", "Producing the PDF"
        LETTER_ISSUED = "letter_issued", "Issued"
        ISSUE_FAILED = "issue_failed", "Issue failed"
        CORRECTION_STARTED = "correction_started", "Correction started"
        DECISION_NOTICE_RECORDED = "decision_notice_recorded", "Decision notice recorded"
        REGIME_SWITCHED = "regime_switched", "Regime switched"
        REQUESTER_REVEALED = "requester_revealed", "Requester's identity revealed"
        REQUESTER_LINK_CREATED = "requester_link_created", "Requester link sent"
        REQUESTER_LINK_REVOKED = "requester_link_revoked", "Requester links revoked"
        INTERNAL_REVIEW_REQUESTED = "internal_review_requested", "Internal review requested"
        REVIEW_OUTCOME_RECORDED = "review_outcome_recorded", "Internal review outcome recorded"
        PDF_DOWNLOADED = "pdf_downloaded", "PDF downloaded by the requester"
        REMINDER_SENT = "reminder_sent", "Deadline reminder sent"
        PUBLICATION_CHOSEN = "publication_chosen", "Chosen for the disclosure log"
        PUBLICATION_DECLINED = "publication_declined", "Not to be published in the disclosure log"
        PUBLICATION_COPY_MADE = "publication_copy_made", "Public copy made"
        PUBLICATION_PUBLISHED = "publication_published", "Published in the disclosure log"
        PUBLICATION_HELD = "publication_held", "Held back from the disclosure log"
        ENCLOSURE_ADDED = "enclosure_added", "Enclosure added"
        ENCLOSURE_CHANGED = "enclosure_changed", "Enclosure changed"
        ENCLOSURE_REMOVED = "enclosure_removed", "Enclosure removed"
        PUBLICATION_WITHDRAWN = "publication_withdrawn", "Withdrawn from the disclosure log"
        PUBLICATION_REPUBLISHED = "publication_republished", "Published again in the disclosure log"
        DEADLINE_MOVED_BY_CALENDAR = (
            "deadline_moved_by_calendar",
            "Deadline moved by a bank holiday change",
        )

    case = models.ForeignKey("responses.Case", on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The actor's name when it happened: renaming a user does not rewrite the history.
    actor_name = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=60, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = CaseEventManager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.case} {self.action}"

    @property
    def label(self):
        return self.get_action_display()
