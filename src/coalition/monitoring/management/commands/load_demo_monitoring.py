"""Load the monitoring demo; `make run` calls it after the activities demo."""

from django.core.management.base import BaseCommand

from coalition.monitoring.demo import load_demo_monitoring


class Command(BaseCommand):
    help = (
        "Load the monitoring demo: the November 2019 – 2023 reporting cycle with 78 national "
        "reports in every state, its published synthesis (PDFs built by the worker), and the "
        "next cycle, open. Idempotent: creates what is missing and never changes what exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-pdf", action="store_true", help="Do not ask the worker for the synthesis PDFs."
        )

    def handle(self, *args, **options):
        summary = load_demo_monitoring(build_pdfs=not options["no_pdf"])
        self.stdout.write(self.style.SUCCESS(str(summary)))
