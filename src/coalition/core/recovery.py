"""Work a dead worker left half done is done again, when it is safe to do again.

The database task backend marks a task RUNNING when a worker takes it and never looks
at it again: a worker killed mid-task (a deploy, the OOM killer, a lost machine) leaves
it RUNNING for ever, and whatever it had left to do is lost. For a mail task that is a
lost mail: the rest of a country's reporting team never hears that its report came back
with questions.

Tasks that can safely run twice say so with `@retry_safe` (a mail task whose mails are
sent `once=`, see `core.mail.send_templated`). When a worker starts
(`manage.py db_worker`), it looks for such tasks RUNNING for longer than
`HUB_TASK_STALL_MINUTES` (15 by default; a mail task takes seconds), marks each failed,
and enqueues it again with the same arguments. Other tasks are left for a person to
look at: a harvest has its own lease and checkpoints, a PDF its own request.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

_RETRY_SAFE = set()


def retry_safe(task):
    """Mark a task (a django-tasks Task) as safe to run again after a crash."""
    _RETRY_SAFE.add(task.module_path)
    return task


def stall_after():
    return timedelta(minutes=getattr(settings, "TASK_STALL_MINUTES", 15))


def recover_stalled_tasks(now=None):
    """Enqueue again every retry-safe task left RUNNING too long; returns their paths."""
    from django_tasks_db.models import DBTaskResult

    _import_task_modules()
    cutoff = (now or timezone.now()) - stall_after()
    recovered = []
    with transaction.atomic():
        stalled = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status="RUNNING", started_at__lt=cutoff, task_path__in=sorted(_RETRY_SAFE)
        )
        for result in stalled:
            result.status = "FAILED"
            result.finished_at = timezone.now()
            result.exception_class_path = "coalition.core.recovery.WorkerLost"
            result.traceback = "The worker running this task stopped; it was enqueued again."
            result.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
            # At once, on the queue and backend it was on (not at its old run_after).
            task = import_string(result.task_path).using(
                priority=result.priority, queue_name=result.queue_name, backend=result.backend_name
            )
            # In the same transaction as the mark: both happen, or neither.
            task.enqueue(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
            recovered.append(result.task_path)
            logger.warning("Task %s (%s) stalled; enqueued again", result.task_path, result.pk)
    return recovered


class WorkerLost(Exception):
    """The worker running a task stopped before the task ended."""


def _import_task_modules():
    """Each app's tasks module, so that every `@retry_safe` has run."""
    from importlib import import_module

    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if config.name.startswith("coalition.") and module_has_submodule(config.module, "tasks"):
            import_module(f"{config.name}.tasks")
