"""Background work starts only once the change that asks for it is committed.

A service runs in a transaction; a task enqueued inside it could run before the commit
(and find nothing) or for a change that is then rolled back. Every service enqueues
through `enqueue_on_commit`, by the task object, never by importing a worker module's
internals.

`held()` keeps back the work asked for inside it: the demo replays past history through
the services, and nobody is to be e-mailed about a registration made in 2021.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.db import transaction

_held = ContextVar("coalition_core_queue_held", default=None)


def enqueue_on_commit(task, *args, **kwargs):
    """Enqueue `task` with these arguments when the current transaction commits (at once
    outside a transaction); inside `held()`, only note that it was asked for."""
    held_work = _held.get()
    if held_work is not None:
        held_work.append((task, args, kwargs))
        return
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))


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
