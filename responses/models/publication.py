"""The disclosure log: issued responses published without the requester's identity.

A ``Publication`` is the officer's choice for one letter (publish, when, or not and why) and
where that entry stands now (waiting, published, held back, withdrawn). Its status changes
only through ``responses.workflow.publication``. The public copy itself (``PublicCopy``) is
a second rendering of the letter made once, when the letter is issued, and never changed:
like the issued PDF, it is served as stored and can be checked at /verify/ by its SHA-256.
"""

import hashlib
import re

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from responses.models.stored_files import StoredPdf
from responses.models.write_once import WriteOnceModel

SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


def reference_slug(reference):
    """'FOI/2026/000123' -> 'foi-2026-000123'."""
    return SLUG_UNSAFE.sub("-", reference.lower()).strip("-")


class PublicationQuerySet(models.QuerySet):
    def listed(self):
        """What the public list, feed and API show: published and not withdrawn."""
        return self.filter(status=Publication.Status.PUBLISHED, copy__isnull=False)


class Publication(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "To be published when the letter is issued"
        SCHEDULED = "scheduled", "To be published on a later date"
        PUBLISHED = "published", "Published"
        HELD = "held", "Held back: the public copy names the requester"
        NOT_PUBLISHED = "not_published", "Not published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    letter = models.OneToOneField(
        "responses.Letter", on_delete=models.PROTECT, related_name="publication"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # Why it is not published (the officer's reason), or held (where the requester was found).
    reason = models.TextField(blank=True)
    publish_on = models.DateField(
        null=True, blank=True, help_text="Publish on this date rather than when issued."
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when the public copy is made (at issue), so the public URL never changes.
    slug = models.SlugField(max_length=60, unique=True, null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # What the list filters on, copied from the case when the public copy is made.
    # Bars around each value ("|ncnd|withheld|") let one `contains` filter work on every
    # database.
    regime_code = models.CharField(max_length=10, blank=True, db_index=True)
    outcomes = models.CharField(max_length=300, blank=True)
    provisions = models.CharField(max_length=500, blank=True)
    # PostgreSQL's full-text index of the public text (SQLite uses an FTS5 table instead:
    # responses.disclosure_log.search).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            GinIndex(fields=["search_vector"], name="publication_search_gin"),
            models.Index(fields=["status", "published_at", "id"], name="publication_keyset"),
        ]

    def __str__(self):
        return f"{self.letter}: {self.get_status_display()}"

    @property
    def is_listed(self):
        return self.status == self.Status.PUBLISHED

    @property
    def outcome_codes(self):
        return [code for code in self.outcomes.split("|") if code]

    @property
    def provision_list(self):
        return [provision for provision in self.provisions.split("|") if provision]

    @staticmethod
    def barred(values):
        values = [value for value in values if value]
        return f"|{'|'.join(values)}|" if values else ""


class PublicCopy(StoredPdf, WriteOnceModel):
    """The public rendering of an issued letter: made once, stored, served as stored.

    The PDF is a file in storage (``public/<sha256>.pdf``; models/stored_files.py).
    """

    storage_folder = "public"

    publication = models.OneToOneField(Publication, on_delete=models.PROTECT, related_name="copy")
    document = models.OneToOneField(
        "responses.IssuedDocument", on_delete=models.PROTECT, related_name="public_copy"
    )
    sha256 = models.CharField(max_length=64, unique=True)
    # The public letter as HTML (made for the PDF, no styles), and its words as plain text
    # for the search index and the check that the requester is not named.
    html = models.TextField()
    text = models.TextField()
    # decision.json as attached to the public PDF: what the API returns per question.
    data = models.JSONField(default=dict)
    # What the log calls the entry after its reference: the case's subject when the copy
    # was made. Kept here, and checked for the requester like the letter, because the
    # subject is an officers' label that can still change after the letter is issued.
    title = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "public copies"

    @property
    def heading(self):
        """How the log lists the entry, for example "FOI/2026/000123: drones"."""
        reference = self.publication.letter.case.reference
        return f"{reference}: {self.title}" if self.title else reference

    def __str__(self):
        return f"Public copy of {self.document}"

    @staticmethod
    def digest(data):
        return hashlib.sha256(bytes(data)).hexdigest()
