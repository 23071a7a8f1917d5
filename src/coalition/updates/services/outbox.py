"""The outbox's rows, claimed by workers with a lease and marked one by one.

`claim_batch` takes a worker's next due rows (`SELECT … FOR UPDATE SKIP LOCKED` on
PostgreSQL; SQLite serializes writers), and the rows of a worker whose lease ran out;
`renew` extends the lease on the rows a worker holds; `mark_sent` and `mark` write each
row's outcome in one autocommit statement. `services/sending.py` says why (exactly once
per subscriber) and delivers through these.
"""

import functools
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone

from ..messages import message_id
from ..models import OutboxMessage

BATCH_SIZE = 100


def lease_seconds():
    return int(getattr(settings, "UPDATE_SEND_LEASE_SECONDS", 120))


def _locked_ids(rows, size):
    # of=("self",): lock only outbox rows. Locking the joined edition row too would make
    # every other worker skip all of that edition's rows and stop early.
    return list(
        rows.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)[:size]
    )


CLAIMED_FIELDS = (
    "edition_id",
    "subscriber_id",
    "attempts",
    "claimed_by",
    "subscriber__email",
    "subscriber__token",
    "subscriber__status",
)


def claim_batch(issue_id, worker, size=BATCH_SIZE):
    """Take up to `size` due rows for this worker; other workers skip them.

    Returns the rows and the ids of those possibly already delivered: for each dead
    worker whose rows are taken over, its lowest unsent row (it sent in id order and
    marked each row as soon as the server accepted it).

    Rows whose lease ran out come first, in id order, so that a dead worker's rows are
    taken over together; they are few. Pending rows follow in no particular order: with
    100,000 rows, sorting them for every claim cost more than the claim itself.
    """
    now = timezone.now()
    rows = OutboxMessage.objects.filter(edition__issue_id=issue_id)
    with transaction.atomic():
        ids = _locked_ids(
            rows.filter(status=OutboxMessage.Status.SENDING, claimed_until__lt=now).order_by("pk"),
            size,
        )
        if len(ids) < size:
            ids += _locked_ids(
                rows.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now),
                size - len(ids),
            )
        if not ids:
            return [], set()
        doubtful = set()
        dead_workers = set(
            OutboxMessage.objects.filter(
                pk__in=ids, status=OutboxMessage.Status.SENDING
            ).values_list("claimed_by", flat=True)
        )
        for dead in dead_workers:
            first_unsent = (
                OutboxMessage.objects.filter(
                    edition__issue_id=issue_id, status=OutboxMessage.Status.SENDING, claimed_by=dead
                )
                .order_by("pk")
                .values_list("pk", flat=True)
                .first()
            )
            if first_unsent in ids:
                doubtful.add(first_unsent)
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxMessage.Status.SENDING,
            claimed_by=worker,
            claimed_until=now + timedelta(seconds=lease_seconds()),
        )
    # Only the columns sending reads: loading and converting the rest (the subscriber's
    # dates, consent text…) cost a worker as much as the claim's queries. Not the edition:
    # its frozen renderings weigh tens of kilobytes, and a worker loads each edition once.
    claimed = list(
        OutboxMessage.objects.filter(pk__in=ids)
        .select_related("subscriber")
        .only(*CLAIMED_FIELDS)
        .order_by("pk")
    )
    return claimed, doubtful


def mark(row, **fields):
    """Record one message's outcome, committed before the next send.

    One statement in autocommit: one round trip, where a transaction would take four.
    """
    OutboxMessage.objects.filter(pk=row.pk, claimed_by=row.claimed_by).update(**fields)


def commit_without_waiting_for_disk():
    """On PostgreSQL, let this session's commits return before the WAL reaches the disk.

    The worker waits for nothing but visibility to other sessions; a database crash (not
    a worker crash) could at worst forget the last marks, whose messages would then be
    sent again. Set per batch: the session may have been replaced since.
    """
    if db_connection.vendor == "postgresql" and not db_connection.in_atomic_block:
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")


def renew(rows, worker):
    """A whole lease from now on `rows`, if `worker` still holds them all (else False:
    another worker took some over after the lease ran out, and may have sent them)."""
    until = timezone.now() + timedelta(seconds=lease_seconds())
    renewed = OutboxMessage.objects.filter(
        pk__in=[row.pk for row in rows], claimed_by=worker, status=OutboxMessage.Status.SENDING
    ).update(claimed_until=until)
    return renewed == len(rows)


def mark_sent(row):
    """`mark(row, status=SENT, …)` for the outcome of nearly every message, in SQL
    written once (see _Statements)."""
    _statements().execute(
        "sent",
        OutboxMessage.Status.SENT,
        timezone.now(),
        message_id(row),
        row.attempts + 1,
        row.pk,
        row.claimed_by,
    )


class _Statements:
    """The statement a worker runs for each message sent, written in SQL once.

    Through the ORM, building the UPDATE (filters, lookups, compiler) cost a worker more
    CPU than anything but the SMTP exchange: several times running it.
    """

    def __init__(self, connection):
        meta = OutboxMessage._meta
        quote = connection.ops.quote_name
        table = quote(meta.db_table)

        def column(name):
            return quote(meta.get_field(name).column)

        self.connection = connection
        # Names from the model's own metadata, quoted; every value is a parameter.
        self.sql = {
            "sent": (
                f"UPDATE {table} SET {column('status')} = %s, {column('sent_at')} = %s, "  # noqa: S608
                f"{column('message_id')} = %s, {column('attempts')} = %s "
                f"WHERE {column('id')} = %s AND {column('claimed_by')} = %s"
            ),
        }

    def execute(self, name, *params):
        adapt = self.connection.ops.adapt_datetimefield_value
        params = [adapt(param) if isinstance(param, datetime) else param for param in params]
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql[name], params)
            return cursor.rowcount


@functools.cache
def _statements():
    return _Statements(db_connection)
