import pytest
from django.db import transaction

from coalition.core.queue import enqueue_on_commit, held


class RecordingTask:
    def __init__(self):
        self.calls = []

    def enqueue(self, *args, **kwargs):
        self.calls.append((args, kwargs))


@pytest.mark.django_db
def test_enqueue_on_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    task = RecordingTask()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(task, 7, occasion="promoted")
        assert task.calls == []
    assert task.calls == [((7,), {"occasion": "promoted"})]


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_enqueues_nothing_for_a_rolled_back_change():
    task = RecordingTask()
    with transaction.atomic():
        enqueue_on_commit(task, 7)
        transaction.set_rollback(True)
    assert task.calls == []


@pytest.mark.django_db(transaction=True)
def test_held_keeps_back_the_work_asked_for_and_enqueues_nothing():
    task = RecordingTask()
    with held() as work, transaction.atomic():
        enqueue_on_commit(task, 7, occasion="demo")
    assert task.calls == []
    assert work == [(task, (7,), {"occasion": "demo"})]


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_enqueues_again_after_a_held_block():
    task = RecordingTask()
    with held():
        enqueue_on_commit(task, 1)
    with transaction.atomic():
        enqueue_on_commit(task, 2)
    assert task.calls == [((2,), {})]
