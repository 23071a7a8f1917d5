"""Import existing subscribers from a CSV file, as the secretariat's page does.

    manage.py import_subscribers list.csv [--request-confirmation]

Columns: e-mail, language (ar, en, es, fr, ru, zh-hans), then any other languages. The
addresses are created waiting for confirmation and receive no Update until they confirm;
--request-confirmation queues the request to confirm right away.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from coalition.updates.services import subscriptions


class Command(BaseCommand):
    help = "Import subscribers from a CSV file (email, language[, other languages]) as pending."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file (UTF-8).")
        parser.add_argument(
            "--request-confirmation",
            action="store_true",
            help="Also send the imported addresses the request to confirm their subscription.",
        )

    def handle(self, *args, path, request_confirmation, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file at {path}.")
        if file.stat().st_size > subscriptions.MAX_IMPORT_BYTES:
            raise CommandError("The file is larger than 5 MB; split it.")
        try:
            report = subscriptions.import_csv(file.read_bytes())
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for number, line, problem in report.errors:
            self.stderr.write(f"line {number}: {problem} ({line})")
        self.stdout.write(
            f"Imported {report.created} address(es) as pending; {report.existing} already on the "
            f"list; {len(report.errors)} line(s) skipped."
        )
        if request_confirmation and report.created:
            count = subscriptions.request_confirmations(batch=report.batch)
            self.stdout.write(f"Confirmation request queued for {count} address(es).")
