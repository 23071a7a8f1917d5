"""`python -m bench activities`: the activities and events lists, the iCal feed and the API.

The issue's target: with 50,000 activities (10,000 events, 2,000 of them upcoming), the
upcoming-events page with two filters and the all-events iCal feed, p50 and p95 server
time and queries per request, beside the floor view in the same run. List p95 under
100 ms, feed under 500 ms, query counts independent of size.

One database per process (`python -m bench.activities --database sqlite`), a throwaway
one (bench.databases), in production mode (bench.run.configure). The run:

1. migrates, generates organizations (bench.data) and a first slice of the activities
   (a tenth, at least SMALL_MINIMUM), and records each scenario's query count on that
   small database;
2. adds the other activities, then times every scenario, interleaved as bench.members does
   (one request of each per round, so a burst of load elsewhere weighs on all alike);
3. checks the query counts against the small database's: equal means independent of size.

The feed is timed three ways. Cold: as a process that has just started finds it (the
shared cache and the process's serialized events and time zones cleared before each
request, outside the timed span; the serialized components the database stores for every
process are kept). First build: the database's stored components deleted too, as after a
deploy that changed the calendar code; slow and rare, so timed once every FIRST_BUILD_EVERY
rounds, for information. Warm: the request after a cold one, served from the feed cache.
Results are printed and written to var/bench/activities-<vendor>.json.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from . import databases, process
from .report import REPO_DIR, RESULTS_DIR

FULL = {
    "activities": 50_000,
    "events": 10_000,
    "upcoming": 2_000,
    "organizations": 2_000,
    "requests": 200,
    "warmup": 10,
}
QUICK = {
    "activities": 1_500,
    "events": 300,
    "upcoming": 60,
    "organizations": 150,
    "requests": 20,
    "warmup": 3,
}
# The first slice, measured for query counts before the rest is added: a tenth of the full
# size, and enough that the filtered lists are not empty (an empty page skips its prefetch
# queries, which would look like a count that depends on size: a fiftieth was too few).
SMALL_SHARE = 10
SMALL_MINIMUM = 1000
SMALL_REQUESTS = 3
TARGET_LIST_P95_MS = 100.0
TARGET_FEED_P95_MS = 500.0
# The first build (nothing stored) is timed in one round out of this many.
FIRST_BUILD_EVERY = 10
# A 1-minute load average above this means other work competed for the CPUs.
BUSY_LOAD = 1.5


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    kind: str  # "floor", "list", "feed" or "api" (the API's target is for information)
    path: str
    cold: bool = False  # clear every cache before each request
    first_build: bool = False  # also delete the serialized components the database stores
    every: int = 1  # timed in one round out of `every`

    @property
    def target_ms(self):
        return {
            "list": TARGET_LIST_P95_MS,
            "api": TARGET_LIST_P95_MS,
            "feed": TARGET_FEED_P95_MS,
        }.get(self.kind)


def scenarios():
    from .activities_data import BENCH_ACTION_AREA, BENCH_KIND, BENCH_LANGUAGE, BENCH_REGION

    two = urlencode({"action_area": BENCH_ACTION_AREA, "region": BENCH_REGION})
    kinds = urlencode({"kind": BENCH_KIND, "language": BENCH_LANGUAGE})
    return [
        Scenario("floor", "floor: trivial view", "floor", "/bench/floor/"),
        Scenario("events-list", f"upcoming events ?{two}", "list", f"/en/events/?{two}"),
        Scenario("activities-list", f"activities ?{kinds}", "list", f"/en/activities/?{kinds}"),
        Scenario(
            "feed-cold", "all-events iCal feed, cold", "feed", "/en/events/calendar.ics", cold=True
        ),
        Scenario(
            "feed-first",
            "all-events iCal feed, first build (information)",
            "feed-first",
            "/en/events/calendar.ics",
            cold=True,
            first_build=True,
            every=FIRST_BUILD_EVERY,
        ),
        Scenario("feed-warm", "all-events iCal feed, warm", "feed", "/en/events/calendar.ics"),
        Scenario("api-events", f"API /api/events?{two}", "api", f"/api/events?{two}"),
    ]


class BenchError(Exception):
    pass


def clear_caches(*, store=False):
    """What a feed request could find ready: the shared cache and the process's memos (and,
    with `store`, the components the database keeps for every process)."""
    from django.core.cache import caches

    from coalition.activities.ical import feeds
    from coalition.activities.models import CalendarEntry, CalendarTimeZone

    if store:
        CalendarEntry.objects.all().delete()
        CalendarTimeZone.objects.all().delete()

    for cache in caches.all():
        cache.clear()
    feeds.clear_memos()


def prepare(scenario):
    """Outside the timed span and the query count: what a cold scenario must not find."""
    if scenario.cold:
        clear_caches(store=scenario.first_build)


def _get(client, scenario):
    # secure=True: in production mode the Hub redirects plain HTTP to HTTPS.
    response = client.get(scenario.path, secure=True)
    if response.status_code != 200:
        raise BenchError(f"{scenario.key}: GET {scenario.path} answered {response.status_code}")
    return response


def query_counts(client, plan, *, requests=SMALL_REQUESTS):
    """Queries per request of each scenario (every count seen, in order)."""
    from django.db import connection

    from .timing import QueryCounter

    counts = {scenario.key: [] for scenario in plan}
    _get(client, plan[0])
    for scenario in plan:
        prepare(scenario)
        _get(client, scenario)  # templates compiled, connection open
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        for _round in range(requests):
            for scenario in plan:
                prepare(scenario)
                counter.reset()
                _get(client, scenario)
                counts[scenario.key].append(counter.count)
    return counts


def measure(client, plan, *, requests, warmup):
    """Time every scenario, interleaved; returns the samples and each one's captured SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .members import Sample
    from .timing import QueryCounter

    for _round in range(max(warmup, 1)):
        for scenario in plan:
            if _round % scenario.every == 0:
                prepare(scenario)
                _get(client, scenario)
    captured = {}
    for scenario in plan:
        prepare(scenario)
        with CaptureQueriesContext(connection) as context:
            client.get(scenario.path, secure=True)
        captured[scenario.key] = [query["sql"] for query in context.captured_queries]

    samples = {scenario.key: [] for scenario in plan}
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        for _round in range(requests):
            for scenario in plan:
                if _round % scenario.every:
                    continue
                prepare(scenario)
                counter.reset()
                cpu_started = time.process_time()
                started = time.perf_counter()
                response = client.get(scenario.path, secure=True)
                elapsed = time.perf_counter() - started
                cpu = time.process_time() - cpu_started
                if response.status_code != 200:
                    raise BenchError(f"{scenario.key}: answered {response.status_code}")
                samples[scenario.key].append(
                    Sample(
                        ms=elapsed * 1000,
                        cpu_ms=cpu * 1000,
                        queries=counter.count,
                        sql_ms=counter.seconds * 1000,
                        size=len(response.content),
                    )
                )
    return samples, captured


# The transaction around a write is logged with the queries, but only SQLite's
# "BEGIN IMMEDIATE" goes through a cursor, which is what the timed requests count: COMMIT
# (and psycopg's own BEGIN on PostgreSQL) are the driver's calls.
def _statements(sql):
    return sum(1 for statement in sql if statement not in ("BEGIN", "COMMIT", "ROLLBACK"))


def summarize(plan, samples, captured, small_counts, *, requests, warmup):
    """Figures and verdicts per scenario, JSON-serializable."""
    from .timing import percentile

    rows = []
    for scenario in plan:
        taken = samples[scenario.key]
        times = [sample.ms for sample in taken]
        queries = [sample.queries for sample in taken]
        sizes = [sample.size for sample in taken]
        small = small_counts.get(scenario.key, [])
        rows.append(
            {
                "key": scenario.key,
                "label": scenario.label,
                "kind": scenario.kind,
                "path": scenario.path,
                "cold": scenario.cold,
                "requests": len(times),
                "p50_ms": percentile(times, 0.50),
                "p95_ms": percentile(times, 0.95),
                "max_ms": max(times),
                "mean_ms": sum(times) / len(times),
                "cpu_p50_ms": percentile([sample.cpu_ms for sample in taken], 0.50),
                "cpu_p95_ms": percentile([sample.cpu_ms for sample in taken], 0.95),
                "sql_p50_ms": percentile([sample.sql_ms for sample in taken], 0.50),
                "queries": queries[0],
                "queries_min": min(queries),
                "queries_max": max(queries),
                "queries_constant": min(queries)
                == max(queries)
                == _statements(captured[scenario.key]),
                "queries_small": small,
                # The same count on a database a tenth the size: independent of size.
                "queries_size_independent": bool(small)
                and set(small) == {queries[0]}
                and min(queries) == max(queries),
                "bytes": sizes[0],
                "bytes_min": min(sizes),
                "bytes_max": max(sizes),
                "sql": captured[scenario.key],
            }
        )
    floor_p95 = next(row for row in rows if row["kind"] == "floor")["p95_ms"]
    checks = []
    for scenario, row in zip(plan, rows, strict=True):
        row["p95_vs_floor"] = row["p95_ms"] / floor_p95 if floor_p95 else None
        if scenario.target_ms is None:
            continue
        check = {
            "key": row["key"],
            "kind": row["kind"],
            "p95_ms": row["p95_ms"],
            "target_ms": scenario.target_ms,
            "p95_ok": row["p95_ms"] < scenario.target_ms,
            "queries_constant": row["queries_constant"],
            "queries_size_independent": row["queries_size_independent"],
        }
        check["passed"] = (
            check["p95_ok"] and check["queries_constant"] and check["queries_size_independent"]
        )
        checks.append(check)
    judged = [check for check in checks if check["kind"] != "api"]
    return {
        "requests": requests,
        "warmup": warmup,
        "targets": {"list_p95_ms": TARGET_LIST_P95_MS, "feed_p95_ms": TARGET_FEED_P95_MS},
        "floor_p95_ms": floor_p95,
        "scenarios": rows,
        "checks": checks,
        "verdict": "PASS" if judged and all(check["passed"] for check in judged) else "FAIL",
    }


# --- the printed table ---


def _ms(value):
    return f"{value:8.2f}"


def _verdict(ok):
    return "PASS" if ok else "FAIL"


def busy(environment):
    return max(environment["load_before"], environment["load_after"]) > BUSY_LOAD


def format_run(result):
    database, bench, sizes = result["database"], result["bench"], result["sizes"]
    counts, environment = result["events"], result["environment"]
    lines = [
        "",
        f"== Activities benchmark on {database['vendor']} {database['version']} ==",
        f"Data: {sizes['activities']} activities, {sizes['events']} events of which "
        f"{sizes['upcoming']} upcoming, {sizes['organizations']} organizations "
        f"(seed {sizes['seed']}), generated in {result['generation']['total']:.1f} s",
        "Rows: " + ", ".join(f"{table} {count}" for table, count in result["rows"].items()),
        f"Events: {counts['events']} published, {counts['upcoming_events']} upcoming, "
        f"{counts['feed_events']} in the all-events feed; the two-filter list matches "
        f"{counts['list_matches']}",
        f"Requests: {bench['requests']} per scenario after {bench['warmup']} warm-up rounds, "
        f"interleaved; load average {environment['load_before']:.2f} before, "
        f"{environment['load_after']:.2f} after, on {environment['cpus']} CPUs",
        "",
        f"{'scenario':<52} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU p95':>8} "
        f"{'SQL p50':>8} {'queries':>8} {'small':>6} {'bytes':>8} {'p95/floor':>9}",
    ]
    for row in bench["scenarios"]:
        queries = str(row["queries"])
        if not row["queries_constant"]:
            queries = f"{row['queries_min']}-{row['queries_max']}!"
        small = "/".join(str(count) for count in sorted(set(row["queries_small"])))
        size = str(row["bytes"]) if row["bytes_min"] == row["bytes_max"] else f"~{row['bytes']}"
        lines.append(
            f"{row['label']:<52} {_ms(row['p50_ms'])} {_ms(row['p95_ms'])} {_ms(row['max_ms'])} "
            f"{_ms(row['cpu_p95_ms'])} {_ms(row['sql_p50_ms'])} {queries:>8} {small:>6} "
            f"{size:>8} {row['p95_vs_floor']:>8.1f}×"
        )
    lines += [
        "",
        f"Targets: list p95 < {TARGET_LIST_P95_MS:.0f} ms, feed p95 < "
        f"{TARGET_FEED_P95_MS:.0f} ms, query counts constant and independent of size",
    ]
    for check in bench["checks"]:
        line = (
            f"  {check['key']:<16} p95 {check['p95_ms']:8.2f} ms < {check['target_ms']:.0f} ms "
            f"{_verdict(check['p95_ok'])}, queries constant {_verdict(check['queries_constant'])}"
            f", independent of size {_verdict(check['queries_size_independent'])}"
        )
        if check["kind"] == "api":
            line += "  (for information)"
        lines.append(line)
    lines.append(f"Activities verdict on {database['vendor']}: {bench['verdict']}")
    if busy(environment):
        lines += [
            "WARNING: other processes kept the machine busy during the run; wall times include",
            "waiting for a CPU. Compare the CPU columns, or run again on a quiet machine.",
        ]
    lines += [
        "Times are server times in ms (Django test client, full middleware). 'small' = queries",
        f"per request with only the first {result['sizes']['small_slice']} activities. "
        "Cold feed: the shared cache",
        "and the process's memos cleared before each request, outside the timed span (a process",
        "that has just started); first build: the database's stored components deleted too,",
        f"timed once every {FIRST_BUILD_EVERY} rounds.",
    ]
    return "\n".join(lines)


def format_summary(results):
    lines = [
        "",
        "== Activities summary ==",
        f"{'database':<20} {'scenario':<16} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}",
    ]
    for result in results:
        database = f"{result['database']['vendor']} {result['database']['version']}"
        for row in result["bench"]["scenarios"]:
            lines.append(
                f"{database:<20} {row['key']:<16} {_ms(row['p50_ms'])} {_ms(row['p95_ms'])} "
                f"{row['queries']:>8}"
            )
        lines.append(f"{database:<20} activities verdict: {result['bench']['verdict']}")
    return "\n".join(lines)


def results_path(vendor):
    return RESULTS_DIR / f"activities-{vendor}.json"


# --- one database, in a process of its own ---


def run_measurements(args):
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from . import activities_data, data

    # The lists are timed as rendered, not as the pages kept for anonymous visitors
    # (core.page_cache), which would answer every request after the first.
    settings.HUB_PAGE_CACHE_SECONDS = 0
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    vendor = connection.vendor
    print(f"[{vendor}] migrated in {time.perf_counter() - started:.1f} s; generating…", flush=True)
    seed = data.SEED if args.seed is None else args.seed
    now = datetime.now(UTC)
    plan = activities_data.Plan(
        activities=args.activities, events=args.events, upcoming=args.upcoming
    )
    generation = {
        "organizations": activities_data.generate_organizations(
            organizations=args.organizations, seed=seed
        )["total"]
    }
    small = min(max(args.activities // SMALL_SHARE, SMALL_MINIMUM), args.activities)
    generation["small"] = activities_data.generate(
        plan=plan, first=0, count=small, seed=seed, now=now
    )["total"]
    client = Client()
    measured = scenarios()
    small_counts = query_counts(client, measured)
    generation["rest"] = activities_data.generate(plan=plan, first=small, seed=seed, now=now)[
        "total"
    ]
    generation["total"] = sum(generation.values())
    databases.settle(connection)
    print(f"[{vendor}] generated in {generation['total']:.1f} s; measuring…", flush=True)
    load_before = os.getloadavg()[0]
    samples, captured = measure(client, measured, requests=args.requests, warmup=args.warmup)
    load_after = os.getloadavg()[0]
    bench = summarize(
        measured, samples, captured, small_counts, requests=args.requests, warmup=args.warmup
    )
    result = {
        "database": {"vendor": vendor, "version": process.database_version(connection)},
        "generated_at": now.isoformat(timespec="seconds"),
        "sizes": {
            "activities": args.activities,
            "events": args.events,
            "upcoming": args.upcoming,
            "organizations": args.organizations,
            "small_slice": small,
            "seed": seed,
        },
        "generation": generation,
        "rows": activities_data.row_counts(),
        "events": activities_data.event_counts(now),
        "environment": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "cpus": os.cpu_count(),
            "load_before": round(load_before, 2),
            "load_after": round(load_after, 2),
            "platform": platform.platform(),
        },
        "bench": bench,
    }
    path = results_path(vendor)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(format_run(result))
    print(f"Results written to {path.relative_to(REPO_DIR)}", flush=True)
    if args.profile:
        run_profile(vendor, measured)
    return result


PROFILE_REQUESTS = 30
PROFILE_LINES = 40


def run_profile(vendor, measured):
    from .members import profile

    for scenario in measured:
        if scenario.kind not in {"list", "api"}:
            continue
        profiler = profile(scenario.path, requests=PROFILE_REQUESTS)
        if profiler is None:
            print("Profiling needs pyinstrument: .venv/bin/pip install 'pyinstrument>=5,<6'")
            return
        html = RESULTS_DIR / f"profile-activities-{vendor}-{scenario.key}.html"
        html.write_text(profiler.output_html(), encoding="utf-8")
        print(
            f"\n== Profile of {PROFILE_REQUESTS} × {scenario.label} on {vendor} "
            f"({html.relative_to(REPO_DIR)}) =="
        )
        text = profiler.output_text(flat=True, flat_time="total", time="percent_of_total")
        print("\n".join(line for line in text.splitlines()[:PROFILE_LINES] if line.strip()))


def _add_size_arguments(parser):
    for name in ("activities", "events", "upcoming", "organizations", "requests", "warmup"):
        parser.add_argument(f"--{name}", type=int, help=f"default {FULL[name]}")
    parser.add_argument("--seed", type=int, help="data generator seed (default fixed)")
    parser.add_argument("--profile", action="store_true", help="profile the lists (pyinstrument)")


def one(argv=None):
    """One database, in this process (started by `main`)."""
    parser = argparse.ArgumentParser(prog="python -m bench.activities")
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    _add_size_arguments(parser)
    args = parser.parse_args(argv)
    for name, value in FULL.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    with (
        tempfile.TemporaryDirectory(prefix="hub-bench-activities-") as workdir,
        databases.database(args.database, workdir) as url,
    ):
        process.configure(url, workdir)
        from django.db import connections

        try:
            run_measurements(args)
        finally:
            connections.close_all()  # PostgreSQL refuses to drop a database in use
    return 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m bench activities",
        description="Generate activities and events in throwaway databases; time the lists, "
        "the all-events iCal feed and the events API.",
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres", "both"],
        help="default: both if PostgreSQL is reachable, else sqlite",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 unless every run passes"
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
        "bench.activities", args.database, arguments, results_path
    )
    if status:
        return status
    print(format_summary(results))
    if args.check and any(result["bench"]["verdict"] != "PASS" for result in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(one())
