"""Storing records: the one write path for harvested and hand-made records alike.

`store_items(source, items, run=None)` upserts a batch of `Incoming` records of one
source in a few statements whatever the batch size (a lookup of the existing copies, a
lookup of the dedup keys, bulk inserts and updates, the search index of the works
touched). It is idempotent: storing the same batch twice changes nothing the second
time (an unchanged record, same content hash and datestamp, is not rewritten), which is
what makes a harvest resumable from any checkpoint without duplicates.

- A new record joins the work of any visible record sharing a dedup key (catalogue.dedup)
  or founds a new work; if its keys point at several works, they are merged into the
  eldest (the others are kept as deleted entries pointing at it, for OAI harvesters).
- A changed record is updated in place (its work stays; a restored deleted record
  comes back). Updates, deletions and restorations are written to `RecordChange`; the
  addition itself is the record's `created_at` and `harvest_run`.
- A deletion keeps the row (`deleted=True`, `deleted_at`); a work whose every record is
  deleted becomes a deleted work, and one whose primary record went away shows its
  next record.

Hand-made records (the record form, CSV import) call `store_items` with
`status=Record.Status.SUBMITTED` and publish through `publish_record`.
"""

import hashlib
import operator
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from types import SimpleNamespace

import orjson
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from coalition.core import page_cache

from .. import search
from ..dedup import keys_for
from ..models import Record, RecordChange, Source, Work
from ..oai.metadata import RECORD_FIELDS
from .bulk import insert_rows


@dataclass
class Incoming:
    identifier: str
    datestamp: datetime | None
    deleted: bool = False
    set_specs: list = field(default_factory=list)
    fields: dict | None = None  # RECORD_FIELDS; None for a deletion
    metadata_prefix: str = ""


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __iadd__(self, other):
        for name in ("added", "updated", "unchanged", "deleted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def content_hash(fields, set_specs):
    # orjson: a tenth of json.dumps' time; dates as ISO 8601, as `default=str` gave.
    payload = orjson.dumps(
        [fields, set_specs], option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str
    )
    return hashlib.sha1(payload, usedforsecurity=False).hexdigest()


UPDATED_FIELDS = [
    *(name for name in RECORD_FIELDS),
    "datestamp",
    "set_specs",
    "metadata_prefix",
    "harvest_run",
    "deleted",
    "deleted_at",
    "content_hash",
    "canonical_url",
    "title_key",
    "updated_at",
]


@transaction.atomic
def store_items(source, items, run=None, status=Record.Status.PUBLISHED, created_by=None):
    counts = Counts()
    now = timezone.now()
    latest = {}
    for item in items:  # a page may repeat an identifier: the last copy wins
        latest[item.identifier] = item
    existing = {
        record.identifier: record
        for record in Record.objects.filter(source=source, identifier__in=list(latest))
    }
    changes, touched_works, updated, new = [], set(), [], []
    for identifier, item in latest.items():
        record = existing.get(identifier)
        if item.deleted:
            if record is None or record.deleted:
                counts.unchanged += record is not None
                continue
            record.deleted, record.deleted_at = True, now
            record.datestamp, record.harvest_run, record.updated_at = item.datestamp, run, now
            updated.append(record)
            changes.append(RecordChange(record=record, run=run, kind="deleted", at=now,
                                        datestamp=item.datestamp))  # fmt: skip
            touched_works.add(record.work_id)
            counts.deleted += 1
            continue
        digest = content_hash(item.fields, item.set_specs)
        if record is not None:
            if record.content_hash == digest and not record.deleted:
                counts.unchanged += 1
                continue
            kind = "restored" if record.deleted else "updated"
            _assign(record, item, digest, run, now)
            updated.append(record)
            changes.append(RecordChange(record=record, run=run, kind=kind, at=now,
                                        datestamp=item.datestamp))  # fmt: skip
            touched_works.add(record.work_id)
            counts.updated += 1
        else:
            record = NewRecord(**_new_record_defaults())
            record.source_id, record.identifier, record.status = source.pk, identifier, status
            record.created_by_id = created_by.pk if created_by else None
            record.created_at = now
            _assign_new(record, item, digest, run, now)
            new.append(record)
            counts.added += 1
    if updated:
        Record.objects.bulk_update(updated, UPDATED_FIELDS)
        announce_if_cited([record.pk for record in updated])
    if new:
        touched_works |= _place_in_works(new, now)
    if changes:
        RecordChange.objects.bulk_create(changes)
    if touched_works:
        refresh_works(touched_works, now)
    return counts


class NewRecord(SimpleNamespace):
    """A record about to be inserted: its column values, without a model instance
    (building 40-field instances was a sixth of a harvest's time)."""


@cache
def _new_record_template():
    template = Record()
    return {
        field.attname: getattr(template, field.attname) for field in Record._meta.concrete_fields
    }


def _new_record_defaults():
    return dict(_new_record_template())


def _assign_new(record, item, digest, run, now):
    """`_assign` for a NewRecord: its attributes are a plain dict, updated at once."""
    values = record.__dict__
    values.update(item.fields)
    values["doi"], values["canonical_url"], values["title_key"] = keys_for(item.fields)
    values.update(
        datestamp=item.datestamp,
        set_specs=item.set_specs,
        metadata_prefix=item.metadata_prefix,
        harvest_run_id=run.pk if run else None,
        deleted=False,
        deleted_at=None,
        content_hash=digest,
        updated_at=now,
    )


def _assign(record, item, digest, run, now):
    for name in RECORD_FIELDS:
        setattr(record, name, item.fields.get(name, getattr(record, name)))
    record.doi, record.canonical_url, record.title_key = keys_for(item.fields)
    record.datestamp = item.datestamp
    record.set_specs = item.set_specs
    record.metadata_prefix = item.metadata_prefix
    record.harvest_run_id = run.pk if run else None
    record.deleted, record.deleted_at = False, None
    record.content_hash = digest
    record.updated_at = now


def _place_in_works(new, now):
    """Give each new record a work (an existing one by dedup key, or a new one)."""
    dois = {r.doi for r in new if r.doi}
    urls = {r.canonical_url for r in new if r.canonical_url}
    titles = {r.title_key for r in new if r.title_key}
    by_key = {}  # ("doi", value) → work id
    if dois or urls or titles:
        condition = Q(pk__in=[])
        if dois:
            condition |= Q(doi__in=dois)
        if urls:
            condition |= Q(canonical_url__in=urls)
        if titles:
            condition |= Q(title_key__in=titles)
        # Records by their keys (one index search per key), leaving out works merged
        # away. Not a join on the work: SQLite would then read every unmerged work and
        # its records, a scan that grows with the catalogue (measured: 15 ms a page at
        # 20,000 records, the larger part of a harvest's slowdown at 200,000).
        merged = Work.objects.filter(merged_into__isnull=False).values("pk")
        matches = (
            Record.objects.filter(condition, deleted=False)
            .exclude(work__in=merged)
            .values_list("work_id", "doi", "canonical_url", "title_key")
            .order_by("work_id")
        )
        for work_id, doi, url, title in matches:
            for key in (("doi", doi), ("url", url), ("title", title)):
                if key[1]:
                    by_key.setdefault(key, work_id)
    pending_works = []  # new works, founded by the record at the same index
    founders = []
    merges = {}  # work id → the eldest work it joins
    for record in new:
        keys = [k for k in (("doi", record.doi), ("url", record.canonical_url),
                            ("title", record.title_key)) if k[1]]  # fmt: skip
        found = sorted({by_key[k] for k in keys if k in by_key}, key=_work_order)
        if found:
            target = found[0]
            for other in found[1:]:
                if isinstance(other, int) and isinstance(target, int):
                    merges[other] = target
            record._work_ref = target
        else:
            # Its Hub id, its row id once inserted (no model instance: cheaper).
            pending_works.append(SimpleNamespace(hub_id=uuid.uuid4(), pk=None))
            founders.append(record)
            target = ("new", len(pending_works) - 1)
            record._work_ref = target
        for key in keys:
            by_key.setdefault(key, target)
    work_ids = insert_rows(
        Work,
        ["hub_id", "datestamp", "deleted", "created_at"],
        [(work.hub_id, now, False, now) for work in pending_works],
        returning=True,
    )
    for work, work_id in zip(pending_works, work_ids, strict=True):
        work.pk = work_id
    for record in new:
        ref = record._work_ref
        work_id = pending_works[ref[1]].pk if isinstance(ref, tuple) else ref
        record.work_id = merges.get(work_id, work_id)
    row_of = operator.itemgetter(*RECORD_INSERT_ATTNAMES)
    insert_rows(Record, RECORD_INSERT_FIELDS, [row_of(record.__dict__) for record in new])
    if work_ids:
        _set_primary_records(work_ids)
    touched = {record.work_id for record in new if not _is_new_work(record)}
    if merges:
        touched |= merge_works(merges, now)
    founded = {record.work_id: record for record in founders}
    search.index_new_works(founded, region_of_source(new[0].source_id))
    return touched


RECORD_INSERT_FIELDS = [f.name for f in Record._meta.concrete_fields if not f.primary_key]
RECORD_INSERT_ATTNAMES = [Record._meta.get_field(name).attname for name in RECORD_INSERT_FIELDS]


def _set_primary_records(work_ids):
    """The first record of each new work becomes its primary, in one statement."""
    quote = connection.ops.quote_name
    work, record = quote(Work._meta.db_table), quote(Record._meta.db_table)
    placeholders = ", ".join(["%s"] * len(work_ids))
    # The first ids are found for all the works at once, through the work_id index: asked
    # work by work (MIN(r.id) WHERE r.work_id = the work), PostgreSQL without fresh
    # statistics walked the primary key from the oldest record for each new work, past
    # every record already stored (bench catalogue-oai with autovacuum off: one batch of
    # 5,000 works still running after 7 minutes once 285,000 records were stored).
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {work} SET primary_record_id = first.id FROM (SELECT r.work_id, "  # noqa: S608
            f"MIN(r.id) AS id FROM {record} r WHERE r.work_id IN ({placeholders}) "
            f"GROUP BY r.work_id) AS first WHERE {work}.id = first.work_id",
            list(work_ids),
        )


def region_of_source(source_id):
    return (
        Source.objects.filter(pk=source_id).values_list("organization__region", flat=True).first()
        or ""
    )


def _work_order(ref):
    # Existing works (ids) before works founded in this batch; elder (smaller id) first.
    return (1, ref[1]) if isinstance(ref, tuple) else (0, ref)


def _is_new_work(record):
    return isinstance(record._work_ref, tuple)


def merge_works(merges, now):
    """Move the records of each work in `merges` into its target; keep the work as a
    deleted entry pointing at the target (its Hub id still resolves)."""
    announce_if_cited(Record.objects.filter(work_id__in=list(merges)).values("pk"))
    for loser, winner in merges.items():
        Record.objects.filter(work_id=loser).update(work_id=winner)
        Work.objects.filter(pk=loser).update(
            merged_into_id=winner, deleted=True, primary_record=None, datestamp=now
        )
    search.index_works(list(merges))
    return set(merges.values())


def refresh_works(work_ids, now=None):
    """Recompute each work's primary record and deleted flag after its records changed,
    bump its datestamp (the OAI provider serves it again) and rewrite its search entry."""
    now = now or timezone.now()
    work_ids = list(work_ids)
    firsts = dict(
        Record.objects.filter(work_id__in=work_ids)
        .visible()
        .values("work_id")
        .annotate(first=Min("id"))
        .values_list("work_id", "first")
    )
    works = list(
        Work.objects.filter(pk__in=work_ids, merged_into__isnull=True).only(
            "id", "primary_record_id", "deleted", "datestamp"
        )
    )
    visible_primaries = set(
        Record.objects.filter(pk__in=[w.primary_record_id for w in works if w.primary_record_id])
        .visible()
        .values_list("pk", flat=True)
    )
    for work in works:
        if work.primary_record_id not in visible_primaries:
            work.primary_record_id = firsts.get(work.pk)
        work.deleted = work.pk not in firsts
        work.datestamp = now
    Work.objects.bulk_update(works, ["primary_record", "deleted", "datestamp"])
    search.index_works(work_ids)


@transaction.atomic
def publish_record(record, *, by=None):
    """Publish a hand-made record once moderated (the web side checks permissions)."""
    record.status = Record.Status.PUBLISHED
    record.updated_at = timezone.now()
    record.save(update_fields=["status", "updated_at"])
    announce_if_cited([record.pk])
    refresh_works([record.work_id])
    return record


def announce_if_cited(record_ids):
    """If activities cite any of these records (just changed, deleted or moved), give the
    pages that show citations a new version (`cited-records`, see `core.page_cache`): one
    small query, and a write only when a cited record changed, so a harvest of records
    nobody cites leaves every kept page as it is."""
    citations = Record.citing_activities.through.objects
    if citations.filter(record_id__in=record_ids).exists():
        page_cache.touch("cited-records")
