"""Documents kept in file storage (Django's storages API), written once, named by hash.

Issued PDFs and their public copies live in the ``default`` storage: files under
MEDIA_ROOT, or an S3-compatible bucket when STORAGE_BUCKET is set (settings.py). The
database keeps the name and the SHA-256; the name is the SHA-256, so a file is never
overwritten by another, and one that is already there is checked, not replaced.
"""

import hashlib

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import models


class StoredFileMismatch(ImproperlyConfigured):
    """A file of that name is already stored with other content: the store was tampered
    with, or two records claim one hash. Nothing is overwritten."""


def sha256_of(data):
    return hashlib.sha256(bytes(data)).hexdigest()


def read_stored(storage, name):
    with storage.open(name, "rb") as file:
        return file.read()


def store_once(storage, name, data):
    """Save ``data`` as ``name`` unless it is already there with the same bytes; never
    overwrite. Returns the name."""
    data = bytes(data)
    if storage.exists(name):
        if sha256_of(read_stored(storage, name)) != sha256_of(data):
            raise StoredFileMismatch(f"{name} is already stored with different content.")
        return name
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        # Another process stored the same name between our check and our save, and the
        # storage kept both: keep theirs if it is the same document.
        storage.delete(saved)
        return store_once(storage, name, data)
    return name


class StoredPdf(models.Model):
    """A write-once record whose PDF is a file in storage.

    ``pdf`` reads like the bytes it always was; set it (or pass ``pdf=`` to the
    constructor) before the first save, which stores the file under its SHA-256.
    """

    # The folder in storage; the file name is the SHA-256.
    storage_folder = ""

    file = models.FileField(max_length=200, editable=False)

    class Meta:
        abstract = True

    @property
    def pdf(self):
        if getattr(self, "_pdf_bytes", None) is None:
            self._pdf_bytes = read_stored(self.file.storage, self.file.name)
        return self._pdf_bytes

    @pdf.setter
    def pdf(self, data):
        self._pdf_bytes = bytes(data)

    def storage_name(self):
        return f"{self.storage_folder}/{self.sha256}.pdf"

    def save(self, *args, **kwargs):
        if self._state.adding and getattr(self, "_pdf_bytes", None) is not None:
            self.sha256 = self.sha256 or sha256_of(self._pdf_bytes)
            self.file.name = store_once(self.file.storage, self.storage_name(), self._pdf_bytes)
        super().save(*args, **kwargs)
