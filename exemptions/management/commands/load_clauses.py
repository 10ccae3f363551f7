"""Load or refresh the standard clause library from YAML (safe to run on every deploy)."""

from django.core.management.base import BaseCommand, CommandError

from exemptions.library import DEFAULT_CLAUSES, ClauseLibraryError, load_clauses


class Command(BaseCommand):
    help = (
        "Validate the clause library and load it: new clauses are created, changed ones get "
        "a new version, unchanged ones are left alone. Run load_catalogue first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            default=str(DEFAULT_CLAUSES),
            help="Clause YAML to load (default: exemptions/fixtures/clauses.yaml).",
        )

    def handle(self, *args, **options):
        try:
            report = load_clauses(options["file"])
        except ClauseLibraryError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            self.stdout.write(report.summary())
