"""Enclosures: the released material sent with a letter (Annex A, B ...).

An ``Enclosure`` is the officer's working copy while the letter is a draft: its file, title
and marks can change, and removing it removes its file. Submitting the letter freezes each
enclosure into a ``FrozenEnclosure`` of that version, whose bytes are an ``EnclosureFile``:
stored once by SHA-256 (the same file submitted twice is kept once) and never changed, so
the version a reviewer approved and the requester received always has exactly the files
it had. Files go through Django's storages API (``STORAGES["default"]``), never the
database.
"""

import hashlib
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone

from exemptions.models import Exemption
from responses.models.write_once import WriteOnceModel


def annex_letter(index):
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA': how letters number their annexes."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def draft_path(instance, filename):
    # A random name: the officer's file name is kept in ``file_name``, never in the path.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"enclosures/drafts/{uuid.uuid4().hex}{suffix}"


def stored_path(instance, filename):
    return f"enclosures/sha256/{instance.sha256[:2]}/{instance.sha256}"


def sha256_of(file):
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


class Enclosure(models.Model):
    """A file the officer attached to a draft letter."""

    letter = models.ForeignKey(
        "responses.Letter", on_delete=models.CASCADE, related_name="enclosures"
    )
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=draft_path, max_length=200)
    file_name = models.CharField(max_length=200, help_text="The name it was uploaded with.")
    media_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Released with redactions under these provisions, which the letter must argue.
    redacted = models.BooleanField(default=False)
    redaction_exemptions = models.ManyToManyField(Exemption, blank=True, related_name="+")
    # Sent to the requester but left out of the disclosure log (available on request).
    not_for_publication = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["letter", "position", "pk"]

    def __str__(self):
        return self.title


class EnclosureFile(WriteOnceModel):
    """An enclosure's bytes as frozen with a letter version: stored once, by SHA-256."""

    sha256 = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to=stored_path, max_length=200)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.sha256


class FrozenEnclosure(WriteOnceModel):
    """An enclosure as it was in one submitted version of a letter."""

    version = models.ForeignKey(
        "responses.LetterVersion", on_delete=models.PROTECT, related_name="enclosures"
    )
    position = models.PositiveIntegerField()
    annex = models.CharField(max_length=4, help_text="A, B ... as the letter lists it.")
    title = models.CharField(max_length=200)
    file_name = models.CharField(max_length=200)
    media_type = models.CharField(max_length=120)
    stored = models.ForeignKey(EnclosureFile, on_delete=models.PROTECT, related_name="uses")
    redacted = models.BooleanField(default=False)
    # The provisions as the letter cites them ("section 40(2)").
    redaction_provisions = models.JSONField(default=list)
    # The catalogue rows behind them, so a correction starts with the same marks.
    redaction_exemption_ids = models.JSONField(default=list)
    not_for_publication = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "annex"], name="unique_annex_per_version")
        ]

    def __str__(self):
        return f"{self.version}: Annex {self.annex}"

    @property
    def sha256(self):
        return self.stored.sha256

    @property
    def size(self):
        return self.stored.size
