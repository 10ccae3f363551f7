import datetime

from django.core.management.base import BaseCommand

from responses.reminders import send_reminders


class Command(BaseCommand):
    help = "Email deadline reminders (5 working days before, on the day) and the overdue list."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Pretend today is this ISO date."
        )

    def handle(self, *args, today=None, **options):
        sent = send_reminders(today=today)
        for line in sent:
            self.stdout.write(line)
        self.stdout.write(f"{len(sent)} reminder(s) sent.")
