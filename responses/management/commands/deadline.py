"""Print how a response deadline is worked out, ending with the date itself."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from responses.deadlines import explain_deadline
from responses.working_days import CODE_2018_RULE, ICO_RULE, REGIME_CALENDARS


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date; write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Work out a response deadline from the date a request was received. "
        "The last line is 'deadline: YYYY-MM-DD'."
    )

    def add_arguments(self, parser):
        parser.add_argument("received", help="Date of receipt, YYYY-MM-DD.")
        parser.add_argument("--regime", choices=sorted(REGIME_CALENDARS), default="FOIA")
        parser.add_argument(
            "--extension-days",
            type=int,
            default=0,
            help="Further working days, e.g. 20 for a public interest extension.",
        )
        parser.add_argument(
            "--rule",
            choices=[ICO_RULE, CODE_2018_RULE],
            default=None,
            help="Receipt rule; defaults to settings.DEADLINE_RECEIPT_RULE.",
        )

    def handle(self, *args, received, regime, extension_days, rule, **options):
        if extension_days < 0:
            raise CommandError("--extension-days cannot be negative.")
        explanation = explain_deadline(
            iso_date(received), regime, extension_days=extension_days, rule=rule
        )
        for line in explanation.lines:
            self.stdout.write(line)
        self.stdout.write(f"deadline: {explanation.deadline.isoformat()}")
