"""`python -m bench catalogue-oai`: `/oai` ListRecords over the whole catalogue.

The issue's target: serve ListRecords over 1,000,000 records on PostgreSQL; report
records served per second and peak memory, beside the harvest rate (bench
catalogue-harvest, read from its last results if present).

One process fills a throwaway database (works and their primary records, through the
same multi-row inserts a harvest uses: about 1 KB of Dublin Core per record, a third of
the works in an action area); a fresh process then requests `/oai?verb=ListRecords`
through Django's test client, reading each streamed page and following its
resumptionToken to the end. The resident memory of the serving process is sampled
every 500 pages (VmRSS), so "flat" is visible, and its peak (ru_maxrss) reported.
"""

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from . import databases

REPO_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_DIR / "var" / "bench"
SIZE = 1_000_000
QUICK_SIZE = 20_000
TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")


def child_env(database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "DJANGO_"))}
    # Not HUB_DEBUG: in debug mode Django keeps the SQL of the last 9,000 queries in memory.
    env.update(DATABASE_URL=database_url, HUB_DEBUG="0", HUB_SECRET_KEY=os.urandom(32).hex(),
               HUB_SECURE_SSL_REDIRECT="0", HUB_ALLOWED_HOSTS="testserver,127.0.0.1",
               HUB_LOG_LEVEL="WARNING",
               DJANGO_SETTINGS_MODULE="coalition.settings",
               HUB_SITE_URL="https://hub.example.org")  # fmt: skip
    return env


def fill(size):
    import django

    django.setup()
    from django.db import connection

    from coalition.catalogue.models import Record, Source, Work
    from coalition.catalogue.services.bulk import insert_rows
    from coalition.catalogue.services.records import (
        RECORD_INSERT_ATTNAMES,
        RECORD_INSERT_FIELDS,
        _new_record_defaults,
        _set_primary_records,
    )
    from coalition.members.models import Organization

    organization = Organization.objects.create(
        name="Bench University", slug="bench", stakeholder_type="university", country="KE",
        status="member",
    )  # fmt: skip
    source = Source.objects.create(organization=organization, name="Bench", slug="bench",
                                   kind="manual", harvest_every_hours=0)  # fmt: skip
    base = datetime(2024, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    batch = 5000
    for start in range(0, size, batch):
        count = min(batch, size - start)
        stamps = [base + timedelta(seconds=start + n) for n in range(count)]
        ids = insert_rows(Work, ["hub_id", "datestamp", "deleted", "created_at"],
                          [(uuid.uuid4(), stamp, False, stamp) for stamp in stamps],
                          returning=True)  # fmt: skip
        rows = []
        for n, (work_id, stamp) in enumerate(zip(ids, stamps, strict=True)):
            number = start + n
            values = _new_record_defaults()
            values.update(
                work_id=work_id, source_id=source.pk, identifier=f"bench:{number}",
                datestamp=stamp, created_at=stamp, updated_at=stamp, title_language="en",
                title=f"Open course module number {number}: cells, energy and ecosystems",
                description="A module for secondary schools with exercises and a teacher "
                "guide, published as an open educational resource. " * 3,
                creators=[{"name": f"Okafor, Ada {number % 997}", "orcid": ""}],
                languages=["en"], keywords=["biology", "ecology", "open educational resources"],
                urls=[f"https://oer.bench.example.org/resources/{number}"],
                licence_class="open", licence_url="https://creativecommons.org/licenses/by/4.0/",
                learning_resource_type="course", year=2020, metadata_prefix="oai_dc",
            )  # fmt: skip
            rows.append(tuple(values[name] for name in RECORD_INSERT_ATTNAMES))
        insert_rows(Record, RECORD_INSERT_FIELDS, rows)
        _set_primary_records(ids)
    databases.settle(connection)
    elapsed = time.perf_counter() - started
    print(json.dumps({"works": Work.objects.count(), "records": Record.objects.count(),
                      "fill_seconds": elapsed}))  # fmt: skip


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def serve():
    import django

    django.setup()
    from django.test import Client

    client = Client()
    served = pages = 0
    samples = []
    body_bytes = 0
    started = time.perf_counter()
    params = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    while True:
        response = client.get("/oai", params)
        body = b"".join(response.streaming_content)
        body_bytes += len(body)
        served += body.count(b"<record>")
        pages += 1
        if pages % 500 == 0:
            samples.append((served, round(rss_mb(), 1)))
        match = TOKEN.search(body)
        if not match:
            break
        params = {"verb": "ListRecords", "resumptionToken": match[1].decode()}
    elapsed = time.perf_counter() - started
    print(json.dumps({
        "served": served, "pages": pages, "seconds": elapsed, "rate": served / elapsed,
        "mb_served": body_bytes / 1024 / 1024, "rss_samples": samples,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))  # fmt: skip


def load_note():
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def harvest_rate_note(database):
    path = RESULTS_DIR / f"catalogue-harvest-{database}.json"
    if not path.exists():
        return "no harvest results yet (python -m bench catalogue-harvest)"
    results = json.loads(path.read_text())
    largest = max(results["sizes"], key=int)
    figures = results["sizes"][largest]
    return f"the harvester stores {figures['rate']:,.0f} records/s ({int(largest):,} records)"


def run(database, size):
    print(f"catalogue OAI-PMH provider benchmark on {database}, {size:,} records; {load_note()}")
    with (
        tempfile.TemporaryDirectory() as workdir,
        databases.database(database, workdir) as database_url,
    ):
        env = child_env(database_url)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=REPO_DIR, env=env, check=True,
        )  # fmt: skip
        filled = _child(env, "--fill", str(size))
        figures = _child(env, "--serve")
    figures.update(filled)
    print(
        f"  {filled['works']:,} works filled in {filled['fill_seconds']:.0f} s; ListRecords "
        f"served {figures['served']:,} records in {figures['pages']:,} pages "
        f"({figures['mb_served']:,.0f} MB) at {figures['rate']:,.0f} records/s; peak RSS "
        f"{figures['peak_rss_mb']:.0f} MB; RSS samples (records served, MB): "
        f"{figures['rss_samples'][:2]} … {figures['rss_samples'][-2:]}; beside it, "
        f"{harvest_rate_note(database)}; {load_note()}"
    )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"catalogue-oai-{database}.json").write_text(json.dumps(figures, indent=2))
    return figures


def _child(env, *args):
    completed = subprocess.run(  # noqa: S603 - this interpreter on this module
        [sys.executable, "-m", "bench.catalogue_oai", *args],
        cwd=REPO_DIR, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench catalogue-oai")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--size", type=int)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--fill", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fill:
        return fill(args.fill)
    if args.serve:
        return serve()
    if args.database == "postgres" and not databases.postgres_reachable():
        print("PostgreSQL is not reachable", file=sys.stderr)
        return 2
    run(args.database, args.size or (QUICK_SIZE if args.quick else SIZE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
