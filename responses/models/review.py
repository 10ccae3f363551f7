"""Review and issue: frozen letter versions, reviewers' verdicts, issued PDFs, requester links.

A submitted version, a verdict on it and an issued PDF are legal records: they are
written once and never changed or deleted, by the model or by a queryset.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from responses.models.stored_files import StoredPdf
from responses.models.write_once import WriteOnceModel


class LetterVersion(WriteOnceModel):
    """What a letter said when it was submitted for review, frozen."""

    letter = models.ForeignKey(
        "responses.Letter", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    # [{"key", "heading", "paragraphs": [{"text", "clause_id", "edited"}]}], in letter order.
    sections = models.JSONField(default=list)
    # The letter's layout and outcome summary choice, frozen with the text.
    layout = models.CharField(max_length=20, default="sections", blank=True)
    include_outcome_summary = models.BooleanField(default=False)
    clause_ids = models.JSONField(default=list, help_text="Library clause versions used.")
    # The final (undrafted) letter exactly as the PDF will be made from it.
    html = models.TextField()
    # PDF metadata (title, authors, description, keywords) and embedded files
    # ([name, text, description]), frozen with the text so the PDF matches what was approved.
    pdf_metadata = models.JSONField(default=dict)
    pdf_attachments = models.JSONField(default=list)
    # The authority's logo as it was at submission: the PDF and the HTML version of an
    # issued letter show this one, whatever the logo is changed to later.
    logo_path = models.CharField(max_length=300, blank=True)
    logo_data = models.BinaryField(blank=True, default=b"")
    logo_type = models.CharField(max_length=40, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Everyone who wrote or edited this text since the last approval or return:
    # none of them may approve it.
    editor_ids = models.JSONField(default=list)
    # The case record the text was written from (request, questions, decisions), frozen with
    # it: approval is refused if the record has moved on (responses.snapshots.record_snapshot).
    record = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # The frozen letter itself, tens of kilobytes a version: pages that list versions or
    # documents defer these (``.defer(*LetterVersion.FROZEN_CONTENT)``).
    FROZEN_CONTENT = (
        "sections",
        "clause_ids",
        "html",
        "pdf_metadata",
        "pdf_attachments",
        "logo_data",
        "record",
    )

    class Meta:
        ordering = ["letter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="unique_version_number")
        ]

    def __str__(self):
        return f"{self.letter} v{self.number}"

    def assets(self):
        """{URL path: (bytes, media type)} of the files its HTML refers to, or None."""
        if not self.logo_path:
            return None
        return {self.logo_path: (bytes(self.logo_data), self.logo_type)}

    def previous(self):
        return (
            LetterVersion.objects.filter(letter_id=self.letter_id, number__lt=self.number)
            .order_by("-number")
            .first()
        )

    def section_texts(self):
        """{key: (heading, text)} with paragraphs joined by blank lines."""
        return {
            section["key"]: (
                section.get("heading", ""),
                "\n\n".join(p.get("text", "") for p in section.get("paragraphs", [])),
            )
            for section in self.sections
        }


class ReviewDecision(WriteOnceModel):
    """A reviewer's verdict on one version; one per version, so two approvals cannot both land."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned for changes"

    version = models.OneToOneField(LetterVersion, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.version}: {self.get_outcome_display()}"


class ReviewComment(WriteOnceModel):
    version = models.ForeignKey(LetterVersion, on_delete=models.PROTECT, related_name="comments")
    section_key = models.CharField(
        max_length=60, blank=True, help_text="Empty for a comment on the whole letter."
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.version} {self.section_key or 'letter'}: {self.text[:40]}"

    @property
    def section_heading(self):
        """The heading the reviewer saw ("Q1 & 2"), not the section's internal key."""
        for section in self.version.sections:
            if section["key"] == self.section_key:
                return section["heading"]
        return self.section_key


class InternalReviewOutcome(models.Model):
    """The finding an internal review letter carries; editable while the letter is a draft."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld: the original response stands"
        UPHELD_IN_PART = "upheld_in_part", "Upheld in part"
        OVERTURNED = "overturned", "Overturned: the original response is replaced"

    letter = models.OneToOneField(
        "responses.Letter", on_delete=models.CASCADE, related_name="review_outcome"
    )
    # Derived from the findings when the review went question by question
    # (ReviewQuestionFinding); chosen by the officer otherwise.
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    # The overall reasons; optional when every disputed question has its own.
    reasons = models.TextField(blank=True)

    def __str__(self):
        return self.get_outcome_display()


class IssuedDocument(StoredPdf, WriteOnceModel):
    """The PDF sent to the requester: rendered once, stored, served as stored.

    The PDF is a file in storage (``issued/<sha256>.pdf``; models/stored_files.py).
    """

    storage_folder = "issued"

    class Timeliness(models.TextChoices):
        IN_TIME = "in_time", "In time"
        WITHIN_EXTENSION = "within_extension", "Within a permitted extension"
        LATE = "late", "Late"

    version = models.OneToOneField(
        LetterVersion, on_delete=models.PROTECT, related_name="issued_document"
    )
    sha256 = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    timeliness = models.CharField(max_length=20, choices=Timeliness.choices, blank=True)
    working_days_late = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["issued_at"]

    def __str__(self):
        return f"{self.version} issued {self.issued_at:%d %b %Y}"

    @property
    def letter(self):
        return self.version.letter

    def timeliness_text(self):
        if self.timeliness == self.Timeliness.LATE:
            days = self.working_days_late
            return f"Late by {days} working day{'s' if days != 1 else ''}"
        return self.get_timeliness_display()

    @staticmethod
    def digest(data):
        return hashlib.sha256(bytes(data)).hexdigest()


class IssueAttempt(models.Model):
    """One try at issuing a version: progress for the officer's page, and why it failed.

    A waiting or running attempt holds a lease: if it is still waiting or running when
    ``lease_expires_at`` passes, its worker is taken to have died, and the workflow marks
    it failed (``workflow.expire_lapsed_issue_attempts``) so the letter can be issued again
    or reopened.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Producing the PDF"
        FAILED = "failed", "Failed"
        DONE = "done", "Issued"

    version = models.ForeignKey(LetterVersion, on_delete=models.PROTECT, related_name="attempts")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lease_expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A waiting or running attempt not finished by then is marked failed.",
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.version}: {self.get_status_display()}"

    @property
    def in_progress(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


class RequesterLinkQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class RequesterLink(models.Model):
    """A private link to one case for its requester; only the token's hash is stored."""

    case = models.ForeignKey("responses.Case", on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RequesterLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Link for {self.case}"

    def is_active(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
