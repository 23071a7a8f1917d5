"""Background delivery of the Update: each task is one worker draining the outbox."""

from django_tasks import task


@task()
def deliver_issue(issue_id):
    from .sending import deliver

    progress = deliver(issue_id)
    return {"sent": progress.sent, "failed": progress.failed, "retried": progress.retried}
