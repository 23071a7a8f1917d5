"""`python -m bench members` (and the first half of `make bench`): the member directory
and its API.

Generates a member directory (by default 5,000 organizations and 20,000 people, bench.data)
in a throwaway SQLite file and, when reachable, a throwaway PostgreSQL database, then
reports for the directory page and the API list the p50/p95 server time, the queries per
request and the response size, beside a trivial Django view through the same middleware
as the floor. Targets (from the issue): directory p95 under 100 ms on both databases, and
within 5× the floor's p95. Results are printed (bench.report) and written to
var/bench/members-<vendor>.json.

Requests go through Django's test `Client` in this process, so "server time" is the
time from handing the request to Django until the response is complete (middleware,
view, queries, template rendering), without network or WSGI-server overhead. The
scenarios are interleaved (one request of each per round) so that a burst of load from
elsewhere on the machine weighs on all of them alike, floor included.

`main` runs one process per database (`python -m bench.members --database sqlite`,
bench.process), set up as production would run the Hub (HUB_DEBUG=0, static files
collected into a manifest): it migrates, generates data, measures and writes the JSON file.
"""

import argparse
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from . import databases, process, report
from .timing import QueryCounter, percentile

QUICK = {"organizations": 300, "people": 1200, "requests": 30, "warmup": 5}
FULL = {"organizations": 5000, "people": 20000, "requests": 200, "warmup": 20}
TARGET_P95_MS = 100.0
TARGET_FLOOR_MULTIPLE = 5.0


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    kind: str  # "floor", "reference", "directory", "directory-rendered" or "api"
    paths: tuple  # tried in order; the first that does not answer 404 is measured
    # Timed with the kept pages (core.page_cache) switched off: the page as it is rendered
    # for the first anonymous visitor after a change.
    fresh: bool = False

    @property
    def checked(self):
        """Whether the issue's targets apply (the directory's; the API's for information)."""
        return self.kind in {"directory", "directory-rendered", "api"}


def scenarios():
    # bench.data imports the Hub's models: only once Django is set up (not in `main`).
    from .data import BENCH_REGION, BENCH_STAKEHOLDER_TYPE, BENCH_TERM

    search = urlencode({"region": BENCH_REGION, "q": BENCH_TERM})
    return [
        Scenario("floor", "floor: trivial view", "floor", ("/bench/floor/",)),
        Scenario("base-page", "empty page in base.html", "reference", ("/bench/base/",)),
        Scenario(
            "directory-search",
            f"directory ?region={BENCH_REGION}&q={BENCH_TERM}",
            "directory",
            (f"/en/organizations/?{search}",),
        ),
        Scenario(
            "directory-search-rendered",
            f"directory ?region={BENCH_REGION}&q={BENCH_TERM}, rendered",
            "directory-rendered",
            (f"/en/organizations/?{search}",),
            fresh=True,
        ),
        Scenario(
            "directory-page-2", "directory ?page=2", "directory", ("/en/organizations/?page=2",)
        ),
        Scenario(
            "directory-page-2-rendered",
            "directory ?page=2, rendered",
            "directory-rendered",
            ("/en/organizations/?page=2",),
            fresh=True,
        ),
        Scenario(
            "directory-type",
            f"directory ?stakeholder_type={BENCH_STAKEHOLDER_TYPE}",
            "directory",
            (f"/en/organizations/?{urlencode({'stakeholder_type': BENCH_STAKEHOLDER_TYPE})}",),
        ),
        Scenario(
            "api-search",
            f"API /api/organizations?region=…&q={BENCH_TERM}",
            "api",
            (f"/api/organizations?{search}", f"/api/organizations/?{search}"),
        ),
    ]


class BenchError(Exception):
    pass


@dataclass(frozen=True)
class Sample:
    ms: float  # wall-clock server time
    cpu_ms: float  # this process's CPU time: unaffected by other processes wanting the CPU
    queries: int
    sql_ms: float
    size: int


def _prepare(scenario, keep_seconds):
    """Outside the timed span: kept pages on, or off for a scenario timing the rendering."""
    settings.HUB_PAGE_CACHE_SECONDS = 0 if scenario.fresh else keep_seconds


def _get(client, path):
    # secure=True: in production mode the Hub redirects plain HTTP to HTTPS.
    return client.get(path, secure=True)


def _resolve(client, scenario):
    """The path to measure, or None when every candidate answers 404 (not built yet)."""
    for path in scenario.paths:
        response = _get(client, path)
        if response.status_code == 404:
            continue
        if response.status_code != 200:
            raise BenchError(f"{scenario.key}: GET {path} answered {response.status_code}")
        return path
    return None


def run(*, requests=200, warmup=20, client=None):
    """Measure every scenario; returns a JSON-serializable report (see `summarize`)."""
    client = client or Client()
    keep_seconds = settings.HUB_PAGE_CACHE_SECONDS
    try:
        return _run(client, requests=requests, warmup=warmup, keep_seconds=keep_seconds)
    finally:
        settings.HUB_PAGE_CACHE_SECONDS = keep_seconds


def _run(client, *, requests, warmup, keep_seconds):
    plan = [(scenario, _resolve(client, scenario)) for scenario in scenarios()]
    active = [(scenario, path) for scenario, path in plan if path]
    samples = {scenario.key: [] for scenario, _path in active}
    captured = {}

    # Warm-up: templates compiled, caches filled, connections open. The last round also
    # records each scenario's SQL, for the JSON file and to check the timed count against.
    for _round in range(max(warmup, 1) - 1):
        for scenario, path in active:
            _prepare(scenario, keep_seconds)
            _get(client, path)
    for scenario, path in active:
        _prepare(scenario, keep_seconds)
        with CaptureQueriesContext(connection) as context:
            _get(client, path)
        captured[scenario.key] = [query["sql"] for query in context.captured_queries]

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        for _round in range(requests):
            for scenario, path in active:
                _prepare(scenario, keep_seconds)
                counter.reset()
                cpu_started = time.process_time()
                started = time.perf_counter()
                response = _get(client, path)
                elapsed = time.perf_counter() - started
                cpu = time.process_time() - cpu_started
                if response.status_code != 200:
                    raise BenchError(f"{scenario.key}: GET {path} answered {response.status_code}")
                samples[scenario.key].append(
                    Sample(
                        ms=elapsed * 1000,
                        cpu_ms=cpu * 1000,
                        queries=counter.count,
                        sql_ms=counter.seconds * 1000,
                        size=len(response.content),
                    )
                )
    return summarize(plan, samples, captured, requests=requests, warmup=warmup)


def summarize(plan, samples, captured, *, requests, warmup):
    from .data import BENCH_REGION, BENCH_TERM

    rows = []
    for scenario, path in plan:
        row = {
            "key": scenario.key,
            "label": scenario.label,
            "kind": scenario.kind,
            "path": path or scenario.paths[0],
            "available": path is not None,
        }
        if path:
            times = [sample.ms for sample in samples[scenario.key]]
            cpu_times = [sample.cpu_ms for sample in samples[scenario.key]]
            queries = [sample.queries for sample in samples[scenario.key]]
            sql_times = [sample.sql_ms for sample in samples[scenario.key]]
            sizes = [sample.size for sample in samples[scenario.key]]
            row.update(
                requests=len(times),
                p50_ms=percentile(times, 0.50),
                p95_ms=percentile(times, 0.95),
                max_ms=max(times),
                mean_ms=sum(times) / len(times),
                cpu_p50_ms=percentile(cpu_times, 0.50),
                cpu_p95_ms=percentile(cpu_times, 0.95),
                sql_p50_ms=percentile(sql_times, 0.50),
                queries=queries[0],
                queries_min=min(queries),
                queries_max=max(queries),
                queries_constant=min(queries) == max(queries) == len(captured[scenario.key]),
                bytes=sizes[0],
                bytes_min=min(sizes),
                bytes_max=max(sizes),
                sql=captured[scenario.key],
            )
        rows.append(row)

    floor = next(row for row in rows if row["kind"] == "floor")
    floor_p95 = floor["p95_ms"]
    checks = []
    for row in rows:
        if row["available"]:
            row["p95_vs_floor"] = row["p95_ms"] / floor_p95 if floor_p95 else None
        if row["available"] and next(s for s, _p in plan if s.key == row["key"]).checked:
            check = {
                "key": row["key"],
                "kind": row["kind"],
                "p95_ms": row["p95_ms"],
                "p95_ok": row["p95_ms"] < TARGET_P95_MS,
                "floor_ok": row["p95_ms"] <= TARGET_FLOOR_MULTIPLE * floor_p95,
                "queries_constant": row["queries_constant"],
            }
            # What visitors are answered with must be within the floor multiple; the page
            # rendered anew after a change, under the time target.
            check["passed"] = check["p95_ok"] and (
                check["floor_ok"] or check["kind"] == "directory-rendered"
            )
            checks.append(check)
    directory = [check for check in checks if check["kind"] in {"directory", "directory-rendered"}]
    return {
        "requests": requests,
        "warmup": warmup,
        "search": {"region": str(BENCH_REGION), "term": BENCH_TERM},
        "targets": {"p95_ms": TARGET_P95_MS, "floor_multiple": TARGET_FLOOR_MULTIPLE},
        "floor_p95_ms": floor_p95,
        "scenarios": rows,
        "checks": checks,
        "verdict": "PASS" if directory and all(check["passed"] for check in directory) else "FAIL",
    }


def profile(path, *, requests=50, client=None):
    """A pyinstrument profile of `requests` GETs of `path`, or None if it is not installed."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return None
    client = client or Client()
    # Where rendering spends its time: the kept pages would answer every request after one.
    keep_seconds, settings.HUB_PAGE_CACHE_SECONDS = settings.HUB_PAGE_CACHE_SECONDS, 0
    try:
        return _profile(client, path, requests, Profiler)
    finally:
        settings.HUB_PAGE_CACHE_SECONDS = keep_seconds


def _profile(client, path, requests, Profiler):
    _get(client, path)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(requests):
        _get(client, path)
    profiler.stop()
    return profiler


# --- one database, in this process ---------------------------------------------------------


def search_matches():
    from coalition.members import selectors

    from .data import BENCH_REGION, BENCH_TERM

    return selectors.directory_organizations(q=BENCH_TERM, region=BENCH_REGION).count()


def measure(args):
    import django
    from django.core.management import call_command

    from . import data

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    setup_seconds = time.perf_counter() - started
    seed = data.SEED if args.seed is None else args.seed
    print(
        f"[{connection.vendor}] migrated and collected static files in {setup_seconds:.1f} s;"
        f" generating {args.organizations} organizations and {args.people} people…",
        flush=True,
    )
    generation = data.generate(organizations=args.organizations, people=args.people, seed=seed)
    databases.settle(connection)
    print(f"[{connection.vendor}] generated in {generation['total']:.1f} s; measuring…", flush=True)
    load_before = os.getloadavg()[0]
    bench = run(requests=args.requests, warmup=args.warmup)
    load_after = os.getloadavg()[0]
    result = {
        "database": {"vendor": connection.vendor, "version": process.database_version(connection)},
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sizes": {"organizations": args.organizations, "people": args.people, "seed": seed},
        "generation": generation,
        "rows": data.row_counts(),
        "search_matches": search_matches(),
        "environment": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "cpus": os.cpu_count(),
            # 1-minute load averages; this run itself keeps one CPU busy.
            "load_before": round(load_before, 2),
            "load_after": round(load_after, 2),
            "platform": platform.platform(),
        },
        "bench": bench,
    }
    path = report.write_json(result)
    print(report.format_run(result))
    print(f"Results written to {path.relative_to(report.REPO_DIR)}", flush=True)
    if args.profile:
        run_profile(connection.vendor, bench)
    return result


PROFILE_REQUESTS = 50
PROFILE_LINES = 45


def run_profile(vendor, bench):
    """Where the directory's time goes: functions by share of the total time, including
    Django's and other libraries' own (the HTML file beside it holds the whole tree)."""
    for row in bench["scenarios"]:
        if row["kind"] != "directory" or not row["available"]:
            continue
        profiler = profile(row["path"], requests=PROFILE_REQUESTS)
        if profiler is None:
            print("Profiling needs pyinstrument: .venv/bin/pip install 'pyinstrument>=5,<6'")
            return
        html = report.RESULTS_DIR / f"profile-{vendor}-{row['key']}.html"
        html.write_text(profiler.output_html(), encoding="utf-8")
        where = html.relative_to(report.REPO_DIR)
        print(f"\n== Profile of {PROFILE_REQUESTS} × {row['label']} on {vendor} ({where}) ==")
        text = profiler.output_text(flat=True, flat_time="total", time="percent_of_total")
        print("\n".join(line for line in text.splitlines()[:PROFILE_LINES] if line.strip()))


def _add_size_arguments(parser):
    parser.add_argument("--organizations", type=int, help=f"default {FULL['organizations']}")
    parser.add_argument("--people", type=int, help=f"default {FULL['people']}")
    parser.add_argument(
        "--requests", type=int, help=f"timed requests per scenario, default {FULL['requests']}"
    )
    parser.add_argument(
        "--warmup", type=int, help=f"untimed requests per scenario first, default {FULL['warmup']}"
    )
    parser.add_argument("--seed", type=int, help="data generator seed (default fixed)")
    parser.add_argument(
        "--profile", action="store_true", help="also profile the directory with pyinstrument"
    )


def one(argv=None):
    """One database, in this process (started by `main`)."""
    parser = argparse.ArgumentParser(prog="python -m bench.members")
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    _add_size_arguments(parser)
    args = parser.parse_args(argv)
    for name, value in FULL.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    with (
        tempfile.TemporaryDirectory(prefix="hub-bench-") as workdir,
        databases.database(args.database, workdir) as url,
    ):
        process.configure(url, workdir)
        # Probing for the API (which may not exist yet) answers 404 on purpose; not worth
        # a log line.
        import logging

        logging.getLogger("django.request").setLevel(logging.ERROR)
        from django.db import connections

        try:
            measure(args)
        finally:
            # PostgreSQL refuses to drop a database with open connections.
            connections.close_all()
    return 0


# --- the orchestrator: one process per database ---------------------------------------------


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m bench members",
        description="Generate a member directory in throwaway databases; time its pages and API.",
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres", "both"],
        help="default: both if PostgreSQL is reachable (BENCH_DATABASE_URL or 127.0.0.1:5432), "
        "else sqlite",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 unless the directory passes"
    )
    _add_size_arguments(parser)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    arguments = process.size_arguments(args, QUICK if args.quick else FULL)
    if args.seed is not None:
        arguments += ["--seed", str(args.seed)]
    if args.profile:
        arguments.append("--profile")
    status, results = process.run_per_database(
        "bench.members", args.database, arguments, report.results_path
    )
    if status:
        return status
    print(report.format_summary(results))
    if args.check and any(result["bench"]["verdict"] != "PASS" for result in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(one())
