"""Harvest a catalogue source now, with a progress bar (safe to re-run after a crash)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from coalition.catalogue.models import Source
from coalition.catalogue.services.harvesting import harvest_source


class Command(BaseCommand):
    help = (
        "Harvest a source (its slug or id) from its OAI-PMH endpoint. A run that was "
        "interrupted resumes from its last page; --full asks for every record again."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", help="Slug or id of the source.")
        parser.add_argument("--full", action="store_true", help="Harvest every record again.")
        parser.add_argument("--no-progress", action="store_true", help="Print only the report.")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the workers' schedule check (once, on a new installation).",
        )

    def handle(self, *args, source=None, full=False, no_progress=False, schedule=False, **opts):
        if schedule:
            from coalition.catalogue.tasks import keep_schedule

            keep_schedule.enqueue()
            self.stdout.write("The schedule check is queued; running db_workers keep it.")
            if not source:
                return
        if not source:
            raise CommandError("Name a source (slug or id).")
        lookup = Q(slug=source) | (Q(pk=int(source)) if source.isdigit() else Q())
        found = Source.objects.filter(lookup, kind=Source.Kind.OAI).first()
        if found is None:
            raise CommandError(f"No OAI-PMH source {source!r}.")
        started = time.monotonic()
        progress = None if no_progress else (lambda p: self._bar(p, started))
        run = harvest_source(found.pk, full=full, progress=progress)
        if run is None:
            raise CommandError("Another worker is harvesting this source now; try later.")
        if not no_progress:
            self.stdout.write("")
        self.stdout.write(
            f"{run.get_status_display()}: added {run.added}, updated {run.updated}, "
            f"deleted {run.deleted}, unchanged {run.unchanged}, skipped {run.skipped}, "
            f"{run.pages} pages in {run.duration.total_seconds():.1f} s"
        )
        for skipped in run.skipped_records[:20]:
            self.stdout.write(f"  skipped {skipped['identifier'] or '(no identifier)'}: "
                              f"{skipped['reason']}")  # fmt: skip
        if run.error:
            self.stderr.write(run.error)

    def _bar(self, progress, started):
        run, width = progress.run, 30
        total = run.complete_list_size
        done = run.cursor if run.cursor is not None else progress.records_seen
        done = max(done or 0, progress.records_seen)
        elapsed = max(time.monotonic() - started, 1e-6)
        rate = progress.records_seen / elapsed
        if total:
            filled = min(width, int(width * done / total))
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        else:
            bar = f"{done} records"
        self.stdout.write(f"\r{bar}  page {run.pages}  {rate:,.0f} records/s", ending="")
        self.stdout.flush()
