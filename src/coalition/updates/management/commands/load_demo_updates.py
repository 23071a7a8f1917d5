"""Load the demo Update; `make run` calls it after `load_demo_activities`."""

from django.core.management.base import BaseCommand

from coalition.updates.demo import load_demo_updates


class Command(BaseCommand):
    help = (
        "Load the demo Update: the March 2023 issue rebuilt from the demo activities in "
        "English, French and Arabic and recorded as sent (nothing is e-mailed), a draft for "
        "the current month, and 400 subscribers. Loads the activities demo first if it is "
        "missing. Idempotent: creates what is missing and never changes what exists."
    )

    def handle(self, *args, **options):
        summary = load_demo_updates()
        self.stdout.write(self.style.SUCCESS(str(summary)))
