"""Background work of the Update, each task taking ids and calling a service.

- `deliver_issue`: one worker draining an issue's outbox (`services/sending.py`).
- `send_confirmation`, `request_confirmations`: the e-mails about a subscription (the
  confirmation request and the "already subscribed" note). Each reads the subscriber as it
  is when the worker runs, so a request that became moot meanwhile (confirmed,
  unsubscribed, erased) sends nothing. Every message is in the subscriber's language, and
  links to pages in that language.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task, task_backends

from coalition.core.mail import absolute_url, templated_message

from . import tokens
from .models import Subscriber
from .services import subscriptions

logger = logging.getLogger(__name__)

# Which message for which occasion, and the status the subscriber must still have.
OCCASIONS = {
    "form": ("updates/email/confirm_subscription", Subscriber.Status.PENDING),
    "import": ("updates/email/confirm_subscription_import", Subscriber.Status.PENDING),
    "already": ("updates/email/confirm_subscription_already", Subscriber.Status.CONFIRMED),
}


def build_message(subscriber, occasion, connection=None):
    template, _status = OCCASIONS[occasion]
    with translation.override(subscriber.language):
        # URLs are reversed in the subscriber's language: the pages they open speak it.
        context = {
            "subscriber": subscriber,
            "confirm_url": absolute_url(
                reverse(
                    "updates:subscribe-confirm",
                    kwargs={"signed": tokens.confirmation_token(subscriber)},
                )
            ),
            "preferences_url": absolute_url(
                reverse("updates:preferences", kwargs={"token": subscriber.token})
            ),
            "unsubscribe_url": absolute_url(
                reverse("updates:unsubscribe", kwargs={"token": subscriber.token})
            ),
            "days": tokens.CONFIRM_MAX_AGE.days,
            "site_url": settings.SITE_URL,
        }
    return templated_message(
        template,
        context,
        to=[subscriber.email],
        language=subscriber.language,
        connection=connection,
        # Auto-Submitted keeps out-of-office replies away; no tracking of any kind is added.
        headers={"Content-Language": subscriber.language, "Auto-Submitted": "auto-generated"},
    )


@task()
def send_confirmation(subscriber_id, occasion="form"):
    """One message about one subscription; nothing if its status changed since."""
    _template, status = OCCASIONS[occasion]
    subscriber = Subscriber.objects.filter(pk=subscriber_id, status=status).first()
    if subscriber is None:
        return False
    build_message(subscriber, occasion).send()
    return True


@task()
def request_confirmations(batch=None):
    """The confirmation request to every imported address still pending (of one import
    when `batch` is its creation time, ISO 8601), over one SMTP connection. An address
    the server refuses is logged and skipped; the others still get theirs."""
    pending = subscriptions.imported_pending(datetime.fromisoformat(batch) if batch else None)
    sent = 0
    with get_connection() as connection:
        for subscriber in pending.order_by("pk").iterator(chunk_size=500):
            try:
                build_message(subscriber, "import", connection).send()
            # One bad address must not stop the others.
            except Exception:
                logger.exception("Confirmation request to subscriber %s failed", subscriber.pk)
                continue
            sent += 1
    return sent


@task()
def deliver_issue(issue_id):
    from .services.sending import deliver, next_due_in

    progress = deliver(issue_id)
    # Rows waiting for a retry (after a temporary SMTP failure) or for a dead worker's
    # lease to end are not due now: come back for them then, where the backend can defer.
    pause = next_due_in(issue_id)
    if pause is not None and task_backends[deliver_issue.backend].supports_defer:
        later = timezone.now() + timedelta(seconds=pause + 1)
        deliver_issue.using(run_after=later).enqueue(issue_id)
    return {"sent": progress.sent, "failed": progress.failed, "retried": progress.retried}


@task()
def send_scheduled_issue(issue_id, scheduled_for):
    """Start a send the secretariat scheduled, if it still is for this time."""
    from .services.sending import send_if_due

    return {"queued": send_if_due(issue_id, scheduled_for)}
