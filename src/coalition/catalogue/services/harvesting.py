"""Harvesting a source: full or incremental, checkpointed per page, one worker at a time.

`harvest_source(source_id)` is what the background task and `manage.py harvest` call:

1. It takes the source's lease (`Source.locked_by/locked_until`, one conditional UPDATE,
   atomic on SQLite and PostgreSQL). A worker that holds it renews it at every page; a
   worker that died stops renewing and the lease runs out (`CATALOGUE_HARVEST_LEASE`
   seconds), after which any worker may take the source. Two workers never harvest one
   source at once; different sources run in parallel on as many workers as run.
2. It resumes the last run that did not finish (killed, or stopped on a broken page)
   from that run's checkpoint, or starts a run: incremental from the responseDate of
   the last successful run (at the source's granularity; a day-granularity source is
   asked from that day, and records already stored come back unchanged), or full.
3. For each page it streams the response (oai.client/oai.xml), maps each record
   (oai.metadata) and stores records in batches (services.records.store_items,
   idempotent). The page's last batch, the run's counters and the checkpoint (the
   page's resumption token) are written in one transaction: killed at any moment, the
   run resumes at a page whose records are either all stored or re-stored unchanged.

What real servers do, and what happens:
- a token with or without cursor/completeListSize: both kept when given (progress);
- the last page: an empty token element, with or without attributes, or none: done;
- `noRecordsMatch`: an empty, successful run;
- `badResumptionToken` (an expired token after a long pause): the list is asked again
  from the run's original arguments (the checkpoint before the token), at most twice;
- HTTP 503/429 + Retry-After, timeouts, 5xx: waited and retried (oai.client);
- a broken page (not well-formed, cut, too large, wrong root): retried
  `CATALOGUE_PAGE_ATTEMPTS` times, then the run stops as failed with a report saying
  which page and why; the next run resumes from that page;
- a broken record (no identifier, no datestamp, no title, unreadable date): skipped and
  listed in the run's report with its identifier and reason; the run goes on;
- a deleted record (`status="deleted"`): marked deleted, its history kept.
"""

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .. import search
from ..models import Granularity, HarvestRun, Source
from ..oai.client import HarvestError, HTTPFailure, OAIClient, OAIError, Unavailable
from ..oai.metadata import MetadataProblem, map_metadata
from ..oai.xml import BrokenPage, Item, PageEnd
from .records import Counts, Incoming, store_items

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_RESTARTS = 2


def setting(name, default):
    return getattr(settings, name, default)


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"


def make_client(source, *, interactive=False):
    """The source's OAI-PMH client. `interactive`: a person waits for the answer (a
    registration's Identify), so fewer attempts, a shorter pause and timeout."""
    timeout = setting("CATALOGUE_HTTP_TIMEOUT", 60.0)
    attempts = setting("CATALOGUE_HTTP_ATTEMPTS", 4)
    backoff = setting("CATALOGUE_HTTP_BACKOFF", 2.0)
    if interactive:
        timeout, attempts, backoff = min(timeout, 20.0), min(attempts, 2), min(backoff, 0.5)
    return OAIClient(
        source.base_url,
        timeout=timeout,
        attempts=attempts,
        backoff=backoff,
        max_retry_after=setting("CATALOGUE_MAX_RETRY_AFTER", 300),
        max_bytes=setting("CATALOGUE_MAX_PAGE_BYTES", 100 * 1024 * 1024),
    )


# The lease ----------------------------------------------------------------------------


def lease_seconds():
    return setting("CATALOGUE_HARVEST_LEASE", 300)


def acquire_lease(source_id, worker):
    now = timezone.now()
    free = Q(locked_until__isnull=True) | Q(locked_until__lt=now) | Q(locked_by=worker)
    taken = Source.objects.filter(free, pk=source_id).update(
        locked_by=worker, locked_until=now + timedelta(seconds=lease_seconds())
    )
    return taken == 1


def renew_lease(source_id, worker):
    until = timezone.now() + timedelta(seconds=lease_seconds())
    return Source.objects.filter(pk=source_id, locked_by=worker).update(locked_until=until) == 1


def release_lease(source_id, worker):
    Source.objects.filter(pk=source_id, locked_by=worker).update(locked_by="", locked_until=None)


class LeaseLost(HarvestError):
    pass


# Dates --------------------------------------------------------------------------------


def parse_datestamp(value):
    """An aware UTC datetime from an OAI datestamp (day or second granularity), or None."""
    value = (value or "").strip()
    if len(value) == 10:
        try:
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def format_datestamp(moment, granularity):
    moment = moment.astimezone(UTC)
    if granularity == Granularity.SECOND:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%Y-%m-%d")


# The run ------------------------------------------------------------------------------


@dataclass
class Progress:
    """What `progress` callbacks receive after each page."""

    run: HarvestRun
    page_end: PageEnd | None
    records_seen: int


def harvest_source(
    source_id,
    *,
    full=False,
    worker=None,
    client=None,
    progress: Callable[[Progress], None] | None = None,
):
    """Harvest one source now. Returns the run, or None if another worker holds it."""
    worker = worker or worker_name()
    if not acquire_lease(source_id, worker):
        logger.info("Source %s is being harvested by another worker", source_id)
        return None
    source = Source.objects.get(pk=source_id)
    _widen_sqlite_cache()
    own_client = client is None
    client = client or make_client(source)
    try:
        run = _start_or_resume(source, full, worker)
        with search.changes_batched():
            _Harvest(source, run, client, worker, progress).harvest()
        return run
    finally:
        if own_client:
            client.close()
        release_lease(source_id, worker)


def _widen_sqlite_cache():
    """SQLite keeps 2 MB of pages per connection by default: past about 100,000 records
    the indexes a harvest writes (identifiers, dedup keys, Hub ids, search) no longer fit
    and every page reads them again. This worker's connection may keep 64 MB.

    It also copies its write-ahead log into the database every 16,384 pages (64 MB)
    rather than every 1,000: a harvested page writes a few hundred KB, so the default
    checkpointed (and synced) every dozen pages, rewriting the same index pages each time.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -65536")
            cursor.execute("PRAGMA wal_autocheckpoint = 16384")


def _start_or_resume(source, full, worker):
    unfinished = (
        source.runs.filter(status__in=[HarvestRun.Status.RUNNING, HarvestRun.Status.FAILED])
        .order_by("-started_at", "-pk")
        .first()
    )
    with transaction.atomic():
        if unfinished is not None and not full:
            run = HarvestRun.objects.create(
                source=source,
                kind=unfinished.kind,
                worker=worker,
                from_datestamp=unfinished.from_datestamp,
                until_datestamp=unfinished.until_datestamp,
                first_response_date=unfinished.first_response_date,
                resumption_token=unfinished.resumption_token,
                cursor=unfinished.cursor,
                complete_list_size=unfinished.complete_list_size,
                resumed_from=unfinished,
                skipped_records=[],
            )
            HarvestRun.objects.filter(pk=unfinished.pk).update(
                status=HarvestRun.Status.RESUMED, finished_at=timezone.now()
            )
            return run
        if unfinished is not None:
            HarvestRun.objects.filter(pk=unfinished.pk).update(
                status=HarvestRun.Status.RESUMED, finished_at=timezone.now()
            )
        incremental = source.harvested_until is not None and not full
        return HarvestRun.objects.create(
            source=source,
            kind=HarvestRun.Kind.INCREMENTAL if incremental else HarvestRun.Kind.FULL,
            worker=worker,
            from_datestamp=(
                format_datestamp(source.harvested_until, source.granularity) if incremental else ""
            ),
        )


class _Harvest:
    def __init__(self, source, run, client, worker, progress):
        self.source, self.run, self.client = source, run, client
        self.worker, self.progress = worker, progress
        self.skipped_seen = set()
        self.records_seen = 0
        self.statistics = _TableStatistics()
        self.page_attempts = setting("CATALOGUE_PAGE_ATTEMPTS", 3)
        self.page_pause = setting("CATALOGUE_PAGE_RETRY_SECONDS", 5.0)

    def list_arguments(self):
        return {
            "metadataPrefix": self.source.metadata_prefix,
            "from": self.run.from_datestamp,
            "until": self.run.until_datestamp,
            "set": self.source.set_spec,
        }

    def harvest(self):
        restarts = 0
        while True:
            token = self.run.resumption_token
            arguments = {"resumptionToken": token} if token else self.list_arguments()
            try:
                end = self.page(arguments)
            except (HTTPFailure, Unavailable, LeaseLost) as error:
                return self.fail(self.describe_page(token) + str(error))
            except (BrokenPage, HarvestError) as error:
                return self.fail(
                    self.describe_page(token) + f"{error}; tried {self.page_attempts} times. "
                    "The next harvest resumes from this page."
                )
            codes = {code for code, _message in end.errors}
            if "badResumptionToken" in codes and restarts < MAX_RESTARTS:
                restarts += 1
                logger.warning("%s: bad resumption token, listing again", self.source)
                self.checkpoint(None)
                continue
            if end.errors and "noRecordsMatch" not in codes:
                return self.fail(self.describe_page(token) + str(OAIError(end.errors)))
            self.statistics.keep_up(self.run.added)
            if self.progress:
                self.progress(Progress(self.run, end, self.records_seen))
            if end.token is None or not end.token.value:
                return self.succeed()
            if not renew_lease(self.source.pk, self.worker):
                return self.fail(str(LeaseLost("another worker took this source over")))

    def describe_page(self, token):
        if token:
            return f"The page after resumption token {token[:120]!r} could not be read: "
        return "The first page could not be read: "

    def page(self, arguments):
        """Read one page (retrying a broken one) and store it; returns its PageEnd."""
        last = None
        for attempt in range(self.page_attempts):
            try:
                return self.read_page(arguments)
            except (HTTPFailure, Unavailable):
                raise
            except (BrokenPage, HarvestError) as error:
                last = error
                logger.warning("%s: page failed (%s), attempt %s", self.source, error, attempt + 1)
                if attempt + 1 < self.page_attempts:
                    time.sleep(self.page_pause * (attempt + 1))
        raise last

    def read_page(self, arguments):
        batch, skipped = [], []
        for item in self.client.items("ListRecords", **arguments):
            if isinstance(item, PageEnd):
                self.store(batch, skipped, end=item)
                return item
            if isinstance(item, Item):
                self.records_seen += 1
                incoming, problem = self.incoming(item)
                if problem:
                    skipped.append(problem)
                else:
                    batch.append(incoming)
                if len(batch) >= BATCH_SIZE:
                    self.store(batch, skipped)
                    batch, skipped = [], []
        raise BrokenPage("the response ended without closing")  # pragma: no cover

    def incoming(self, item):
        header = item.header
        identifier = header.identifier if header else ""
        if item.problem:
            return None, {"identifier": identifier, "reason": item.problem}
        datestamp = parse_datestamp(header.datestamp)
        if datestamp is None:
            reason = f"its datestamp {header.datestamp[:40]!r} is not a date"
            return None, {"identifier": identifier, "reason": reason}
        if header.deleted:
            return Incoming(identifier, datestamp, True, header.set_specs), None
        try:
            fields = map_metadata(item.metadata)
        except MetadataProblem as problem:
            return None, {"identifier": identifier, "reason": str(problem)}
        except Exception as error:  # a record must never stop the run
            logger.exception("Record %s of %s could not be read", identifier, self.source)
            return None, {"identifier": identifier, "reason": f"unreadable metadata ({error})"}
        return (
            Incoming(
                identifier[:500], datestamp, False, header.set_specs, fields,
                self.source.metadata_prefix,
            ),
            None,
        )  # fmt: skip

    def store(self, batch, skipped, end=None):
        fresh = []
        for problem in skipped:
            key = (problem["identifier"], problem["reason"])
            if key not in self.skipped_seen:
                self.skipped_seen.add(key)
                fresh.append(problem)
        with transaction.atomic():
            counts = store_items(self.source, batch, run=self.run) if batch else Counts()
            self.count(counts, fresh)
            if end is not None:
                if self.run.first_response_date is None:
                    self.run.first_response_date = parse_datestamp(end.response_date)
                self.checkpoint(end)

    def count(self, counts, skipped):
        run = self.run
        kept = run.skipped_records + skipped[: max(0, run.SKIPPED_KEPT - len(run.skipped_records))]
        HarvestRun.objects.filter(pk=run.pk).update(
            added=F("added") + counts.added,
            updated=F("updated") + counts.updated,
            unchanged=F("unchanged") + counts.unchanged,
            deleted=F("deleted") + counts.deleted,
            skipped=F("skipped") + len(skipped),
            skipped_records=kept,
        )
        run.added += counts.added
        run.updated += counts.updated
        run.unchanged += counts.unchanged
        run.deleted += counts.deleted
        run.skipped += len(skipped)
        run.skipped_records = kept

    def checkpoint(self, end):
        run = self.run
        token = end.token if end is not None else None
        run.resumption_token = token.value if token else ""
        if token is not None:
            run.cursor = token.cursor if token.cursor is not None else run.cursor
            if token.complete_list_size is not None:
                run.complete_list_size = token.complete_list_size
        if end is not None:
            run.pages += 1
        HarvestRun.objects.filter(pk=run.pk).update(
            resumption_token=run.resumption_token,
            cursor=run.cursor,
            complete_list_size=run.complete_list_size,
            pages=run.pages,
            first_response_date=run.first_response_date,
        )

    def succeed(self):
        run, source = self.run, self.source
        now = timezone.now()
        with transaction.atomic():
            run.status, run.finished_at = HarvestRun.Status.SUCCEEDED, now
            run.save(update_fields=["status", "finished_at"])
            # The server's clock: records changed while we read get their turn next time.
            until = run.first_response_date or now
            Source.objects.filter(pk=source.pk).update(
                harvested_until=until, next_harvest_at=next_time(source, now)
            )
        return run

    def fail(self, message):
        run, now = self.run, timezone.now()
        run.status, run.finished_at, run.error = HarvestRun.Status.FAILED, now, message[:4000]
        run.save(update_fields=["status", "finished_at", "error"])
        retry = min(timedelta(hours=1), timedelta(hours=max(1, self.source.harvest_every_hours)))
        Source.objects.filter(pk=self.source.pk).update(next_harvest_at=now + retry)
        logger.warning("Harvest of %s failed: %s", self.source, message)
        return run


class _TableStatistics:
    """PostgreSQL plans each page's lookups (existing copies, dedup keys) from its table
    statistics. A first harvest outgrows them in seconds, before autovacuum's next
    look: planned for an empty table, the lookups read every record of the table at
    every page, a harvest quadratic in its size (measured: 12 ms a page at 20,000
    records). So the harvest analyzes what the lookups read each time its additions
    have doubled the record table since the last analysis: a few times per harvest,
    from a sample, and only the columns that the lookups filter on."""

    TABLES = (
        "catalogue_record (source_id, identifier, doi, canonical_url, title_key, deleted, "
        "work_id), catalogue_work (merged_into_id)"
    )
    MINIMUM = 1000

    def __init__(self):
        self.enabled = connection.vendor == "postgresql"
        self.known_rows = self.added_at_last = 0
        if self.enabled:
            self.known_rows = self._rows()

    def _rows(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'catalogue_record'")
            return max(0, int(cursor.fetchone()[0]))  # -1: never analyzed

    def keep_up(self, added):
        if not self.enabled or added - self.added_at_last < max(self.MINIMUM, self.known_rows):
            return
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.TABLES}")
        self.known_rows, self.added_at_last = self._rows(), added


def next_time(source, now=None):
    if not source.harvest_every_hours:
        return None
    return (now or timezone.now()) + timedelta(hours=source.harvest_every_hours)
