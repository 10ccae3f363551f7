from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from responses.models.stored_files import StoredPdf, read_stored, sha256_of


class Command(BaseCommand):
    help = (
        "Read every stored document (issued PDFs, public copies) back from storage and "
        "check it against the SHA-256 the database holds. Run it after a restore; exits "
        "with status 1 if any file is missing or changed."
    )

    def handle(self, *args, **options):
        checked, problems = 0, []
        for model in apps.get_models():
            if not issubclass(model, StoredPdf):
                continue
            for record in model.objects.only("pk", "file", "sha256").iterator():
                checked += 1
                label = f"{model._meta.verbose_name} {record.pk} ({record.file.name})"
                try:
                    data = read_stored(record.file.storage, record.file.name)
                except Exception as error:  # noqa: BLE001 - whatever the storage raises
                    problems.append(f"{label}: cannot be read ({error})")
                    continue
                if sha256_of(data) != record.sha256:
                    problems.append(f"{label}: does not match its SHA-256")
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} of {checked} stored documents failed the check.")
        self.stdout.write(f"All {checked} stored documents match their SHA-256.")
