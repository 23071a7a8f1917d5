"""`python -m bench catalogue-pages`: the catalogue's people-facing pages over 20,000
records (SQLite) and 50,000 (PostgreSQL).

What a person waits for, through Django's test client (middleware, view, selectors,
facet labels, template): the search page browsing everything (its first visit, which
counts every facet of the whole catalogue, then from the browse cache), a keyword, a
keyword with two facet filters, a record page, and the CSV export of a filtered search (every row).
Records are stored through the one write path (`services.records.store_items`, as a
harvest stores them: deduplication, history, search index) from generated metadata in
the six UN languages with subjects, years, licences, types and levels, a tenth of them
near-duplicates across the four sources. Prints p50/p95 per page, the query count per
page (it must not depend on the data size), and the data size.
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from . import databases
from .catalogue_search import SCRIPTS, child_env, load_note, percentile, vocabulary, zipf_pick

REPO_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_DIR / "var" / "bench"
SIZES = {"sqlite": 20_000, "postgres": 50_000}
REQUESTS = 40
WARMUP = 5
TARGET_P95_MS = 300.0
RIGHTS = ["CC BY 4.0", "CC BY-SA 4.0", "CC BY-NC 4.0", "CC BY-ND 4.0", "All rights reserved",
          "info:eu-repo/semantics/openAccess", "CC0 1.0"]  # fmt: skip
TYPES = ["textbook", "course", "video", "article", "lesson", "assessment", "dataset"]
LEVELS = ["primary education", "secondary education", "higher education", "vocational"]
SUBJECTS = [f"Subject {n}" for n in range(300)]


def generate(size, seed):
    from coalition.catalogue.models import Source
    from coalition.catalogue.services.records import Incoming, store_items
    from coalition.members.models import Organization

    rng = random.Random(seed)
    languages = list(SCRIPTS)
    words = {language: vocabulary(rng, language, size=1500) for language in languages}
    sources = []
    for number, country in enumerate(["SN", "EG", "FR", "BR"]):
        organization = Organization.objects.create(
            name=f"Bench organization {number}", slug=f"bench-{number}",
            stakeholder_type="library", country=country, status="member",
        )  # fmt: skip
        sources.append(Source.objects.create(
            organization=organization, name=f"Bench source {number}", slug=f"bench-{number}",
            base_url=f"http://bench.invalid/{number}/oai", harvest_every_hours=0,
        ))  # fmt: skip
    stamp = datetime(2024, 6, 1, tzinfo=UTC)
    started = time.perf_counter()
    per_source = size // len(sources)
    batch = 500
    for index, source in enumerate(sources):
        for start in range(0, per_source, batch):
            items = []
            for number in range(start, min(start + batch, per_source)):
                # A tenth are copies of the first source's record of the same number.
                twin = index > 0 and number % 10 == 0
                key = (0, number) if twin else (index, number)
                local = random.Random(f"{seed}:{key}")
                language = local.choice(languages)
                joiner = "" if language == "zh" else " "
                title = joiner.join(zipf_pick(local, words[language]) for _ in range(5))
                body = joiner.join(zipf_pick(local, words[language]) for _ in range(25))
                year = local.randint(2005, 2024)
                fields = {
                    "title": title, "title_language": language, "title_translations": {},
                    "description": body, "description_translations": {},
                    "creators": [{"name": f"Author {local.randrange(5000)}", "orcid": ""}],
                    "contributors": [], "publisher": "", "date_created": None,
                    "date_modified": None, "year": year, "languages": [language],
                    "subjects": [zipf_pick(local, SUBJECTS)], "keywords": [],
                    "learning_resource_type": local.choice(TYPES)[:8],
                    "educational_level": local.choice(LEVELS).split()[0],
                    "audience": "", "urls": [f"https://oer.example.org/{key[0]}/{key[1]}"],
                    "media_format": "", "licence_spdx": "", "licence_url": "",
                    "licence_class": local.choice(["open"] * 4 + ["open-nc", "not-open",
                                                                  "unknown"]),
                    "rights_statement": local.choice(RIGHTS), "access_rights": "",
                    "accessibility": "", "doi": "",
                }  # fmt: skip
                items.append(Incoming(f"oai:bench:{index}:{number}", stamp, False, [], fields))
            store_items(source, items)
    return words, time.perf_counter() - started


def timed(client, path, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path, params or {})
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, len(captured.captured_queries), body


def timed_export(client, params):
    """The export of a search, streamed: time, rows, queries and the peak of Python's
    heap while it streams (tracemalloc), chunks counted and dropped as they come."""
    import tracemalloc

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tracemalloc.start()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get("/en/catalogue/export.csv", params)
        assert response.status_code == 200, response.status_code
        rows, size = -1, 0
        for piece in response.streaming_content:
            rows += piece.count(b"\n")
            size += len(piece)
        elapsed = (time.perf_counter() - started) * 1000
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"ms": elapsed, "rows": rows, "queries": len(captured.captured_queries),
            "bytes": size, "peak_heap_mb": peak / 1e6}  # fmt: skip


def child(size, seed, requests, export_only=False):
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from coalition.catalogue.models import Record, Work

    words, load_seconds = generate(size, seed)
    databases.settle(connection)
    client = Client()
    rng = random.Random(seed + 1)
    works = list(Work.objects.filter(deleted=False).values_list("hub_id", flat=True)[:2000])
    figures = {"vendor": connection.vendor, "records": Record.objects.count(),
               "works": Work.objects.filter(deleted=False).count(),
               "load_seconds": load_seconds}  # fmt: skip

    def keyword():
        language = rng.choice(list(words))
        return words[language][[5, 60, 600][rng.randrange(3)]]

    # Browsing counts every facet of the whole catalogue: the first visit after a change
    # pays for it, the others read it from the cache (catalogue.search.search).
    cache.clear()
    figures["browse_cold_ms"], _count, _body = timed(client, "/en/catalogue/")
    if export_only:
        figures["export"] = timed_export(client, {"licence": "not-open"})
        figures["export_keyword"] = timed_export(client, {"q": keyword(), "sort": "relevance"})
        print(json.dumps(figures))
        return
    pages = {
        "browse": lambda: ("/en/catalogue/", {}),
        "keyword": lambda: ("/en/catalogue/", {"q": keyword()}),
        "keyword_two_facets": lambda: ("/en/catalogue/", {"q": keyword(), "licence": "open",
                                                          "type": rng.choice(TYPES)[:8]}),
        "record": lambda: (f"/en/records/{rng.choice(works)}/", {}),
    }  # fmt: skip
    for name, make in pages.items():
        timings, counts = [], set()
        for n in range(requests + WARMUP):
            path, params = make()
            elapsed, count, _body = timed(client, path, params)
            if n >= WARMUP:
                timings.append(elapsed)
                counts.add(count)
        figures[name] = {"p50_ms": percentile(timings, 0.5), "p95_ms": percentile(timings, 0.95),
                         "queries": sorted(counts)}  # fmt: skip
    figures["export"] = timed_export(client, {"licence": "not-open"})
    print(json.dumps(figures))


def run(database, size, seed, requests, export_only=False):
    print(f"catalogue pages benchmark on {database}, {size:,} records; {load_note()}")
    with (
        tempfile.TemporaryDirectory() as workdir,
        databases.database(database, workdir) as database_url,
    ):
        env = child_env(database_url)
        env["HUB_STATIC_ROOT"] = str(Path(workdir) / "static")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=REPO_DIR, env=env, check=True,
        )  # fmt: skip
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=REPO_DIR, env=env, check=True,
        )  # fmt: skip
        completed = subprocess.run(  # noqa: S603 - this interpreter on this module
            [sys.executable, "-m", "bench.catalogue_pages", "--child", str(size), "--seed",
             str(seed), "--requests", str(requests), *(["--export-only"] if export_only else [])],
            cwd=REPO_DIR, env=env, check=False, capture_output=True, text=True,
        )  # fmt: skip
        if completed.returncode:
            sys.stderr.write(completed.stderr[-4000:])
            raise SystemExit(completed.returncode)
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    if export_only:
        print(f"  {figures['records']:,} records ({figures['works']:,} OER after deduplication) "
              f"stored in {figures['load_seconds']:.0f} s on {figures['vendor']}")  # fmt: skip
        for name in ("export", "export_keyword"):
            export = figures[name]
            print(f"  {name:<19} {export['rows']:,} rows, {export['bytes'] / 1e6:.1f} MB in "
                  f"{export['ms']:.0f} ms, {export['queries']} queries, peak Python heap "
                  f"{export['peak_heap_mb']:.1f} MB")  # fmt: skip
        print(f"  {load_note()}")
        return {**figures, "verdict": "PASS"}
    worst = max(figures[name]["p95_ms"] for name in ("browse", "keyword",
                                                     "keyword_two_facets", "record"))  # fmt: skip
    verdict = "PASS" if worst < TARGET_P95_MS else "FAIL"
    print(f"  {figures['records']:,} records ({figures['works']:,} OER after deduplication) "
          f"stored in {figures['load_seconds']:.0f} s on {figures['vendor']}")  # fmt: skip
    print(f"  browse, first visit {figures['browse_cold_ms']:7.1f} ms (every facet counted)")
    for name in ("browse", "keyword", "keyword_two_facets", "record"):
        page = figures[name]
        print(f"  {name:<19} p50 {page['p50_ms']:7.1f} ms  p95 {page['p95_ms']:7.1f} ms  "
              f"queries {page['queries']}")  # fmt: skip
    export = figures["export"]
    print(f"  export.csv          {export['rows']:,} rows, {export['bytes'] / 1e6:.1f} MB in "
          f"{export['ms']:.0f} ms, {export['queries']} queries, peak Python heap "
          f"{export['peak_heap_mb']:.1f} MB")  # fmt: skip
    print(f"  {verdict} (target p95 < {TARGET_P95_MS:.0f} ms per page); {load_note()}")
    figures["verdict"] = verdict
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"catalogue-pages-{database}.json").write_text(json.dumps(figures, indent=2))
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench catalogue-pages")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--size", type=int, help="records (default 20,000 / 50,000)")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--quick", action="store_true", help="a fifth of the records")
    parser.add_argument("--export-only", action="store_true", help="only the CSV exports")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.seed, args.requests, args.export_only)
    targets = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    if "postgres" in targets and not databases.postgres_reachable():
        targets.remove("postgres")
    failed = False
    for database in targets:
        size = args.size or SIZES[database] // (5 if args.quick else 1)
        figures = run(database, size, args.seed, args.requests, args.export_only)
        failed |= figures["verdict"] != "PASS"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
