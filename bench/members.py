"""The directory and API scenarios: requests, measurement and verdicts.

Requests go through Django's test `Client` in this process, so "server time" is the
time from handing the request to Django until the response is complete (middleware,
view, queries, template rendering), without network or WSGI-server overhead. The
scenarios are interleaved (one request of each per round) so that a burst of load from
elsewhere on the machine weighs on all of them alike, floor included.
"""

import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .data import BENCH_REGION, BENCH_STAKEHOLDER_TYPE, BENCH_TERM
from .timing import QueryCounter, percentile

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
