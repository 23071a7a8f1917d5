"""Background work starts only once the change that asks for it is committed.

A service runs in a transaction; a task enqueued inside it could run before the commit
(and find nothing) or for a change that is then rolled back. Every service enqueues
through `enqueue_on_commit`, naming the task by its dotted path
(`"coalition.activities.tasks.send_submission_decision"`): the path is looked up when the
transaction commits, so a service never imports a tasks module, and a tasks module may
import the services it calls without an import circle.
"""

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue_on_commit(task, *args, **kwargs):
    """Enqueue `task` (a task, or its dotted path) with these arguments when the current
    transaction commits (at once outside a transaction)."""

    def enqueue():
        found = import_string(task) if isinstance(task, str) else task
        found.enqueue(*args, **kwargs)

    transaction.on_commit(enqueue)
