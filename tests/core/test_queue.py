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


RECORDED = RecordingTask()


@pytest.mark.django_db
def test_enqueue_on_commit_finds_a_task_named_by_its_path(django_capture_on_commit_callbacks):
    RECORDED.calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit("tests.core.test_queue.RECORDED", 3)
        assert RECORDED.calls == []
    assert RECORDED.calls == [((3,), {})]


@pytest.mark.django_db
def test_enqueue_on_commit_names_a_real_task_of_each_app(django_capture_on_commit_callbacks):
    # The paths the services use resolve to tasks (a renamed task fails here, not in a worker).
    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    for path in (
        "coalition.activities.tasks.send_submission_decision",
        "coalition.activities.tasks.send_event_changed",
        "coalition.updates.tasks.deliver_issue",
        "coalition.updates.tasks.send_confirmation",
        "coalition.members.tasks.send_application_decision",
        "coalition.catalogue.tasks.send_record_decision",
        "coalition.consultations.tasks.send_report_shared",
        "coalition.consultations.tasks.send_response_copy",
    ):
        assert isinstance(import_string(path), Task), path
