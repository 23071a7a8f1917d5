"""Background work starts only once the change that asks for it is committed.

A service runs in a transaction; a task enqueued inside it could run before the commit
(and find nothing) or for a change that is then rolled back. Every service enqueues
through `enqueue_on_commit`, naming the task by its dotted path
(`"coalition.activities.tasks.send_submission_decision"`): the path is looked up when the
transaction commits, so a service never imports a tasks module, and a tasks module may
import the services it calls without an import circle.

`held()` keeps back the work asked for inside it: the demo replays past history through
the services, and nobody is to be e-mailed about a registration made in 2021.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task_backends

_held = ContextVar("coalition_core_queue_held", default=None)


def enqueue_on_commit(task, *args, run_after=None, **kwargs):
    """Enqueue `task` (a task, or its dotted path) with these arguments when the current
    transaction commits (at once outside a transaction). `run_after` (an aware datetime)
    defers it where the backend can wait; a backend that cannot (the tests' immediate one)
    runs it at once, so a task given a time must check that its time has come. Inside
    `held()`, the work is only noted, not enqueued."""
    held_work = _held.get()
    if held_work is not None:
        held_work.append((task, args, kwargs))
        return

    def enqueue():
        found = import_string(task) if isinstance(task, str) else task
        if run_after is not None and task_backends[found.backend].supports_defer:
            found = found.using(run_after=run_after)
        found.enqueue(*args, **kwargs)

    transaction.on_commit(enqueue)


@contextmanager
def held():
    """Inside this block, `enqueue_on_commit` enqueues nothing; the block receives the list
    of `(task, args, kwargs)` it held back, which are then dropped."""
    work = []
    token = _held.set(work)
    try:
        yield work
    finally:
        _held.reset(token)
