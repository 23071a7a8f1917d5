"""Load the deterministic demo activities; `make run` calls it after `load_demo`."""

from django.core.management.base import BaseCommand

from coalition.activities.demo import load_demo_activities


class Command(BaseCommand):
    help = (
        "Load the demo activities: the seed documents' events and calls, a few hundred more "
        "across kinds, action areas, regions and languages, registrations and a moderation "
        "queue. Loads the members demo first. Idempotent: creates what is missing and never "
        "changes what exists."
    )

    def handle(self, *args, **options):
        summary = load_demo_activities()
        self.stdout.write(self.style.SUCCESS(str(summary)))
