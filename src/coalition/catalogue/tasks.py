"""Background harvesting on `db_worker`, with the schedule kept by the workers.

`harvest(source_id)` harvests one source (services.harvesting.harvest_source: the lease
keeps a second worker off it) and then queues its next harvest for the source's
`next_harvest_at`. `keep_schedule()` queues every due source that has no harvest
waiting, then queues itself again `CATALOGUE_SCHEDULE_SECONDS` later; every harvest
also makes sure one `keep_schedule` is waiting. So the chain survives a killed worker
(whose task stays "running" forever in django-tasks-db): the next check finds the
source due again once its lease runs out. No cron is needed; `manage.py harvest
--schedule` starts the chain on a fresh installation.

Backends that cannot defer (the immediate backend of the tests) run each task once and
queue nothing further.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

HARVEST_PATH = "coalition.catalogue.tasks.harvest"
KEEP_SCHEDULE_PATH = "coalition.catalogue.tasks.keep_schedule"


def _can_defer(task_object):
    return task_backends[task_object.backend].supports_defer


def _waiting(task_path, args=None):
    waiting = DBTaskResult.objects.filter(task_path=task_path, status=TaskResultStatus.READY)
    if args is not None:
        waiting = waiting.filter(args_kwargs__args=list(args))
    return waiting.exists()


def _uses_database_backend(task_object):
    return task_backends[task_object.backend].__class__.__module__.startswith("django_tasks_db")


@task()
def harvest(source_id, full=False):
    from .models import Source
    from .services.harvesting import harvest_source

    # A source waiting for approval, declined or withdrawn is not harvested (a task
    # queued before the decision finds it so).
    if not Source.objects.filter(pk=source_id, status=Source.Status.APPROVED).exists():
        return {"run": None, "status": "not-approved"}
    run = harvest_source(source_id, full=full)
    if _can_defer(harvest):
        source = Source.objects.filter(pk=source_id).first()
        due = source and source.is_active and source.next_harvest_at
        if due and not (_uses_database_backend(harvest) and _waiting(HARVEST_PATH, [source_id])):
            harvest.using(run_after=source.next_harvest_at).enqueue(source_id)
        ensure_schedule()
    return {"run": run.pk if run else None, "status": run.status if run else "busy"}


@task()
def keep_schedule():
    from .models import Source

    queued = 0
    for source_id in Source.objects.due().values_list("pk", flat=True):
        if _uses_database_backend(harvest) and _waiting(HARVEST_PATH, [source_id]):
            continue
        harvest.enqueue(source_id)
        queued += 1
    if _can_defer(keep_schedule):
        seconds = getattr(settings, "CATALOGUE_SCHEDULE_SECONDS", 300)
        keep_schedule.using(run_after=timezone.now() + timedelta(seconds=seconds)).enqueue()
    return {"queued": queued}


def ensure_schedule():
    """Queue the schedule check unless one is already waiting."""
    if not _can_defer(keep_schedule):
        return
    if _uses_database_backend(keep_schedule) and _waiting(KEEP_SCHEDULE_PATH):
        return
    seconds = getattr(settings, "CATALOGUE_SCHEDULE_SECONDS", 300)
    keep_schedule.using(run_after=timezone.now() + timedelta(seconds=seconds)).enqueue()


@task()
def send_record_decision(submission_id):
    """Tell the submitter of a hand-made record what the secretariat decided."""
    from coalition.core.mail import send_templated

    from .models import RecordSubmission

    submission = (
        RecordSubmission.objects.select_related("submitted_by", "record__work", "source")
        .filter(pk=submission_id)
        .first()
    )
    user = submission and submission.submitted_by
    if user is None:
        return
    send_templated(
        "catalogue/email/record_decision",
        {"submission": submission, "site_url": settings.SITE_URL},
        to=[user.email],
        language=user.preferred_language,
    )
