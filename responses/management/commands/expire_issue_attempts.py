from django.core.management.base import BaseCommand

from responses import workflow


class Command(BaseCommand):
    help = (
        "Mark failed every issue attempt whose worker died (its lease ran out), so the "
        "letter can be issued again or reopened. Run it from cron every few minutes."
    )

    def handle(self, *args, **options):
        expired = workflow.expire_lapsed_issue_attempts()
        self.stdout.write(f"{expired} lapsed issue attempt(s) marked failed.")
