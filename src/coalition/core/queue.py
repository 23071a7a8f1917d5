"""Background work starts only once the change that asks for it is committed.

A service runs in a transaction; a task enqueued inside it could run before the commit
(and find nothing) or for a change that is then rolled back. Every service enqueues
through `enqueue_on_commit`, by the task object, never by importing a worker module's
internals.
"""

from functools import partial

from django.db import transaction


def enqueue_on_commit(task, *args, **kwargs):
    """Enqueue `task` with these arguments when the current transaction commits (at once
    outside a transaction)."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))
