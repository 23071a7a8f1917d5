"""`python -m bench catalogue-search`: catalogue search over 200,000 (SQLite) and 1,000,000
(PostgreSQL) entries.

The issue's target: p50/p95 of a keyword plus two facet filters with every facet count,
beside the raw full-text query in the same run; p95 under 100 ms on both databases, and a
constant number of queries whatever the data size.

The entries are written through the real indexing code (`search.backend().write`, the
same call a harvest makes) from generated documents: six languages (Latin, Cyrillic,
Arabic and Chinese scripts), a title of 5 words and a body of 25 from a vocabulary of
2,000 words per language (Zipf-like: a few common words, many rare ones), a licence
class, a resource type, a level, a subject among 400 (Zipf-like), a year, one of 40
sources in one of five regions, and one action area in five. Queries take a keyword
from the vocabulary (common, middling and rare in turn) with a licence class and a
resource type; the raw query is the engine's own match of the same keyword (FTS5
MATCH / tsvector @@) for one page of ids.

`--keep-database NAME` (PostgreSQL): the entries are written once into that database and
reused by later runs of the same size and seed (a million take about five minutes).
"""

import argparse
import json
import os
import random
import statistics
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
SIZES = {"sqlite": 200_000, "postgres": 1_000_000}
QUICK_SIZES = {"sqlite": 20_000, "postgres": 50_000}
QUERIES = 120
WARMUP = 15
TARGET_P95_MS = 100.0

SCRIPTS = {
    "en": "abcdefghijklmnopqrstuvwxyz",
    "fr": "abcdefghijklmnopqrstuvwxyzéèà",
    "es": "abcdefghijklmnopqrstuvwxyzñá",
    "ru": "абвгдежзийклмнопрстуфхцчшщыэюя",
    "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "zh": "的一是不了人我在有他这为之大来以个中上们到说时地也子就道而要下出",
}
LICENCES = ["open"] * 5 + ["open-nc"] * 2 + ["not-open", "unknown", "unknown"]
TYPES = ["textbook", "course", "video", "article", "lesson", "assessment", "dataset", "text"]
LEVELS = ["primary", "secondary", "higher", "vocational", "adult", ""]
SUBJECTS = [f"Subject {n}" for n in range(400)]
REGIONS = ["africa", "arab-states", "asia-pacific", "europe-north-america",
           "latin-america-caribbean"]  # fmt: skip


def vocabulary(rng, language, size=2000):
    letters = SCRIPTS[language]
    words = set()
    while len(words) < size:
        length = rng.randint(2, 3) if language == "zh" else rng.randint(4, 9)
        words.add("".join(rng.choice(letters) for _ in range(length)))
    return sorted(words)


def zipf_pick(rng, words):
    # Rank r is chosen with weight about 1/r: a few common words, a long tail of rare ones.
    index = int(len(words) ** rng.random()) - 1
    return words[min(index, len(words) - 1)]


def child_env(database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "DJANGO_"))}
    # Not HUB_DEBUG: in debug mode Django keeps the SQL of the last 9,000 queries in memory.
    env.update(DATABASE_URL=database_url, HUB_DEBUG="0", HUB_SECRET_KEY=os.urandom(32).hex(),
               HUB_SECURE_SSL_REDIRECT="0", HUB_ALLOWED_HOSTS="testserver,127.0.0.1",
               HUB_LOG_LEVEL="WARNING",
               DJANGO_SETTINGS_MODULE="coalition.settings")  # fmt: skip
    return env


def vocabularies(rng):
    return {language: vocabulary(rng, language) for language in SCRIPTS}


def generate(size, seed):
    from coalition.catalogue import search
    from coalition.catalogue.models import Work
    from coalition.catalogue.search.documents import Document
    from coalition.catalogue.services.bulk import insert_rows

    rng = random.Random(seed)
    languages = list(SCRIPTS)
    words = vocabularies(rng)
    backend = search.backend()
    now = datetime(2024, 6, 1, tzinfo=UTC)
    batch = 5000
    started = time.perf_counter()
    for start in range(0, size, batch):
        count = min(batch, size - start)
        ids = insert_rows(
            Work, ["hub_id", "datestamp", "deleted", "created_at"],
            [(uuid.uuid4(), now, False, now) for _ in range(count)], returning=True,
        )  # fmt: skip
        documents = []
        for work_id in ids:
            language = rng.choice(languages)
            joiner = "" if language == "zh" else " "
            title = joiner.join(zipf_pick(rng, words[language]) for _ in range(5))
            body = joiner.join(zipf_pick(rng, words[language]) for _ in range(25))
            source = rng.randrange(40)
            facets = [
                f"licence:{rng.choice(LICENCES)}", f"language:{language}",
                f"type:{rng.choice(TYPES)}", f"source:{source}",
                f"region:{REGIONS[source % 5]}", f"area:{rng.randint(1, 5)}",
            ]  # fmt: skip
            level = rng.choice(LEVELS)
            if level:
                facets.append(f"level:{level}")
            # Subjects (many values, a long tail) and years, as the search page facets them.
            facets.append(f"subject:{zipf_pick(rng, SUBJECTS)}")
            facets.append(f"year:{rng.randint(2000, 2024)}")
            documents.append(Document(
                work_id=work_id, title=title, language=language if language != "zh" else "zh",
                title_text=title, body_text=body, other_text="",
                sort_date=now - timedelta(days=rng.randrange(4000)), facets=facets,
            ))  # fmt: skip
        backend.write(documents, replace=[])
    return words, time.perf_counter() - started


def raw_query(connection, keyword):
    from coalition.catalogue.search.text import fold

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT work_id FROM catalogue_searchentry WHERE document @@ "
                "plainto_tsquery('simple', %s) LIMIT 20",
                [fold(keyword)],
            )
        else:
            cursor.execute(
                "SELECT rowid FROM catalogue_search_fts WHERE catalogue_search_fts MATCH %s "
                "LIMIT 20",
                ['"' + fold(keyword) + '"'],
            )
        return cursor.fetchall()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def already_generated(size):
    """A kept database already holds this many entries (from an earlier run, same seed)."""
    from coalition.catalogue.models import SearchEntry

    held = SearchEntry.objects.count()
    if held not in (0, size):
        raise SystemExit(f"the kept database holds {held:,} entries, not {size:,}")
    return held == size


def child(size, seed, queries, reuse=False):
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coalition.catalogue import search

    reused = reuse and already_generated(size)
    if reused:
        # The generator draws the vocabularies first: the same seed gives the same words.
        words, load_seconds = vocabularies(random.Random(seed)), 0.0
    else:
        words, load_seconds = generate(size, seed)
    databases.settle(connection)
    rng = random.Random(seed + 1)
    plan = []
    for n in range(queries + WARMUP):
        language = rng.choice(list(words))
        rank = [5, 60, 600][n % 3]  # common, middling, rare
        plan.append((words[language][rank], rng.choice(LICENCES), rng.choice(TYPES)))
    timings, raw_timings, counts, totals = [], [], set(), []
    for n, (keyword, licence, kind) in enumerate(plan):
        query = search.Query(text=keyword, filters={"licence": [licence], "type": [kind]})
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = search.search(query)
            elapsed = time.perf_counter() - started
        started = time.perf_counter()
        raw_query(connection, keyword)
        raw_elapsed = time.perf_counter() - started
        if n >= WARMUP:
            timings.append(elapsed * 1000)
            raw_timings.append(raw_elapsed * 1000)
            counts.add(len(captured.captured_queries))
            totals.append(result.total)
    browse_started = time.perf_counter()
    browse = search.search(search.Query())
    browse_ms = (time.perf_counter() - browse_started) * 1000
    print(json.dumps({
        "vendor": connection.vendor, "entries": size, "load_seconds": load_seconds,
        "reused": reused,
        "p50_ms": percentile(timings, 0.5), "p95_ms": percentile(timings, 0.95),
        "raw_p50_ms": percentile(raw_timings, 0.5), "raw_p95_ms": percentile(raw_timings, 0.95),
        "queries_per_search": sorted(counts), "median_hits": statistics.median(totals),
        "max_hits": max(totals), "browse_all_ms": browse_ms,
        "browse_total": browse.total, "browse_lower_bound": browse.total_is_lower_bound,
    }))  # fmt: skip


def load_note():
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def run(database, size, seed, queries, keep_database=None):
    print(f"catalogue search benchmark on {database}, {size:,} entries; {load_note()}")
    with (
        tempfile.TemporaryDirectory() as workdir,
        databases.database(database, workdir, kept=keep_database) as database_url,
    ):
        env = child_env(database_url)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=REPO_DIR, env=env, check=True,
        )  # fmt: skip
        completed = subprocess.run(  # noqa: S603 - this interpreter on this module
            [sys.executable, "-m", "bench.catalogue_search", "--child", str(size), "--seed",
             str(seed), "--queries", str(queries), *(["--reuse"] if keep_database else [])],
            cwd=REPO_DIR, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    verdict = "PASS" if figures["p95_ms"] < TARGET_P95_MS else "FAIL"
    print(
        f"  {figures['entries']:,} entries "
        + ("reused" if figures.get("reused") else f"written in {figures['load_seconds']:.0f} s")
        + "; "
        f"keyword + 2 facets + all facet counts: p50 {figures['p50_ms']:.1f} ms, "
        f"p95 {figures['p95_ms']:.1f} ms ({verdict}, target p95 < {TARGET_P95_MS:.0f} ms), "
        f"{figures['queries_per_search']} queries per search; raw full-text query: "
        f"p50 {figures['raw_p50_ms']:.1f} ms, p95 {figures['raw_p95_ms']:.1f} ms; hits per "
        f"query median {figures['median_hits']:,}, max {figures['max_hits']:,}; browsing "
        f"everything with all facet counts {figures['browse_all_ms']:.0f} ms "
        f"({'more than ' if figures['browse_lower_bound'] else ''}{figures['browse_total']:,}); "
        f"{load_note()}"
    )
    figures["verdict"] = verdict
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"catalogue-search-{database}.json").write_text(json.dumps(figures, indent=2))
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench catalogue-search")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--size", type=int, help="entries (default 200,000 / 1,000,000)")
    parser.add_argument("--queries", type=int, default=QUERIES)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--keep-database",
        metavar="NAME",
        help="PostgreSQL only: use (and create if absent) this database and keep it after the "
        "run; a rerun of the same size and seed reuses its entries instead of writing them again",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--reuse", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.seed, args.queries, args.reuse)
    targets = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    if args.keep_database and targets != ["postgres"]:
        raise SystemExit("--keep-database needs --database postgres")
    if "postgres" in targets and not databases.postgres_reachable():
        targets.remove("postgres")
    sizes = QUICK_SIZES if args.quick else SIZES
    failed = False
    for database in targets:
        figures = run(
            database, args.size or sizes[database], args.seed, args.queries, args.keep_database
        )
        failed |= figures["verdict"] != "PASS"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
