"""Load or refresh the exemption catalogue from YAML (safe to run on every deploy)."""

from django.core.management.base import BaseCommand, CommandError

from exemptions.catalogue import DEFAULT_CATALOGUE, CatalogueError, load_catalogue


class Command(BaseCommand):
    help = "Validate the exemption catalogue and create or update regimes and exemptions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            default=str(DEFAULT_CATALOGUE),
            help="Catalogue YAML to load (default: exemptions/fixtures/catalogue.yaml).",
        )

    def handle(self, *args, **options):
        try:
            report = load_catalogue(options["file"])
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            self.stdout.write(report.summary())
