"""What /verify/ answers: is this PDF, or this SHA-256, one we made?

Three kinds of file are ours: a letter as issued to the requester (``IssuedDocument``),
the disclosure log's public copy of one (``PublicCopy``), and an enclosure sent with an
issued letter (``FrozenEnclosure`` of the issued version: named by its annex and letter,
never by its title, which may not be public). A public copy counts only once
it has been published: a copy made but still waiting, scheduled or held back has never
left the building, so nobody outside can hold it and it is not confirmed to exist. A
withdrawn entry's copy is still recognised as genuine, with when it was withdrawn; the
page then names nothing of its content.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from responses.models import FrozenEnclosure, IssuedDocument, Publication, PublicCopy

# The public copies /verify/ recognises: published once, whether or not withdrawn since.
RECOGNISED_PUBLIC = (Publication.Status.PUBLISHED, Publication.Status.WITHDRAWN)


@dataclass(frozen=True)
class Verdict:
    fingerprint: str
    document: IssuedDocument | None = None
    public_copy: PublicCopy | None = None
    # The same file can be enclosed with more than one letter (a correction repeats it).
    enclosures: tuple[FrozenEnclosure, ...] = ()

    @property
    def is_ours(self) -> bool:
        return self.document is not None or self.public_copy is not None or bool(self.enclosures)

    @property
    def publication(self) -> Publication | None:
        return self.public_copy.publication if self.public_copy else None

    @property
    def withdrawn(self) -> bool:
        publication = self.publication
        return publication is not None and publication.status == Publication.Status.WITHDRAWN


def fingerprint_of(upload) -> str:
    """The SHA-256 of an uploaded file, read in chunks."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def identify(fingerprint: str) -> Verdict:
    """The issued letter or published public copy with exactly this SHA-256, if any."""
    document = (
        IssuedDocument.objects.select_related("version__letter__case__authority")
        .filter(sha256=fingerprint)
        .first()
    )
    if document is not None:
        return Verdict(fingerprint, document=document)
    public_copy = (
        PublicCopy.objects.select_related("publication__letter__case__authority")
        .filter(sha256=fingerprint, publication__status__in=RECOGNISED_PUBLIC)
        .first()
    )
    if public_copy is not None:
        return Verdict(fingerprint, public_copy=public_copy)
    enclosures = (
        FrozenEnclosure.objects.select_related(
            "version__issued_document", "version__letter__case__authority"
        )
        .filter(stored__sha256=fingerprint, version__issued_document__isnull=False)
        .order_by("version__issued_document__issued_at", "position")
    )
    return Verdict(fingerprint, enclosures=tuple(enclosures))
