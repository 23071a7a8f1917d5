"""Delivering an Update through a durable outbox, exactly once per subscriber.

The outbox holds one row per (edition, subscriber), created once (a unique constraint
makes a second "send" a no-op). Workers claim small batches of due rows with a lease
(`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serializes writers), send each
message through Django's e-mail backend over one SMTP connection, and mark each row
sent right after the server accepts it. So:

- a worker that dies leaves its unsent rows claimed; when the lease runs out another
  worker (or the same one restarted) takes them: nothing is lost;
- rows already marked sent are never sent again: nothing is doubled;
- the only message in doubt is the one in flight when the worker died (accepted by the
  SMTP server, not yet marked). It is resent with the same Message-ID, which mail
  systems use to drop duplicates, and counted in `Progress.resent_in_doubt`;
- a live worker never sends a row another worker took over: it sends a row only within
  a quarter of a lease after the database confirmed the row was still its own (the
  claim, then a renewal of the rows it holds, see RENEW_AFTER). A duplicate would need
  a worker to stall for the other three quarters (90 s by default) between that check
  and the mark.

Marks are not batched. Marking, say, 100 rows after sending them would save most of the
database work, but a crash would then resend up to 100 delivered messages, where marking
each row before the next send leaves at most the one in flight. The cost is kept low
instead: each mark is one statement in autocommit, written in SQL once per worker, and
each message comes from its edition's MIME template (MessageTemplate) rather than being
built from scratch; `python -m bench updates` measures the result.
"""

import functools
import logging
import os
import smtplib
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import formatdate, parseaddr

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Min,
    Value,
)
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalition.core.queue import enqueue_on_commit

from ..models import Bounce, Edition, OutboxMessage, Subscriber, UpdateIssue

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_ATTEMPTS = 6
# How long a waiting worker sleeps at most before looking for due rows again.
WAIT_POLL_SECONDS = 1.0
# A worker renews its lease on the rows it holds once this share of the lease has passed,
# and sends none without a lease confirmed that recently: a send and its mark then have
# the rest, three quarters of a lease (90 s by default), to be done before another worker
# may take the row over.
RENEW_AFTER = 0.25
HARD_BOUNCES_BEFORE_SUPPRESSION = 3


def lease_seconds():
    return int(getattr(settings, "UPDATE_SEND_LEASE_SECONDS", 120))


def rate_limit():
    """Messages per second for one worker; 0 means as fast as the server takes them."""
    return float(getattr(settings, "UPDATE_SEND_RATE", 0) or 0)


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"


# Who receives which edition ----------------------------------------------------------


def edition_for(subscriber_languages, editions_by_language):
    """The edition a subscriber reads: their language, then their other languages, then English."""
    for code in [*subscriber_languages, settings.LANGUAGE_CODE]:
        if code in editions_by_language:
            return editions_by_language[code]
    return next(iter(editions_by_language.values()), None)


def enqueue_outbox(issue, batch_size=5000):
    """One outbox row per confirmed subscriber; safe to call again (adds only the missing).

    Returns how many rows it added. Readers of an edition's language are added by one
    INSERT … SELECT per edition (100,000 rows in well under a second, where a model
    instance per row took six); the others, by their other languages, one by one.
    """
    editions = {edition.language: edition for edition in issue.editions.all()}
    if not editions:
        return 0
    confirmed = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
    created = sum(
        _insert_outbox_rows(edition, confirmed.filter(language=language))
        for language, edition in editions.items()
    )
    outbox = OutboxMessage.objects.filter(edition__issue=issue)
    before = outbox.count()  # bulk_create(ignore_conflicts=True) does not say what it added
    rows = []
    others = (
        confirmed.exclude(language__in=list(editions))
        .values_list("pk", "language", "other_languages")
        .order_by("pk")
    )
    for pk, language, other_languages in others.iterator(chunk_size=batch_size):
        edition = edition_for([language, *(other_languages or [])], editions)
        rows.append(OutboxMessage(edition=edition, subscriber_id=pk))
        if len(rows) >= batch_size:
            OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    if rows:
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    return created + outbox.count() - before


def _insert_outbox_rows(edition, subscribers):
    """INSERT … SELECT an outbox row for each of `subscribers`, skipping those who have one."""
    selected = {  # outbox field: its value for each subscriber
        "edition": Value(edition.pk, output_field=BigIntegerField()),
        "subscriber": F("pk"),
        "status": Value(OutboxMessage.Status.PENDING, output_field=CharField()),
        "attempts": Value(0, output_field=IntegerField()),
        "next_attempt_at": Value(timezone.now(), output_field=DateTimeField()),
        "claimed_by": Value("", output_field=CharField()),
        "message_id": Value("", output_field=CharField()),
        "last_error": Value("", output_field=CharField()),
    }
    select = (
        subscribers.order_by()
        .annotate(**{f"outbox_{name}": value for name, value in selected.items()})
        .values_list(*(f"outbox_{name}" for name in selected))
    )
    sql, params = select.query.sql_with_params()
    quote = db_connection.ops.quote_name
    meta = OutboxMessage._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in selected)
    with db_connection.cursor() as cursor:
        # ON CONFLICT DO NOTHING: the unique (edition, subscriber) makes a second call a
        # no-op; SQLite and PostgreSQL both read it (the SELECT has the WHERE SQLite needs).
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) {sql} ON CONFLICT DO NOTHING",
            params,
        )
        return cursor.rowcount


@transaction.atomic
def start_sending(issue, *, by, workers=2):
    """Freeze the issue, fill the outbox, and hand the work to background workers."""
    # by=None: the operator at the command line (manage.py send_update).
    if by is not None and not by.has_perm("updates.send_issue"):
        raise PermissionDenied
    issue = UpdateIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status in (UpdateIssue.Status.SENDING, UpdateIssue.Status.SENT):
        raise ValidationError(
            _("This Update is already being sent or was sent; it is not sent twice.")
        )
    if not issue.items.exists():
        raise ValidationError(_("This Update has no items; add some before sending it."))
    if not issue.editions.exists():
        raise ValidationError(_("This Update has no language edition."))
    issue.status = UpdateIssue.Status.SENDING
    issue.save(update_fields=["status"])
    freeze_editions(issue)
    count = enqueue_outbox(issue)
    # workers=0: the caller runs its own workers (manage.py send_update).
    for _n in range(workers):
        enqueue_on_commit("coalition.updates.tasks.deliver_issue", issue.pk)
    return count


def freeze_editions(issue):
    """Render each edition once and keep it: what is sent is what the archive shows."""
    from ..rendering import render_edition

    for edition in issue.editions.all():
        rendered = render_edition(edition)
        edition.sent_subject = rendered.subject[:255]
        edition.sent_html = rendered.html
        edition.sent_text = rendered.text
        edition.sent_web_html = rendered.web_html
        edition.save(update_fields=["sent_subject", "sent_html", "sent_text", "sent_web_html"])


def frozen(edition):
    """The edition as frozen by freeze_editions (rendered now if it never was)."""
    from ..rendering import RenderedEdition, render_edition

    if not edition.sent_html:
        return render_edition(edition)
    return RenderedEdition(
        subject=edition.sent_subject,
        html=edition.sent_html,
        text=edition.sent_text,
        language=edition.language,
        web_html=edition.sent_web_html,
    )


# Claiming ---------------------------------------------------------------------------


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


def _mark(row, **fields):
    """Record one message's outcome, committed before the next send.

    One statement in autocommit: one round trip, where a transaction would take four.
    """
    OutboxMessage.objects.filter(pk=row.pk, claimed_by=row.claimed_by).update(**fields)


def _commit_without_waiting_for_disk():
    """On PostgreSQL, let this session's commits return before the WAL reaches the disk.

    The worker waits for nothing but visibility to other sessions; a database crash (not
    a worker crash) could at worst forget the last marks, whose messages would then be
    sent again. Set per batch: the session may have been replaced since.
    """
    if db_connection.vendor == "postgresql" and not db_connection.in_atomic_block:
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")


def _renew(rows, worker):
    """A whole lease from now on `rows`, if `worker` still holds them all (else False:
    another worker took some over after the lease ran out, and may have sent them)."""
    until = timezone.now() + timedelta(seconds=lease_seconds())
    renewed = OutboxMessage.objects.filter(
        pk__in=[row.pk for row in rows], claimed_by=worker, status=OutboxMessage.Status.SENDING
    ).update(claimed_until=until)
    return renewed == len(rows)


def _mark_sent(row):
    """`_mark(row, status=SENT, …)` for the outcome of nearly every message, in SQL
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


# Messages --------------------------------------------------------------------------

# The placeholders of the rendering contract (rendering.render_edition).
UNSUBSCRIBE = "%%UNSUBSCRIBE_URL%%"
PREFERENCES = "%%PREFERENCES_URL%%"
# Stand-ins, in a message built once per edition, for what differs per subscriber.
_TO = "update-recipient@placeholder.invalid"
_MESSAGE_ID = "%%MESSAGE_ID%%"
_DATE = "%%DATE%%"
_LINK_KEY = "PERSONAL-LINK-KEY-PLACEHOLDER"


def _site_host():
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


def message_id(row):
    """Stable per (edition, subscriber): a resent copy carries the same id."""
    return f"<update-{row.edition_id}-{row.subscriber_id}@{_site_host()}>"


def personal_links(subscriber, language):
    with translation.override(language):
        return (
            settings.SITE_URL + reverse("updates:unsubscribe", kwargs={"token": subscriber.token}),
            settings.SITE_URL + reverse("updates:preferences", kwargs={"token": subscriber.token}),
        )


def _email(rendered, *, to, message_id, unsubscribe, preferences, connection=None, date=None):
    def personalize(text):
        return text.replace(UNSUBSCRIBE, unsubscribe).replace(PREFERENCES, preferences)

    headers = {
        "Message-ID": message_id,
        "Content-Language": rendered.language,
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # A dot-atom (RFC 2919): the site's host name without its port.
        "List-Id": f"OER Dynamic Coalition Update <update.{_site_host()}>",
    }
    if date is not None:
        headers["Date"] = date
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=personalize(rendered.text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=connection,
        headers=headers,
    )
    message.attach_alternative(personalize(rendered.html), "text/html")
    return message


def build_message(row, rendered, connection=None):
    """The message to one subscriber, built by Django's MIME classes."""
    unsubscribe, preferences = personal_links(row.subscriber, rendered.language)
    return _email(
        rendered,
        to=row.subscriber.email,
        message_id=message_id(row),
        unsubscribe=unsubscribe,
        preferences=preferences,
        connection=connection,
    )


class _Raw:
    """A message already in bytes, as the SMTP backend asks for it: message().as_bytes()."""

    def __init__(self, data):
        self.data = data

    def as_bytes(self, linesep="\r\n", **_options):
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())


class _PrebuiltEmail(EmailMultiAlternatives):
    def __init__(self, data, **kwargs):
        super().__init__(**kwargs)
        self._data = data

    def message(self):
        return _Raw(self._data)


@dataclass(frozen=True)
class _Subscriberlike:
    """Enough of a subscriber for personal_links, with a stand-in token."""

    token: str


class MessageTemplate:
    """One edition's message in bytes, built once by Django's MIME classes with stand-ins
    for the recipient, Message-ID, date and personal links, which each message replaces.

    Building the MIME tree and flattening it again for each subscriber took 1-4 ms a
    message (most in the `email` package's generator, more for French and Arabic text):
    more than everything else a worker does. Replacing the stand-ins in bytes gives the
    same message, and takes microseconds. Used with Django's SMTP backend only (other
    backends may look inside the MIME tree), and only when every stand-in came out of the
    MIME encoding intact and the address is ASCII; otherwise `build_message` does it.
    """

    def __init__(self, rendered):
        self.language = rendered.language
        # The envelope's addresses as (name, address) pairs, which Django's SMTP backend
        # takes as they are; as strings, it parses both again for every message with the
        # `email` package's full header parser, a third of a worker's time. No name: the
        # envelope sender is an address (the From header, in the bytes, keeps the name).
        self.envelope_from = ("", parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
        unsubscribe, preferences = personal_links(_Subscriberlike(_LINK_KEY), rendered.language)
        self.links = (unsubscribe, preferences)
        data = (
            _email(
                rendered,
                to=_TO,
                message_id=_MESSAGE_ID,
                unsubscribe=UNSUBSCRIBE,
                preferences=PREFERENCES,
                date=_DATE,
            )
            .message()
            .as_bytes(linesep="\r\n")
        )
        head, separator, body = data.partition(b"\r\n\r\n")
        self.head, self.body = head + separator, body
        in_body = rendered.text + rendered.html
        self.usable = (
            all(
                self.head.count(stand_in.encode()) == 1
                for stand_in in (_TO, _MESSAGE_ID, _DATE, UNSUBSCRIBE)
            )
            and self.body.count(UNSUBSCRIBE.encode()) == in_body.count(UNSUBSCRIBE)
            and self.body.count(PREFERENCES.encode()) == in_body.count(PREFERENCES)
        )

    def message(self, row, connection):
        subscriber = row.subscriber
        unsubscribe, preferences = (
            link.replace(_LINK_KEY, subscriber.token).encode() for link in self.links
        )
        head = (
            self.head.replace(_TO.encode(), subscriber.email.encode("ascii"), 1)
            .replace(_MESSAGE_ID.encode(), message_id(row).encode(), 1)
            .replace(_DATE.encode(), formatdate(localtime=settings.EMAIL_USE_LOCALTIME).encode(), 1)
            .replace(UNSUBSCRIBE.encode(), unsubscribe, 1)
        )
        body = self.body.replace(UNSUBSCRIBE.encode(), unsubscribe).replace(
            PREFERENCES.encode(), preferences
        )
        return _PrebuiltEmail(
            head + body,
            from_email=self.envelope_from,
            to=[("", subscriber.email)],
            connection=connection,
        )


def _message_for(row, rendered, template, connection):
    if template is not None and template.usable and row.subscriber.email.isascii():
        return template.message(row, connection)
    return build_message(row, rendered, connection)


# Delivering ------------------------------------------------------------------------


@dataclass
class Progress:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    resent_in_doubt: int = 0
    errors: list = field(default_factory=list)


def _is_temporary(error):
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in error.recipients.values())
    return isinstance(
        error, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError, OSError)
    )


def _record_failure(row, error):
    temporary = _is_temporary(error)
    attempts = row.attempts + 1
    if temporary and attempts < MAX_ATTEMPTS:
        first = settings.UPDATE_RETRY_SECONDS
        delay = timedelta(seconds=min(first * 2 ** (attempts - 1), 3600))
        _mark(
            row,
            status=OutboxMessage.Status.PENDING,
            attempts=attempts,
            next_attempt_at=timezone.now() + delay,
            last_error=str(error)[:1000],
            claimed_until=None,
        )
        return "retried"
    _mark(row, status=OutboxMessage.Status.FAILED, attempts=attempts, last_error=str(error)[:1000])
    if not temporary:
        record_bounce(row.subscriber, kind=Bounce.Kind.HARD, detail=str(error)[:1000])
    return "failed"


def record_bounce(subscriber, *, kind, detail=""):
    """Note a bounce; repeated permanent failures suppress the address."""
    with transaction.atomic():
        Bounce.objects.create(subscriber=subscriber, kind=kind, detail=detail)
        if kind == Bounce.Kind.HARD:
            subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
            subscriber.hard_bounces += 1
            fields = ["hard_bounces"]
            if subscriber.hard_bounces >= HARD_BOUNCES_BEFORE_SUPPRESSION:
                subscriber.status = Subscriber.Status.SUPPRESSED
                fields.append("status")
            subscriber.save(update_fields=fields)
    return subscriber


def next_due_in(issue_id):
    """Seconds until an open row not due now becomes due (a retry after its backoff, or
    the end of a worker's lease); None when no row is open."""
    open_rows = OutboxMessage.objects.filter(edition__issue_id=issue_id)
    moments = [
        open_rows.filter(status=OutboxMessage.Status.PENDING).aggregate(at=Min("next_attempt_at"))[
            "at"
        ],
        open_rows.filter(status=OutboxMessage.Status.SENDING).aggregate(at=Min("claimed_until"))[
            "at"
        ],
    ]
    moments = [moment for moment in moments if moment is not None]
    if not moments:
        return None
    return max(0.0, (min(moments) - timezone.now()).total_seconds())


def deliver(
    issue_id, *, worker=None, batch_size=BATCH_SIZE, on_progress=None, max_batches=None, wait=False
):
    """Send the issue's due outbox rows until none is left; returns what this worker did.

    wait=False (a background task) returns when no row is due now. wait=True (the command
    line's workers) stays until every row is sent or has failed: it sleeps until the next
    retry is due or another worker's lease ends, so a worker started after a crash also
    delivers the rows the dead worker had claimed.
    """
    worker = worker or worker_name()
    progress = Progress()
    rendered = {}
    templates = {}
    pace = rate_limit()
    batches = 0
    lease = lease_seconds()
    while max_batches is None or batches < max_batches:
        # The claim's lease counts from a moment after this one (a claim may first wait
        # for the database's write lock).
        leased_at = time.monotonic()
        rows, doubtful = claim_batch(issue_id, worker, batch_size)
        _commit_without_waiting_for_disk()
        if not rows:
            pause = next_due_in(issue_id) if wait else None
            if pause is None:
                break
            time.sleep(min(max(pause, 0.05), WAIT_POLL_SECONDS))
            continue
        batches += 1
        with get_connection() as connection:
            # Messages from a per-edition template only for the SMTP backend (see there).
            prebuilt = isinstance(connection, SmtpBackend)
            for index, row in enumerate(rows):
                row.claimed_by = worker
                if row.subscriber.status != Subscriber.Status.CONFIRMED:
                    _mark(row, status=OutboxMessage.Status.SKIPPED)
                    progress.skipped += 1
                    continue
                if row.edition_id not in rendered:
                    rendered[row.edition_id] = frozen(row.edition)
                    templates[row.edition_id] = MessageTemplate(rendered[row.edition_id])
                if time.monotonic() - leased_at > lease * RENEW_AFTER:
                    # The fence, right before sending: go on only if the database confirms
                    # that the rows left are still this worker's, for a whole lease from
                    # now. A worker that stalled past its lease (or rendered for long)
                    # finds rows taken over and stops, instead of sending rows another
                    # worker may have sent.
                    leased_at = time.monotonic()
                    if not _renew(rows[index:], worker):
                        break
                started = time.monotonic()
                try:
                    template = templates[row.edition_id] if prebuilt else None
                    _message_for(row, rendered[row.edition_id], template, connection).send()
                except Exception as error:  # every SMTP error is recorded on its row
                    outcome = _record_failure(row, error)
                    setattr(progress, outcome, getattr(progress, outcome) + 1)
                    progress.errors.append((row.subscriber.email, str(error)[:200]))
                    if not _is_temporary(error) or isinstance(error, smtplib.SMTPRecipientsRefused):
                        continue
                    break  # the connection is likely gone: release the rest of the batch below
                _mark_sent(row)
                progress.sent += 1
                progress.resent_in_doubt += row.pk in doubtful
                if on_progress is not None:
                    on_progress(progress)
                if pace:
                    time.sleep(max(0.0, 1 / pace - (time.monotonic() - started)))
        # Rows of this batch left unsent after a connection failure go back to the queue.
        OutboxMessage.objects.filter(
            pk__in=[row.pk for row in rows], status=OutboxMessage.Status.SENDING, claimed_by=worker
        ).update(status=OutboxMessage.Status.PENDING, claimed_until=None)
    finish_if_done(issue_id)
    return progress


def finish_if_done(issue_id):
    """Mark the issue and its editions sent once no row is pending or in flight."""
    open_rows = OutboxMessage.objects.filter(
        edition__issue_id=issue_id,
        status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING],
    )
    if open_rows.exists():
        return False
    now = timezone.now()
    with transaction.atomic():
        updated = UpdateIssue.objects.filter(pk=issue_id, status=UpdateIssue.Status.SENDING).update(
            status=UpdateIssue.Status.SENT, sent_at=now
        )
        if updated:
            Edition.objects.filter(issue_id=issue_id, sent_at__isnull=True).update(sent_at=now)
    return bool(updated)


def progress_of(issue):
    """Counts per edition and status, for the secretariat's progress view."""
    counts = {}
    rows = (
        OutboxMessage.objects.filter(edition__issue=issue)
        .values("edition__language", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts.setdefault(row["edition__language"], {})[row["status"]] = row["n"]
    return counts
