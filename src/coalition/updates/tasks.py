"""Background delivery of the Update: each task is one worker draining the outbox."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task, task_backends


@task()
def deliver_issue(issue_id):
    from .sending import deliver, next_due_in

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
    from .sending import send_if_due

    return {"queued": send_if_due(issue_id, scheduled_for)}
