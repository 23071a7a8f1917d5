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
  systems use to drop duplicates, and counted in `Progress.resent_in_doubt`.
"""

import logging
import os
import smtplib
import socket
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Bounce, Edition, OutboxMessage, Subscriber, UpdateIssue

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_ATTEMPTS = 6
# How long a waiting worker sleeps at most before looking for due rows again.
WAIT_POLL_SECONDS = 5.0
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
    """One outbox row per confirmed subscriber; safe to call again (adds only the missing)."""
    editions = {edition.language: edition for edition in issue.editions.all()}
    if not editions:
        return 0
    created = 0
    rows = []
    subscribers = (
        Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
        .values_list("pk", "language", "other_languages")
        .order_by("pk")
    )
    for pk, language, others in subscribers.iterator(chunk_size=batch_size):
        edition = edition_for([language, *(others or [])], editions)
        rows.append(OutboxMessage(edition=edition, subscriber_id=pk))
        if len(rows) >= batch_size:
            created += len(OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True))
            rows = []
    if rows:
        created += len(OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True))
    return created


@transaction.atomic
def start_sending(issue, *, by, workers=2):
    """Freeze the issue, fill the outbox, and hand the work to background workers."""
    # by=None: the operator at the command line (manage.py send_update).
    if by is not None and not by.has_perm("updates.send_issue"):
        raise PermissionDenied
    issue = UpdateIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status in (UpdateIssue.Status.SENDING, UpdateIssue.Status.SENT):
        raise ValidationError(_("This Update is already being sent or was sent; it is not sent twice."))
    if not issue.items.exists():
        raise ValidationError(_("This Update has no items; add some before sending it."))
    if not issue.editions.exists():
        raise ValidationError(_("This Update has no language edition."))
    issue.status = UpdateIssue.Status.SENDING
    issue.save(update_fields=["status"])
    freeze_editions(issue)
    count = enqueue_outbox(issue)
    from . import tasks

    # workers=0: the caller runs its own workers (manage.py send_update).
    for _n in range(workers):
        transaction.on_commit(lambda: tasks.deliver_issue.enqueue(issue.pk))
    return count


def freeze_editions(issue):
    """Render each edition once and keep it: what is sent is what the archive shows."""
    from .rendering import render_edition

    for edition in issue.editions.all():
        rendered = render_edition(edition)
        edition.sent_subject = rendered.subject[:255]
        edition.sent_html = rendered.html
        edition.sent_text = rendered.text
        edition.sent_web_html = rendered.web_html
        edition.save(update_fields=["sent_subject", "sent_html", "sent_text", "sent_web_html"])


def frozen(edition):
    """The edition as frozen by freeze_editions (rendered now if it never was)."""
    from .rendering import RenderedEdition, render_edition

    if not edition.sent_html:
        return render_edition(edition)
    return RenderedEdition(
        subject=edition.sent_subject, html=edition.sent_html, text=edition.sent_text,
        language=edition.language, web_html=edition.sent_web_html,
    )


# Claiming ---------------------------------------------------------------------------


def _due(issue_id, now):
    return OutboxMessage.objects.filter(edition__issue_id=issue_id).filter(
        Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=OutboxMessage.Status.SENDING, claimed_until__lt=now)
    )


def claim_batch(issue_id, worker, size=BATCH_SIZE):
    """Take up to `size` due rows for this worker; other workers skip them.

    Returns the rows and the ids of those possibly already delivered: for each dead
    worker whose rows are taken over, its lowest unsent row (it sent in id order and
    marked each row as soon as the server accepted it).
    """
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            _due(issue_id, now)
            .order_by("pk")
            # of=("self",): lock only outbox rows. Locking the joined edition row too would
            # make every other worker skip all of that edition's rows and stop early.
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return [], set()
        doubtful = set()
        dead_workers = set(
            OutboxMessage.objects.filter(pk__in=ids, status=OutboxMessage.Status.SENDING)
            .values_list("claimed_by", flat=True)
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
    rows = list(
        OutboxMessage.objects.filter(pk__in=ids)
        .select_related("subscriber", "edition")
        .order_by("pk")
    )
    return rows, doubtful


def _mark(row, **fields):
    """Record one message's outcome in its own short transaction, before the next send."""
    with transaction.atomic():
        if db_connection.vendor == "postgresql":
            # The worker waits for nothing but visibility to other sessions; a database
            # crash (not a worker crash) could at worst forget the last marks.
            with db_connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        OutboxMessage.objects.filter(pk=row.pk, claimed_by=row.claimed_by).update(**fields)


# Messages --------------------------------------------------------------------------


def message_id(row):
    """Stable per (edition, subscriber): a resent copy carries the same id."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    return f"<update-{row.edition_id}-{row.subscriber_id}@{host}>"


def personal_links(subscriber, language):
    with translation.override(language):
        return (
            settings.SITE_URL + reverse("updates:unsubscribe", kwargs={"token": subscriber.token}),
            settings.SITE_URL + reverse("updates:preferences", kwargs={"token": subscriber.token}),
        )


def build_message(row, rendered, connection=None):
    subscriber = row.subscriber
    unsubscribe, preferences = personal_links(subscriber, rendered.language)

    def personalize(text):
        return text.replace("%%UNSUBSCRIBE_URL%%", unsubscribe).replace("%%PREFERENCES_URL%%", preferences)

    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=personalize(rendered.text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        connection=connection,
        headers={
            "Message-ID": message_id(row),
            "Content-Language": rendered.language,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"OER Dynamic Coalition Update <update.{settings.SITE_URL.split('://')[-1].split('/')[0]}>",
        },
    )
    message.attach_alternative(personalize(rendered.html), "text/html")
    return message


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
    return isinstance(error, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError, OSError))


def _record_failure(row, error):
    temporary = _is_temporary(error)
    attempts = row.attempts + 1
    if temporary and attempts < MAX_ATTEMPTS:
        delay = timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))
        _mark(row, status=OutboxMessage.Status.PENDING, attempts=attempts,
              next_attempt_at=timezone.now() + delay, last_error=str(error)[:1000], claimed_until=None)
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
    pace = rate_limit()
    batches = 0
    while max_batches is None or batches < max_batches:
        # Stop well before the lease ends: past it another worker may take these rows. The
        # clock starts before the claim, whose lease counts from a moment after this one
        # (a claim may first wait for the database's write lock).
        must_stop_at = time.monotonic() + lease_seconds() * 0.8
        rows, doubtful = claim_batch(issue_id, worker, batch_size)
        if not rows:
            pause = next_due_in(issue_id) if wait else None
            if pause is None:
                break
            time.sleep(min(max(pause, 0.05), WAIT_POLL_SECONDS))
            continue
        batches += 1
        with get_connection() as connection:
            for row in rows:
                if time.monotonic() > must_stop_at:
                    break
                row.claimed_by = worker
                if row.subscriber.status != Subscriber.Status.CONFIRMED:
                    _mark(row, status=OutboxMessage.Status.SKIPPED)
                    progress.skipped += 1
                    continue
                if row.edition_id not in rendered:
                    rendered[row.edition_id] = frozen(row.edition)
                started = time.monotonic()
                try:
                    build_message(row, rendered[row.edition_id], connection).send()
                except Exception as error:  # noqa: BLE001 - every SMTP error is recorded on its row
                    outcome = _record_failure(row, error)
                    setattr(progress, outcome, getattr(progress, outcome) + 1)
                    progress.errors.append((row.subscriber.email, str(error)[:200]))
                    if not _is_temporary(error) or isinstance(error, smtplib.SMTPRecipientsRefused):
                        continue
                    break  # the connection is likely gone: release the rest of the batch below
                _mark(row, status=OutboxMessage.Status.SENT, sent_at=timezone.now(),
                      message_id=message_id(row), attempts=row.attempts + 1)
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
