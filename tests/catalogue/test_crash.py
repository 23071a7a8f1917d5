"""A harvest killed with SIGKILL in the middle of a run resumes without duplicates.

Real processes against a real database file: `manage.py harvest` runs in a child
process, is killed while pages arrive, and a second `manage.py harvest` (after the
dead worker's lease runs out) finishes the list.
"""

import os
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


def test_harvest_killed_mid_run_resumes_without_duplicates(tmp_path, server):
    database = tmp_path / "crash.sqlite3"
    env = _env(database)
    _manage(env, "migrate", "--no-input")
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
