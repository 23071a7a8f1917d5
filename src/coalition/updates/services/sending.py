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
each message comes from its edition's MIME template (`updates/messages.py`) rather than
being built from scratch; `python -m bench updates` measures the result.
"""

import logging
import os
import smtplib
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Min,
    Value,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.core.queue import enqueue_on_commit

from ..messages import MessageTemplate, message_for
from ..models import Bounce, Edition, OutboxMessage, Subscriber, UpdateIssue
from .outbox import (
    BATCH_SIZE,
    claim_batch,
    commit_without_waiting_for_disk,
    lease_seconds,
    mark,
    mark_sent,
    renew,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# How long a waiting worker sleeps at most before looking for due rows again.
WAIT_POLL_SECONDS = 1.0
# A worker renews its lease on the rows it holds once this share of the lease has passed,
# and sends none without a lease confirmed that recently: a send and its mark then have
# the rest, three quarters of a lease (90 s by default), to be done before another worker
# may take the row over.
RENEW_AFTER = 0.25
HARD_BOUNCES_BEFORE_SUPPRESSION = 3


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
        "resent_in_doubt": Value(False, output_field=BooleanField()),
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


def _may_send(by):
    # by=None: the operator at the command line (manage.py send_update), or the task that
    # runs a send the secretariat scheduled.
    if by is not None and not by.has_perm("updates.send_issue"):
        raise PermissionDenied


def _check_sendable(issue):
    if issue.status in (UpdateIssue.Status.SENDING, UpdateIssue.Status.SENT):
        raise ValidationError(
            _("This Update is already being sent or was sent; it is not sent twice.")
        )
    if not issue.items.exists():
        raise ValidationError(_("This Update has no items; add some before sending it."))
    if not issue.editions.exists():
        raise ValidationError(_("This Update has no language edition."))


@transaction.atomic
def start_sending(issue, *, by, workers=2):
    """Freeze the issue, fill the outbox, and hand the work to background workers."""
    _may_send(by)
    issue = UpdateIssue.objects.select_for_update().get(pk=issue.pk)
    _check_sendable(issue)
    issue.status = UpdateIssue.Status.SENDING
    # When sending began (for a scheduled send, about the time it was scheduled for).
    issue.send_at = timezone.now()
    issue.save(update_fields=["status", "send_at"])
    freeze_editions(issue)
    count = enqueue_outbox(issue)
    # workers=0: the caller runs its own workers (manage.py send_update).
    for _n in range(workers):
        enqueue_on_commit("coalition.updates.tasks.deliver_issue", issue.pk)
    return count


@transaction.atomic
def schedule_sending(issue, *, by, send_at, time_zone):
    """Have the issue sent at `send_at` (aware) by a background task; the issue is frozen
    for editing until then (cancel_schedule makes it a draft again)."""
    _may_send(by)
    issue = UpdateIssue.objects.select_for_update().get(pk=issue.pk)
    _check_sendable(issue)
    if send_at <= timezone.now():
        raise ValidationError(_("Choose a time in the future, or send the Update now."))
    issue.status = UpdateIssue.Status.SCHEDULED
    issue.send_at = send_at
    issue.send_time_zone = time_zone
    issue.save(update_fields=["status", "send_at", "send_time_zone"])
    # The task carries the time it was scheduled for: rescheduled or cancelled meanwhile,
    # it finds another time (or none) and does nothing. A backend that cannot wait (the
    # tests' immediate one) runs it now, when it is not due yet: nothing happens.
    enqueue_on_commit(
        "coalition.updates.tasks.send_scheduled_issue",
        issue.pk,
        send_at.isoformat(),
        run_after=send_at,
    )
    return issue


@transaction.atomic
def cancel_schedule(issue, *, by):
    """A scheduled issue becomes a draft again; its waiting task will find nothing to do."""
    _may_send(by)
    issue = UpdateIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != UpdateIssue.Status.SCHEDULED:
        raise ValidationError(_("This Update is not scheduled: there is nothing to cancel."))
    issue.status = UpdateIssue.Status.DRAFT
    issue.send_at = None
    issue.send_time_zone = ""
    issue.save(update_fields=["status", "send_at", "send_time_zone"])
    return issue


def send_if_due(issue_id, scheduled_for, *, workers=2):
    """The scheduled task's work: start sending if the issue is still scheduled for that
    time and the time has come. Returns how many messages it queued (None: nothing to do)."""
    with transaction.atomic():
        issue = UpdateIssue.objects.select_for_update().filter(pk=issue_id).first()
        if (
            issue is None
            or issue.status != UpdateIssue.Status.SCHEDULED
            or issue.send_at is None
            or issue.send_at != datetime.fromisoformat(scheduled_for)
            or issue.send_at > timezone.now()
        ):
            return None
        try:
            return start_sending(issue, by=None, workers=workers)
        except ValidationError:
            # Emptied since it was scheduled: back to a draft, for the secretariat to see.
            logger.warning("Scheduled Update %s could not be sent", issue.pk, exc_info=True)
            UpdateIssue.objects.filter(pk=issue.pk).update(
                status=UpdateIssue.Status.DRAFT, send_at=None, send_time_zone=""
            )
            return None


def freeze_editions(issue):
    """Render each edition once and keep it: what is sent is what the archive shows."""
    from ..rendering import render_edition, site_relative

    for edition in issue.editions.all():
        rendered = render_edition(edition)
        edition.sent_subject = rendered.subject[:255]
        edition.sent_html = rendered.html
        edition.sent_text = rendered.text
        # Kept site-relative: the archive serves it as it is, the feed adds today's address.
        edition.sent_web_html = site_relative(rendered.web_html)
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
        mark(
            row,
            status=OutboxMessage.Status.PENDING,
            attempts=attempts,
            next_attempt_at=timezone.now() + delay,
            last_error=str(error)[:1000],
            claimed_until=None,
        )
        return "retried"
    mark(row, status=OutboxMessage.Status.FAILED, attempts=attempts, last_error=str(error)[:1000])
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
        commit_without_waiting_for_disk()
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
                    mark(row, status=OutboxMessage.Status.SKIPPED)
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
                    if not renew(rows[index:], worker):
                        break
                started = time.monotonic()
                try:
                    template = templates[row.edition_id] if prebuilt else None
                    message_for(row, rendered[row.edition_id], template, connection).send()
                except Exception as error:  # every SMTP error is recorded on its row
                    outcome = _record_failure(row, error)
                    setattr(progress, outcome, getattr(progress, outcome) + 1)
                    progress.errors.append((row.subscriber.email, str(error)[:200]))
                    if not _is_temporary(error) or isinstance(error, smtplib.SMTPRecipientsRefused):
                        continue
                    break  # the connection is likely gone: release the rest of the batch below
                mark_sent(row)
                progress.sent += 1
                if row.pk in doubtful:
                    # Rare (one row per dead worker): kept on the row for the progress page.
                    OutboxMessage.objects.filter(pk=row.pk).update(resent_in_doubt=True)
                    progress.resent_in_doubt += 1
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
