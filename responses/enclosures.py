"""Enclosures: attaching released material to a draft letter, and freezing it on submit.

Files are checked twice over: by the extensions the authority allows
(``settings.ENCLOSURE_TYPES``) and by their first bytes, so a renamed program is not
accepted as a PDF; and by size (``settings.ENCLOSURE_MAX_MB``). The media type served
later is ours, from the extension, never the browser's. Every change is to a draft only,
is recorded in the case history, and counts as editing the letter (whoever attaches a
file cannot approve the letter).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import File
from django.db import transaction

from responses.drafting.wording import DraftingError
from responses.models import (
    CaseEvent,
    Enclosure,
    EnclosureFile,
    FrozenEnclosure,
    Letter,
    LetterVersion,
)
from responses.models.enclosures import annex_letter, sha256_of
from responses.rendering.context import provision_label

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

    from exemptions.models import Exemption

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _starts(*signatures):
    return lambda head, file: head.startswith(signatures)


def _zip_with(member):
    """An Office Open XML or OpenDocument file: a zip holding its manifest."""

    def sniff(head, file):
        if not head.startswith(ZIP):
            return False
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                return member in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            file.seek(0)

    return sniff


def _text(head, file):
    """CSV and plain text: no NUL bytes, and readable as UTF-8 or Windows-1252."""
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of what was read is still text.
            if encoding == "utf-8" and error.start >= len(head) - 3:
                return True
    return False


# Extension: (media type, what the file must look like, what people call it).
KNOWN_TYPES = {
    "pdf": ("application/pdf", _starts(b"%PDF-"), "PDF"),
    "csv": ("text/csv", _text, "CSV"),
    "txt": ("text/plain", _text, "text"),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _zip_with("[Content_Types].xml"),
        "Excel",
    ),
    "xls": ("application/vnd.ms-excel", _starts(OLE), "Excel 97-2003"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _zip_with("[Content_Types].xml"),
        "Word",
    ),
    "doc": ("application/msword", _starts(OLE), "Word 97-2003"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _zip_with("[Content_Types].xml"),
        "PowerPoint",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", _zip_with("mimetype"), "OpenDocument text"),
    "ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        _zip_with("mimetype"),
        "OpenDocument spreadsheet",
    ),
    "odp": (
        "application/vnd.oasis.opendocument.presentation",
        _zip_with("mimetype"),
        "OpenDocument presentation",
    ),
    "png": ("image/png", _starts(b"\x89PNG\r\n\x1a\n"), "PNG image"),
    "jpg": ("image/jpeg", _starts(b"\xff\xd8\xff"), "JPEG image"),
    "jpeg": ("image/jpeg", _starts(b"\xff\xd8\xff"), "JPEG image"),
    "gif": ("image/gif", _starts(b"GIF87a", b"GIF89a"), "GIF image"),
}
UNSAFE_NAME = re.compile(r"[^\w.\- ()]+")


class EnclosureError(DraftingError):
    """An enclosure that cannot be taken, with the reason for the officer."""


def allowed_extensions() -> list[str]:
    return [ext.lower() for ext in settings.ENCLOSURE_TYPES if ext.lower() in KNOWN_TYPES]


def max_bytes() -> int:
    return settings.ENCLOSURE_MAX_MB * 1024 * 1024


def describe_limits() -> str:
    """What the upload field's hint says."""
    kinds = ", ".join(ext.upper() for ext in allowed_extensions())
    return f"{kinds}; up to {settings.ENCLOSURE_MAX_MB} MB."


def clean_file_name(name: str) -> str:
    """The name as the requester will see it: no folders, no odd characters."""
    name = PurePosixPath(name.replace("\\", "/")).name
    stem, dot, ext = name.rpartition(".")
    stem = UNSAFE_NAME.sub("-", stem if dot else name).strip(" .-") or "enclosure"
    return f"{stem[:150]}.{ext.lower()}" if dot else stem[:150]


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(the file's clean name, its media type), or EnclosureError saying what is wrong."""
    name = clean_file_name(upload.name or "")
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    allowed = allowed_extensions()
    if ext not in allowed:
        kinds = ", ".join(e.upper() for e in allowed)
        raise EnclosureError(
            f"“{name}” is not a kind of file that can be enclosed. Use one of: {kinds}."
        )
    if upload.size == 0:
        raise EnclosureError(f"“{name}” is empty.")
    if upload.size > max_bytes():
        size_mb = upload.size / (1024 * 1024)
        raise EnclosureError(
            f"“{name}” is {size_mb:.1f} MB; the largest file that can be enclosed is "
            f"{settings.ENCLOSURE_MAX_MB} MB. Split it or compress it."
        )
    media_type, looks_right, label = KNOWN_TYPES[ext]
    upload.seek(0)
    head = upload.read(65536)
    upload.seek(0)
    if not looks_right(head, upload):
        raise EnclosureError(
            f"“{name}” is called .{ext} but is not a {label} file. Save it again as {label}, "
            "or enclose it in the format it really is."
        )
    return name, media_type


def _require_draft(letter: Letter) -> None:
    if letter.status != Letter.Status.DRAFT:
        raise DraftingError("Enclosures can only be changed while the letter is a draft.")


def _lock(letter: Letter) -> Letter:
    locked = Letter.objects.select_for_update().get(pk=letter.pk)
    _require_draft(locked)
    return locked


def _edited(letter: Letter, actor, action: str, enclosure: Enclosure, **details) -> None:
    """An enclosure change is an edit of the letter: a new revision, and in the history."""
    letter.revision += 1
    letter.updated_by = actor if actor is not None and actor.is_authenticated else None
    letter.save(update_fields=["revision", "updated_by", "updated_at"])
    CaseEvent.objects.record(
        letter.case,
        action,
        actor,
        letter=letter.pk,
        revision=letter.revision,
        enclosure=enclosure.pk,
        title=enclosure.title,
        **details,
    )


def _clean_marks(redacted, exemptions, not_for_publication, title):
    title = (title or "").strip()
    if not title:
        raise EnclosureError("Give the enclosure a title, as the letter will list it.")
    exemptions = list(exemptions or [])
    if redacted and not exemptions:
        raise EnclosureError("Choose the provisions the redactions were made under.")
    return title, (exemptions if redacted else []), bool(not_for_publication)


@transaction.atomic
def add_enclosure(
    letter: Letter,
    *,
    actor: User,
    upload: UploadedFile,
    title: str,
    redacted: bool = False,
    exemptions: Iterable[Exemption] = (),
    not_for_publication: bool = False,
) -> Enclosure:
    letter = _lock(letter)
    title, exemptions, not_for_publication = _clean_marks(
        redacted, exemptions, not_for_publication, title
    )
    count = letter.enclosures.count()
    if count >= settings.ENCLOSURES_PER_LETTER:
        raise EnclosureError(
            f"A letter can carry at most {settings.ENCLOSURES_PER_LETTER} enclosures: "
            "combine some into one file."
        )
    file_name, media_type = check_upload(upload)
    enclosure = Enclosure(
        letter=letter,
        position=(max((e.position for e in letter.enclosures.all()), default=0) + 1),
        title=title,
        file_name=file_name,
        media_type=media_type,
        size=upload.size,
        sha256=sha256_of(upload),
        redacted=bool(exemptions),
        not_for_publication=not_for_publication,
        uploaded_by=actor,
    )
    enclosure.file.save(file_name, upload, save=False)
    enclosure.save()
    enclosure.redaction_exemptions.set(exemptions)
    _edited(letter, actor, CaseEvent.Action.ENCLOSURE_ADDED, enclosure, sha256=enclosure.sha256)
    return enclosure


@transaction.atomic
def change_enclosure(
    enclosure: Enclosure,
    *,
    actor: User,
    title: str,
    redacted: bool = False,
    exemptions: Iterable[Exemption] = (),
    not_for_publication: bool = False,
    upload: UploadedFile | None = None,
) -> Enclosure:
    """Change the title or marks, and replace the file if a new one is given."""
    letter = _lock(enclosure.letter)
    enclosure = Enclosure.objects.select_for_update().get(pk=enclosure.pk, letter=letter)
    title, exemptions, not_for_publication = _clean_marks(
        redacted, exemptions, not_for_publication, title
    )
    old_file = None
    if upload is not None:
        enclosure.file_name, enclosure.media_type = check_upload(upload)
        enclosure.size = upload.size
        enclosure.sha256 = sha256_of(upload)
        old_file = enclosure.file.name
        enclosure.file.save(enclosure.file_name, upload, save=False)
    enclosure.title = title
    enclosure.redacted = bool(exemptions)
    enclosure.not_for_publication = not_for_publication
    enclosure.save()
    enclosure.redaction_exemptions.set(exemptions)
    if old_file:
        storage = enclosure.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    _edited(
        letter,
        actor,
        CaseEvent.Action.ENCLOSURE_CHANGED,
        enclosure,
        sha256=enclosure.sha256,
        file_replaced=upload is not None,
    )
    return enclosure


@transaction.atomic
def remove_enclosure(enclosure: Enclosure, *, actor: User) -> None:
    letter = _lock(enclosure.letter)
    enclosure = Enclosure.objects.get(pk=enclosure.pk, letter=letter)
    name, storage = enclosure.file.name, enclosure.file.storage
    _edited(letter, actor, CaseEvent.Action.ENCLOSURE_REMOVED, enclosure)
    enclosure.delete()
    for position, other in enumerate(letter.enclosures.order_by("position", "pk"), start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])
    # The draft's own copy goes once the removal is committed; frozen copies stay.
    transaction.on_commit(lambda: storage.delete(name))


def _stored_file(enclosure: Enclosure) -> EnclosureFile:
    """The write-once copy of a draft enclosure's bytes, made the first time they are seen."""
    existing = EnclosureFile.objects.filter(sha256=enclosure.sha256).first()
    if existing is not None:
        return existing
    with enclosure.file.open("rb") as source:
        data = source.read()
    if sha256_of(io.BytesIO(data)) != enclosure.sha256:
        raise DraftingError(
            f"The file of “{enclosure.title}” has changed in storage since it was uploaded: "
            "upload it again."
        )
    stored = EnclosureFile(sha256=enclosure.sha256, size=len(data))
    stored.file.save(enclosure.sha256, File(io.BytesIO(data)), save=False)
    stored.save()
    return stored


def freeze(letter: Letter, version: LetterVersion) -> list[FrozenEnclosure]:
    """Freeze the letter's enclosures into ``version``, Annex A, B ... in order.

    Runs inside submit_letter's transaction. The version's text (its HTML and
    decision.json) was made from the same rows, so it lists exactly these.
    """
    frozen = []
    enclosures = letter.enclosures.prefetch_related("redaction_exemptions__regime")
    for index, enclosure in enumerate(enclosures):
        frozen.append(
            FrozenEnclosure.objects.create(
                version=version,
                position=index + 1,
                annex=annex_letter(index),
                title=enclosure.title,
                file_name=enclosure.file_name,
                media_type=enclosure.media_type,
                stored=_stored_file(enclosure),
                redacted=enclosure.redacted,
                redaction_provisions=redaction_labels(enclosure),
                redaction_exemption_ids=[e.pk for e in enclosure.redaction_exemptions.all()],
                not_for_publication=enclosure.not_for_publication,
            )
        )
    return frozen


def carry_into(version: LetterVersion, correction: Letter) -> list[Enclosure]:
    """A correction starts with the enclosures of the version it corrects (copies of their
    files: the correction's drafts can change; the issued ones cannot)."""
    carried = []
    for frozen in version.enclosures.select_related("stored"):
        with frozen.stored.file.open("rb") as source:
            data = source.read()
        enclosure = Enclosure(
            letter=correction,
            position=frozen.position,
            title=frozen.title,
            file_name=frozen.file_name,
            media_type=frozen.media_type,
            size=len(data),
            sha256=frozen.stored.sha256,
            redacted=frozen.redacted,
            not_for_publication=frozen.not_for_publication,
            uploaded_by=correction.updated_by,
        )
        enclosure.file.save(frozen.file_name, File(io.BytesIO(data)), save=False)
        enclosure.save()
        enclosure.redaction_exemptions.set(frozen.redaction_exemption_ids)
        carried.append(enclosure)
    return carried


def redaction_labels(enclosure: Enclosure) -> list[str]:
    return [
        provision_label(exemption.regime.code, exemption.cited_section)
        for exemption in enclosure.redaction_exemptions.all()
    ]


def check_stored(version: LetterVersion) -> None:
    """Before a version is issued: every enclosure's file is still in storage with the bytes
    it was frozen with (storage outside the database, such as S3, can lose or change one)."""
    for frozen in version.enclosures.select_related("stored"):
        try:
            with frozen.stored.file.open("rb") as file:
                digest = sha256_of(file)
        except (OSError, ValueError):
            digest = None
        if digest != frozen.stored.sha256:
            raise DraftingError(
                f"The file of Annex {frozen.annex} (“{frozen.title}”) is missing or has "
                "changed in storage, so the letter was not issued. Reopen the letter and "
                "enclose the file again."
            )


def issued_enclosure(pk: int, cases) -> FrozenEnclosure | None:
    """An enclosure of a letter issued on one of ``cases`` (the requester's own)."""
    return (
        FrozenEnclosure.objects.select_related("stored", "version__letter__case")
        .filter(pk=pk, version__issued_document__isnull=False, version__letter__case__in=cases)
        .first()
    )


def public_enclosures(document) -> list[FrozenEnclosure]:
    """The enclosures of an issued letter that the disclosure log shows."""
    return list(
        FrozenEnclosure.objects.select_related("stored").filter(
            version=document.version, not_for_publication=False
        )
    )


def omitted_count(document) -> int:
    return FrozenEnclosure.objects.filter(
        version=document.version, not_for_publication=True
    ).count()
