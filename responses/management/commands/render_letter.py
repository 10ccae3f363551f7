"""Write a case's current letter to a PDF (or HTML) file, or every case's to a folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from responses import snapshots
from responses.models import Case, IssuedDocument, Letter
from responses.rendering import RenderError
from responses.rendering.html import render_letter_html
from responses.rendering.pdf import render_letter_pdf


class Command(BaseCommand):
    help = (
        "Write the current letter (the latest started) of the case with the given "
        "reference, or with --all of every case into a folder. A draft is rendered and "
        "marked DRAFT; an issued letter is written exactly as issued."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "reference", nargs="?", help="The case reference, e.g. FOI/2026/000123."
        )
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            help="The file to write; with --all, the folder (made if missing).",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="Every case with a letter, each as <reference with / as ->.pdf (or .html).",
        )
        parser.add_argument(
            "--html", action="store_true", help="Write the HTML preview instead of a PDF."
        )

    def handle(self, *args, reference, output, all, html, **options):
        if all == bool(reference):
            raise CommandError("Give either a case reference or --all.")
        if all:
            return self.write_all(Path(output), html)
        case = Case.objects.filter(reference=reference.strip()).first()
        if case is None:
            raise CommandError(f"There is no case with the reference {reference!r}.")
        letter = current_letter(case)
        if letter is None:
            raise CommandError(f"Case {case.reference} has no letter yet.")
        state = write(letter, Path(output), html)
        self.stdout.write(f"Wrote the {state} letter for {case.reference} to {output}.")

    def write_all(self, folder, html):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot make {folder}: {error.strerror}.") from None
        written, failed = 0, []
        for case in Case.objects.order_by("reference"):
            letter = current_letter(case)
            if letter is None:
                continue
            name = case.reference.replace("/", "-") + (".html" if html else ".pdf")
            try:
                write(letter, folder / name, html)
            except CommandError as error:
                failed.append(f"{case.reference}: {error}")
                continue
            written += 1
        for failure in failed:
            self.stderr.write(failure)
        self.stdout.write(f"Wrote {written} letters to {folder}.")
        if failed:
            raise CommandError(f"{len(failed)} letters could not be written (listed above).")


def current_letter(case):
    return case.letters.order_by("-created_at", "-pk").first()


def write(letter, path, html):
    """Write ``letter`` to ``path``; returns "draft" or "issued (SHA-256 ...)"."""
    issued = (
        IssuedDocument.objects.filter(version__letter=letter)
        .select_related("version")
        .order_by("-issued_at")
        .first()
    )
    try:
        if issued is not None:
            # An issued letter is a record: never rendered again, served as stored.
            if html:
                content = snapshots.screen_html(issued.version).encode()
            else:
                content = bytes(issued.pdf)
            state = f"issued (SHA-256 {issued.sha256})"
        else:
            draft = letter.status != Letter.Status.ISSUED
            if html:
                content = render_letter_html(letter, draft=draft).encode()
            else:
                content = render_letter_pdf(letter, draft=draft)
            state = "draft" if draft else "issued"
    except RenderError as error:
        raise CommandError(str(error)) from None
    try:
        path.write_bytes(content)
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
    return state
