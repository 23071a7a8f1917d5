"""Killing a worker in the middle of a send: every subscriber still gets exactly one message.

Real worker processes (`manage.py send_update <slug> --worker`, production settings) send
to an SMTP sink in this process, through a database file both can open (or a PostgreSQL
database made for this module, when the suite runs on PostgreSQL). A worker is killed with
SIGKILL after the sink has taken N messages; a new worker finishes the send. Then, per
subscriber, the sink must hold the one Message-ID the outbox recorded, and at most one
message overall may have arrived twice: the one in flight at the kill (accepted by the
server, not yet marked sent), resent with the same Message-ID.
"""

import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.factories.updates import SITE_URL
from tests.support.smtp_sink import TEMPORARY, SmtpSink

pytestmark = pytest.mark.xdist_group("crash")

REPO = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 150
# Slow enough that a kill lands mid-send, fast enough for the module to stay near 30 s.
RATE = "200"
LEASE = "1"
WORKER_TIMEOUT = 60
ISSUES = 7  # one per test below


class SharedDatabase:
    """The database the worker processes and this test's helper commands share."""

    def __init__(self, url, workdir, sink_port):
        self.url = url
        self.env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("HUB_", "DATABASE_URL", "DJANGO_"))
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="coalition.settings",
            DATABASE_URL=url,
            HUB_DEBUG="0",
            HUB_SECRET_KEY=secrets.token_hex(16),
            HUB_VAR_DIR=str(workdir),
            HUB_SITE_URL=SITE_URL,
            HUB_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            HUB_EMAIL_HOST="127.0.0.1",
            HUB_EMAIL_PORT=str(sink_port),
            HUB_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
            HUB_UPDATE_SEND_RATE=RATE,
            HUB_UPDATE_SEND_LEASE_SECONDS=LEASE,
            HUB_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )

    def run(self, *args, settings=None, timeout=120, env_overrides=None):
        env = {**self.env, **(env_overrides or {})}
        if settings:
            env["DJANGO_SETTINGS_MODULE"] = settings
        completed = subprocess.run(  # noqa: S603 - this interpreter on our own modules
            [sys.executable, *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr[-3000:]
        return completed.stdout

    def factories(self, *args):
        # Test settings here only for their fast password hasher (the issue's activities
        # come with accounts); the database is the shared one all the same.
        return json.loads(
            self.run(
                "-m", "tests.support.update_delivery", *args, settings="coalition.settings_test"
            )
        )

    def worker(self, slug, *, command=None, env_overrides=None):
        command = command or ["send_update", slug, "--worker"]
        return subprocess.Popen(  # noqa: S603 - this interpreter on our own manage.py
            [sys.executable, "manage.py", *command],
            cwd=REPO,
            env={**self.env, **(env_overrides or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def report(self, slug):
        return self.factories("report", slug)


def _postgres_database():
    """A fresh database on the suite's PostgreSQL server; (url, drop) ."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(os.environ["DATABASE_URL"])
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    name = f"test_send_crash_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop():
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    return urlunsplit(parts._replace(path=f"/{name}")), drop


@pytest.fixture(scope="module")
def sink():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="module")
def shared(sink, tmp_path_factory):
    """Migrated once for the module, with the subscribers and one queued issue per test."""
    workdir = tmp_path_factory.mktemp("crash")
    drop = None
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        url, drop = _postgres_database()
    else:
        # Not pytest-django's in-memory database: other processes must open it.
        url = f"sqlite:///{workdir / 'hub.sqlite3'}"
    database = SharedDatabase(url, workdir, sink.port)
    try:
        database.run("manage.py", "migrate", "--no-input", "-v0")
        database.slugs = database.factories(
            "prepare", "--subscribers", str(SUBSCRIBERS), "--issues", str(ISSUES)
        )
        yield database
    finally:
        if drop is not None:
            drop()


@pytest.fixture
def slug(shared, sink):
    sink.clear()
    sink.on_receive = None
    yield shared.slugs.pop()
    sink.on_receive = None


def kill_when_received(sink, worker, count):
    """SIGKILL the worker as the sink takes message `count`, before it answers "250":
    the worker dies with that message delivered but not marked sent."""

    def on_receive(received, received_count):
        if received_count == count:
            os.kill(worker.pid, signal.SIGKILL)

    sink.on_receive = on_receive


def finish(worker):
    out, err = worker.communicate(timeout=WORKER_TIMEOUT)
    assert worker.returncode == 0, err[-3000:]
    return out


def assert_each_subscriber_got_one_message(sink, report):
    assert report["status"] == "sent"
    assert report["outbox"] == {"sent": SUBSCRIBERS}
    assert report["editions_sent"] == report["editions"] == 3
    ids_by_address = defaultdict(set)
    for received in sink.messages:
        (address,) = received.recipients
        ids_by_address[address].add(received.message_id)
    assert sorted(ids_by_address) == report["confirmed"]
    for address, ids in ids_by_address.items():
        # One Message-ID per subscriber: the one the outbox recorded as sent.
        assert ids == {report["message_ids"][address]}, address


@pytest.mark.parametrize("kill_after", [1, 40, 101])
def test_worker_killed_with_a_message_in_flight_is_finished_by_a_new_worker(
    shared, sink, slug, kill_after
):
    first = shared.worker(slug)
    kill_when_received(sink, first, kill_after)
    first.communicate(timeout=WORKER_TIMEOUT)
    assert first.returncode == -signal.SIGKILL
    sink.on_receive = None
    assert sink.count() == kill_after

    out = finish(shared.worker(slug))

    assert_each_subscriber_got_one_message(sink, shared.report(slug))
    # The message in flight arrived twice, under the same Message-ID; nothing else did.
    assert sink.count() == SUBSCRIBERS + 1
    assert "resent in doubt 1" in out


def test_worker_killed_between_messages_is_finished_by_a_new_worker(shared, sink, slug):
    first = shared.worker(slug)
    assert sink.wait_for(70, timeout=WORKER_TIMEOUT)
    first.send_signal(signal.SIGKILL)  # wherever it is: sending, marking or pacing
    first.communicate(timeout=WORKER_TIMEOUT)
    assert first.returncode == -signal.SIGKILL

    finish(shared.worker(slug))

    assert_each_subscriber_got_one_message(sink, shared.report(slug))
    assert sink.count() <= SUBSCRIBERS + 1


def test_surviving_worker_takes_over_the_rows_of_a_killed_one(shared, sink, slug):
    workers = [shared.worker(slug), shared.worker(slug)]
    killed = threading.Event()

    def on_receive(received, count):
        if count == 60 and not killed.is_set():
            killed.set()
            os.kill(workers[0].pid, signal.SIGKILL)

    sink.on_receive = on_receive
    workers[0].communicate(timeout=WORKER_TIMEOUT)
    assert workers[0].returncode == -signal.SIGKILL

    # No new worker: the other one waits for the dead one's lease and sends its rows too.
    finish(workers[1])

    assert_each_subscriber_got_one_message(sink, shared.report(slug))
    assert sink.count() <= SUBSCRIBERS + 1


def test_send_update_resumes_a_send_with_two_workers_and_a_progress_bar(shared, sink, slug):
    # The issue is queued and nothing sent, as after a Ctrl-C: the same command resumes.
    out = shared.run("manage.py", "send_update", slug, "--workers", "2", timeout=WORKER_TIMEOUT)

    assert_each_subscriber_got_one_message(sink, shared.report(slug))
    assert sink.count() == SUBSCRIBERS
    assert f"] {SUBSCRIBERS}/{SUBSCRIBERS} sent {SUBSCRIBERS} failed 0 pending 0" in out


# As production runs it: the web's "send" queues tasks in the database, `db_worker` runs them.
# The retry waits longer than the first task takes to send the rest (about a second), so
# that the retry is left to a task of its own.
DATABASE_TASKS = {
    "HUB_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    "HUB_UPDATE_RETRY_SECONDS": "5",
}


def wait_until_sent(shared, slug, timeout=WORKER_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report = shared.report(slug)
        if report["outbox"] == {"sent": SUBSCRIBERS}:
            return report
        time.sleep(0.5)
    raise AssertionError(f"not all sent within {timeout} s: {report['outbox']}")


def test_a_database_worker_comes_back_for_a_message_refused_for_now(shared, sink, slug):
    busy = shared.report(slug)["confirmed"][0]
    sink.refuse(busy, TEMPORARY, times=1)
    # Production settings, as the web process that queues the task has.
    shared.run("-m", "tests.support.update_delivery", "enqueue", slug, env_overrides=DATABASE_TASKS)
    worker = shared.worker(
        slug,
        command=["db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        env_overrides=DATABASE_TASKS,
    )
    try:
        report = wait_until_sent(shared, slug)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.communicate(timeout=WORKER_TIMEOUT)

    assert_each_subscriber_got_one_message(sink, report)
    assert sink.count() == SUBSCRIBERS
    assert len(sink.to(busy)) == 1  # refused once, delivered on the retry
    # The first task left the refused message in backoff and queued itself again for
    # when it is due; the second delivered it.
    tasks = report["delivery_tasks"]
    assert [task["status"] for task in tasks] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert [task["deferred"] for task in tasks] == [False, True]
