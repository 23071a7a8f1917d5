"""Send (or resume sending) an Update from the command line, with a progress bar.

    manage.py send_update march-2023 --workers 2

A draft is refused: the secretariat schedules an issue (or sends it) from its sending page
on the web when it is ready. A scheduled issue is sent now after a confirmation that says
how many subscribers will receive each edition (--yes skips the question). Safe to run
again after a crash or Ctrl-C: the outbox remembers what was sent, and resuming asks
nothing.
"""

import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.urls import reverse

from coalition.core.mail import absolute_url
from coalition.updates import selectors
from coalition.updates.models import OutboxMessage, UpdateIssue
from coalition.updates.services import sending


class Command(BaseCommand):
    help = "Send an Update issue to its subscribers through the outbox (resumable)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The issue's short name, e.g. march-2023.")
        parser.add_argument("--workers", type=int, default=2, help="Sending processes (default 2).")
        parser.add_argument("--worker", action="store_true", help="Run as one worker (internal).")
        parser.add_argument("--no-progress", action="store_true", help="Print only the summary.")
        parser.add_argument(
            "--yes", action="store_true", help="Send a scheduled issue now without asking."
        )

    def handle(self, *args, slug, workers, worker, no_progress, yes, **options):
        try:
            issue = UpdateIssue.objects.get(slug=slug)
        except UpdateIssue.DoesNotExist:
            raise CommandError(f"No Update issue with the short name {slug!r}.") from None
        if worker:
            # Stays until the outbox is drained: retries and a dead worker's rows included.
            progress = sending.deliver(issue.pk, wait=True)
            self.stdout.write(
                f"worker done: sent {progress.sent}, failed {progress.failed}, "
                f"retried {progress.retried}, resent in doubt {progress.resent_in_doubt}"
            )
            return
        if issue.status == UpdateIssue.Status.DRAFT:
            page = absolute_url(reverse("updates:issue-send", kwargs={"pk": issue.pk}))
            raise CommandError(
                f"{issue.title!r} is a draft, not sent. When it is ready, send or schedule it "
                f"on its sending page: {page}"
            )
        if issue.status == UpdateIssue.Status.SCHEDULED:
            if not yes and not self._confirmed(issue):
                raise CommandError("Not sent. (--yes sends without asking.)")
            try:
                queued = sending.start_sending(issue, by=None, workers=0)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stdout.write(f"Queued {queued} messages.")
        elif issue.status == UpdateIssue.Status.SENT:
            self.stdout.write("This issue was already sent; nothing to do.")
            return
        children = [
            # `python -m django` with this process's settings, however this command was
            # started (manage.py, django-admin, a process manager's own wrapper).
            subprocess.Popen(  # noqa: S603 - our own interpreter and Django's own entry point
                [sys.executable, "-m", "django", "send_update", slug, "--worker"],
                env={**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE},
                stdout=subprocess.DEVNULL,
            )
            for _n in range(max(1, workers))
        ]
        started = time.monotonic()
        try:
            while any(child.poll() is None for child in children):
                if not no_progress:
                    self._bar(issue, started)
                time.sleep(0.5)
        except KeyboardInterrupt:
            for child in children:
                child.terminate()
            self.stderr.write("\nInterrupted; run the same command again to resume.")
            return
        self._bar(issue, started, final=True)
        failed = [child.returncode for child in children if child.returncode]
        if failed:
            raise CommandError(f"{len(failed)} worker(s) failed; run the command again to resume.")

    def _confirmed(self, issue):
        audience = selectors.audience(issue)
        editions = ", ".join(f"{row.subscribers} in {row.name}" for row in audience.editions)
        self.stdout.write(
            f"{issue.title!r} is scheduled for {issue.send_at:%Y-%m-%d %H:%M} UTC. Sending it "
            f"now goes to {audience.total} subscribers: {editions}."
        )
        try:
            answer = input("Send it now? [y/N] ")
        except EOFError:  # no terminal to ask on
            return False
        return answer.strip().lower() in {"y", "yes"}

    def _bar(self, issue, started, final=False):
        counts = dict.fromkeys(OutboxMessage.Status.values, 0)
        counts.update(
            OutboxMessage.objects.filter(edition__issue=issue)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        total = sum(counts.values()) or 1
        done = counts["sent"] + counts["failed"] + counts["skipped"]
        width = 30
        filled = int(width * done / total)
        rate = counts["sent"] / max(time.monotonic() - started, 0.001)
        line = (
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
            f"sent {counts['sent']} failed {counts['failed']} "
            f"pending {counts['pending'] + counts['sending']} "
            f"{rate:.0f}/s"
        )
        self.stdout.write(line, ending="\n" if final else "")
        self.stdout.flush()
