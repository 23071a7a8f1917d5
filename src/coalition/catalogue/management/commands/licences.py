"""Show how the Hub reads rights statements: one per line in, `SPDX-id<TAB>class` out."""

import sys

from django.core.management.base import BaseCommand

from coalition.catalogue.licences import read_statement


class Command(BaseCommand):
    help = (
        "Read rights statements from standard input, one per line, and print for each "
        "the SPDX id (empty where none applies) and the class code, separated by a tab."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--why", action="store_true", help="Add a third column: the reason, in words."
        )

    def handle(self, *args, why=False, **options):
        for line in sys.stdin:
            reading = read_statement(line.rstrip("\n"))
            columns = [reading.spdx, reading.licence_class]
            if why:
                columns.append(str(reading.reason))
            self.stdout.write("\t".join(columns))
