"""Issued PDFs and public copies move from database columns into file storage.

Each PDF is written to the default storage as <folder>/<sha256>.pdf (never over a file
that is there with other bytes) and its stored SHA-256 is checked against the bytes
before the column is dropped: a mismatch stops the migration with nothing lost.
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models

MOVES = [("IssuedDocument", "issued"), ("PublicCopy", "public")]


def store_once(name, data):
    # A copy of models.stored_files.store_once as it is today: migrations must not import
    # code that may change.
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as file:
            if hashlib.sha256(file.read()).hexdigest() != hashlib.sha256(data).hexdigest():
                raise RuntimeError(f"{name} is already stored with different content.")
        return name
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        raise RuntimeError(f"{name} was stored as {saved}.")
    return name


def pdfs_to_storage(apps, schema_editor):
    for model_name, folder in MOVES:
        model = apps.get_model("responses", model_name)
        for pk, pdf, sha256 in model.objects.values_list("pk", "pdf", "sha256").iterator():
            data = bytes(pdf)
            if hashlib.sha256(data).hexdigest() != sha256:
                raise RuntimeError(f"{model_name} {pk}: the stored PDF does not match its SHA-256.")
            name = store_once(f"{folder}/{sha256}.pdf", data)
            model.objects.filter(pk=pk).update(file=name)


def pdfs_to_database(apps, schema_editor):
    for model_name, _folder in MOVES:
        model = apps.get_model("responses", model_name)
        for pk, name in model.objects.values_list("pk", "file").iterator():
            with default_storage.open(name, "rb") as file:
                model.objects.filter(pk=pk).update(pdf=file.read())


class Migration(migrations.Migration):
    dependencies = [("responses", "0020_notification_setting")]

    operations = [
        migrations.AddField(
            model_name="issueddocument",
            name="file",
            field=models.FileField(default="", editable=False, max_length=200, upload_to=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="publiccopy",
            name="file",
            field=models.FileField(default="", editable=False, max_length=200, upload_to=""),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="issueddocument", name="pdf", field=models.BinaryField(default=b"")
        ),
        migrations.AlterField(
            model_name="publiccopy", name="pdf", field=models.BinaryField(default=b"")
        ),
        migrations.RunPython(pdfs_to_storage, pdfs_to_database, elidable=False),
        migrations.RemoveField(model_name="issueddocument", name="pdf"),
        migrations.RemoveField(model_name="publiccopy", name="pdf"),
    ]
