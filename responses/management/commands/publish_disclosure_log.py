"""Daily: publish the disclosure log entries whose date has come (and retry any public
copy that could not be made when its letter was issued)."""

from django.core.management.base import BaseCommand

from responses import publishing


class Command(BaseCommand):
    help = "Publish the disclosure log entries that are due."

    def handle(self, *args, **options):
        published = publishing.publish_due()
        for entry in published:
            self.stdout.write(f"published {entry.slug}")
        self.stdout.write(f"{len(published)} entr{'y' if len(published) == 1 else 'ies'} published")
