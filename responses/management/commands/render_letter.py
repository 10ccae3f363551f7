"""Write a case's current response letter to a PDF (or HTML) file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from responses import snapshots
from responses.models import Case, IssuedDocument, Letter
from responses.rendering import RenderError
from responses.rendering.html import render_letter_html
from responses.rendering.pdf import render_letter_pdf


class Command(BaseCommand):
    help = (
        "Write the latest response letter of the case with the given reference. A draft "
        "is rendered and marked DRAFT; an issued letter is written exactly as issued."
    )

    def add_arguments(self, parser):
        parser.add_argument("reference", help="The case reference, e.g. FOI/2026/000123.")
        parser.add_argument("-o", "--output", required=True, help="The file to write.")
        parser.add_argument(
            "--html", action="store_true", help="Write the HTML preview instead of a PDF."
        )

    def handle(self, *args, reference, output, html, **options):
        case = Case.objects.filter(reference=reference.strip()).first()
        if case is None:
            raise CommandError(f"There is no case with the reference {reference!r}.")
        letter = case.letters.filter(kind=Letter.Kind.RESPONSE).order_by("-created_at").first()
        if letter is None:
            raise CommandError(f"Case {case.reference} has no response letter yet.")
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
            Path(output).write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stdout.write(f"Wrote the {state} response letter for {case.reference} to {output}.")
