"""Serve the Hub locally together with one background worker, as `make run` does."""

import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from coalition.members.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Run the development server and a task worker side by side."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        worker = None
        # runserver's autoreloader re-runs this command in a child (RUN_MAIN set):
        # only the outer process starts the worker, so there is exactly one.
        if not os.environ.get("RUN_MAIN"):
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--interval", "1"],
            )
            self._print_accounts(host, port)
        try:
            call_command("runserver", f"{host}:{port}")
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=10)

    def _print_accounts(self, host, port):
        self.stdout.write(self.style.SUCCESS(f"\nOER Coalition Hub: http://{host}:{port}/"))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for role, email in DEMO_ACCOUNTS.items():
            self.stdout.write(f"  {role:<28} {email}")
        self.stdout.write("")
