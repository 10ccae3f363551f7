from django.core.management.base import BaseCommand, CommandError

from exemptions.models import Regime
from responses.demo import load_demo


class Command(BaseCommand):
    help = (
        "Create the demo authority, users (officer, reviewer, admin) and a demo case. Idempotent."
    )

    def handle(self, *args, **options):
        if not Regime.objects.filter(code=Regime.FOIA).exists():
            raise CommandError(
                "Load the exemption catalogue first: python manage.py load_catalogue"
            )
        result = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo case: {result.case.reference}"))
        self.stdout.write("Demo users: " + ", ".join(result.usernames))
        self.stdout.write(f"Demo password (all three): {result.password}")
