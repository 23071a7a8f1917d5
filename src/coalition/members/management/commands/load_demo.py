"""Load the deterministic demo data; `make run` calls it after `migrate`."""

from django.core.management.base import BaseCommand

from coalition.members.demo import load_demo_data


class Command(BaseCommand):
    help = (
        "Load the demo organizations, people, working groups, applications and accounts. "
        "Idempotent: creates what is missing and never changes what exists."
    )

    def handle(self, *args, **options):
        summary = load_demo_data()
        self.stdout.write(self.style.SUCCESS(str(summary)))
