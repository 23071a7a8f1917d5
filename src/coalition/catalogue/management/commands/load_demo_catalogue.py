"""Load the demo catalogue; `make run` calls it after the other demos."""

from django.core.management.base import BaseCommand

from coalition.catalogue.demo import load_demo_catalogue


class Command(BaseCommand):
    help = (
        "Load the demo catalogue: four OAI-PMH sources of demo organizations, harvested by "
        "the real harvester from pages simulated in memory (updates, deletions and "
        "near-duplicates across sources), and a ministry's hand-made records, some "
        "waiting for moderation. Idempotent: a source already there is left as it is."
    )

    def handle(self, *args, **options):
        counts = load_demo_catalogue()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} records")
        self.stdout.write(self.style.SUCCESS("Demo catalogue loaded."))
