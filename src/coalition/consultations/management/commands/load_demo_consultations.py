"""Load the demo consultation of July 2020; `make run` calls it after the other demos."""

from django.core.management.base import BaseCommand

from coalition.consultations.demo import load_demo_consultations


class Command(BaseCommand):
    help = (
        "Load the July 2020 consultation: six sessions, the online survey and its demo "
        "responses, comments per working group and a published report. Loads the members "
        "demo first. Idempotent: a second run creates nothing."
    )

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(str(load_demo_consultations())))
