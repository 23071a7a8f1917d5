"""Harvests in real processes against a real database file.

- A harvest killed with SIGKILL in the middle of a run resumes without duplicates:
  `manage.py harvest` runs in a child process, is killed while pages arrive, and a
  second one (after the dead worker's lease runs out) finishes the list.
- Two `db_worker` processes harvest two sources in parallel, and never one source twice
  at once, although its harvest was queued twice.
"""

import itertools
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from . import pages
from .conftest import OAIServer, Reply

REPO = Path(__file__).resolve().parents[2]
PAGES, PER_PAGE = 16, 40

SETUP = """
import django; django.setup()
from coalition.members.models import Organization
from coalition.catalogue.services.sources import register_source
org = Organization.objects.create(name="Crash Univ", slug="crash", stakeholder_type="university",
                                  country="FR", status="member")
register_source(org, "{url}", name="crash", harvest_now=False)
"""


def _page(number):
    first = number * PER_PAGE
    records = [pages.record(n) for n in range(first, first + PER_PAGE)]
    token = f"page-{number + 1}" if number + 1 < PAGES else ""
    return Reply(
        pages.list_records(records, token=token, cursor=first, size=PAGES * PER_PAGE).encode(),
        delay=0.15,
    )


@pytest.fixture
def server():
    server = OAIServer()
    server.on(Reply(pages.identify().encode()), verb="Identify")
    server.on(Reply(pages.list_metadata_formats().encode()), verb="ListMetadataFormats")
    server.on(_page(0), verb="ListRecords", metadataPrefix="oai_dc")
    for number in range(1, PAGES):
        server.on(_page(number), verb="ListRecords", resumptionToken=f"page-{number}")
    yield server
    server.close()


def _env(database):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(
        DJANGO_SETTINGS_MODULE="coalition.settings",
        HUB_DEBUG="1",
        DATABASE_URL=f"sqlite:///{database}",
        HUB_CATALOGUE_HARVEST_LEASE="2",
        HUB_LOG_LEVEL="WARNING",
    )
    return env


def _manage(env, *args, **kwargs):
    return subprocess.run(  # noqa: S603 - this interpreter on our own manage.py
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, check=True,
        capture_output=True, text=True, timeout=300, **kwargs,
    )  # fmt: skip


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated database file, made once and copied for each test."""
    template = tmp_path_factory.mktemp("catalogue-db") / "template.sqlite3"
    _manage(_env(template), "migrate", "--no-input")
    return template


def _fresh_database(migrated, tmp_path):
    database = tmp_path / "hub.sqlite3"
    shutil.copyfile(migrated, database)
    return database


def test_harvest_killed_mid_run_resumes_without_duplicates(tmp_path, server, migrated):
    database = _fresh_database(migrated, tmp_path)
    env = _env(database)
    setup = [sys.executable, "-c", SETUP.format(url=server.url)]
    subprocess.run(setup, cwd=REPO, env=env, check=True, timeout=120)  # noqa: S603 - our script
    child = subprocess.Popen(
        [sys.executable, "manage.py", "harvest", "crash", "--no-progress"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if len([r for r in server.requests if r.get("verb") == "ListRecords"]) >= PAGES // 2:
            break
        time.sleep(0.02)
    time.sleep(0.1)  # somewhere inside the page being read or stored
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with sqlite3.connect(database) as db:
        stored_before = db.execute("SELECT count(*) FROM catalogue_record").fetchone()[0]
    assert 0 < stored_before < PAGES * PER_PAGE

    time.sleep(2.5)  # the dead worker's lease runs out
    requests_before = len(server.requests)
    result = _manage(env, "harvest", "crash", "--no-progress")
    assert result.stdout.startswith("Succeeded"), result.stdout + result.stderr
    resumed_at = server.requests[requests_before]
    assert "resumptionToken" in resumed_at  # resumed, not started again

    with sqlite3.connect(database) as db:
        count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        assert count("SELECT count(*) FROM catalogue_record") == PAGES * PER_PAGE
        assert count("SELECT count(DISTINCT identifier) FROM catalogue_record") == PAGES * PER_PAGE
        assert count("SELECT count(*) FROM catalogue_work") == PAGES * PER_PAGE
        assert count("SELECT count(*) FROM catalogue_searchentry") == PAGES * PER_PAGE
        assert count("SELECT count(*) FROM catalogue_search_fts") == PAGES * PER_PAGE
        runs = db.execute(
            "SELECT status, added, resumed_from_id FROM catalogue_harvestrun ORDER BY id"
        ).fetchall()
    assert [status for status, _added, _from in runs] == ["resumed", "succeeded"]
    assert sum(added for _status, added, _from in runs) == PAGES * PER_PAGE
    assert runs[1][2] is not None


TWO_SOURCES = """
import django; django.setup()
from coalition.members.models import Organization
from coalition.catalogue.services.sources import register_source
from coalition.catalogue import tasks
org = Organization.objects.create(name="Two Univ", slug="two", stakeholder_type="university",
                                  country="FR", status="member")
first = register_source(org, "{first}", name="first", harvest_now=False)
second = register_source(org, "{second}", name="second", harvest_now=False)
tasks.harvest.enqueue(first.pk)
tasks.harvest.enqueue(first.pk)
tasks.harvest.enqueue(second.pk)
"""


def _slow_source(pages_count=6):
    server = OAIServer()
    server.on(Reply(pages.identify().encode()), verb="Identify")
    server.on(Reply(pages.list_metadata_formats().encode()), verb="ListMetadataFormats")
    for number in range(pages_count):
        records = [pages.record(number * 10 + n) for n in range(10)]
        token = f"page-{number + 1}" if number + 1 < pages_count else ""
        reply = Reply(pages.list_records(records, token=token).encode(), delay=0.3)
        if number == 0:
            server.on(reply, verb="ListRecords", metadataPrefix="oai_dc")
        else:
            server.on(reply, verb="ListRecords", resumptionToken=f"page-{number}")
    return server


def _start_worker(command, env):
    return subprocess.Popen(  # noqa: S603 - this interpreter on our own manage.py
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def test_two_db_workers_harvest_sources_in_parallel_never_one_twice(tmp_path, migrated):
    first, second = _slow_source(), _slow_source()
    try:
        database = _fresh_database(migrated, tmp_path)
        env = _env(database)
        script = TWO_SOURCES.format(first=first.url, second=second.url)
        subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, check=True,  # noqa: S603
                       timeout=120)  # fmt: skip
        worker = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay",
                  "--no-reload", "--interval", "0.1"]  # fmt: skip
        workers = [_start_worker(worker, env) for _ in range(2)]
        for process in workers:
            assert process.wait(timeout=180) == 0
    finally:
        first.close()
        second.close()
    with sqlite3.connect(database) as db:
        runs = db.execute(
            "SELECT s.name, r.status, r.started_at, r.finished_at, r.added, r.worker "
            "FROM catalogue_harvestrun r JOIN catalogue_source s ON s.id = r.source_id "
            "ORDER BY r.started_at"
        ).fetchall()
        records = db.execute(
            "SELECT s.name, count(*), count(DISTINCT identifier) FROM catalogue_record r "
            "JOIN catalogue_source s ON s.id = r.source_id GROUP BY s.name ORDER BY s.name"
        ).fetchall()
    assert records == [("first", 60, 60), ("second", 60, 60)]
    assert all(status == "succeeded" for _name, status, *_rest in runs)
    by_source = {}
    for name, _status, started, finished, _added, worker in runs:
        by_source.setdefault(name, []).append((started, finished, worker))
    first_runs = by_source["first"]
    # The second harvest of "first" either found it busy (no run) or ran after the first.
    for (_s1, end1, _w1), (start2, _e2, _w2) in itertools.pairwise(first_runs):
        assert start2 >= end1
    (start_a, end_a, worker_a), (start_b, end_b, worker_b) = first_runs[0], by_source["second"][0]
    assert worker_a != worker_b  # two processes …
    assert start_a < end_b and start_b < end_a  # … at the same time
