"""`python -m bench load`: the Hub under load, served the production way (gunicorn).

One throwaway database per process (SQLite, and PostgreSQL when it answers), filled with
the benchmark's data (default 5,000 organizations, 20,000 people, 50,000 activities of
which 10,000 events). gunicorn serves it (4 sync workers, production settings, the page
cache on as in production); CLIENTS threads, each with its own keep-alive connection,
request a mix of public pages in English and Arabic for DURATION seconds, then the same
clients request a trivial view (the floor) for as long. Printed, and written to
var/bench/load-<vendor>.json: requests per second (and as a share of the floor's),
errors, p50/p95/p99 per page as the server measured them (gunicorn's access log, %(D)s)
and as the clients saw them, and the workers' memory before and after.

`--quick` runs a small data set for a few seconds (a smoke run, not a measurement).
"""

import argparse
import http.client
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

from . import databases, process
from .report import REPO_DIR, RESULTS_DIR

FULL = {
    "organizations": 5_000,
    "people": 20_000,
    "activities": 50_000,
    "events": 10_000,
    "upcoming": 2_000,
    "clients": 50,
    "duration": 60,
}
QUICK = {
    "organizations": 150,
    "people": 400,
    "activities": 1_000,
    "events": 200,
    "upcoming": 40,
    "clients": 8,
    "duration": 5,
}
WORKERS = 4
TARGET_PAGE_P95_MS = 100.0
TARGET_API_P95_MS = 150.0


def results_path(vendor):
    return RESULTS_DIR / f"load-{vendor}.json"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the page mix ---


def page_mix():
    """(key, path, kind) of the public pages driven, from the generated data."""
    from coalition.activities.models import Activity, Kind
    from coalition.members.models import Organization
    from coalition.updates.models import Edition

    organization = Organization.objects.filter(status="member").order_by("pk").first()
    event = (
        Activity.objects.filter(kind=Kind.EVENT, state="published").order_by("-starts_at").first()
    )
    # The bench data has no Update; when the database has a sent edition, it is driven too.
    edition = Edition.objects.filter(sent_at__isnull=False).select_related("issue").first()
    mix = []
    for language in ("en", "ar"):

        def localized(obj, language=language):
            url = obj if isinstance(obj, str) else obj.get_absolute_url()
            return f"/{language}/" + url.split("/", 2)[2]

        mix += [
            (f"home-{language}", f"/{language}/", "page"),
            (
                f"directory-{language}",
                f"/{language}/organizations/?" + urlencode({"region": "africa", "q": "open"}),
                "page",
            ),
            (f"working-groups-{language}", f"/{language}/working-groups/", "page"),
            (f"events-{language}", f"/{language}/events/", "page"),
            (f"dashboard-{language}", f"/{language}/dashboard/", "page"),
            (f"updates-{language}", f"/{language}/updates/", "page"),
        ]
        if organization is not None:
            mix.append((f"organization-{language}", localized(organization), "page"))
        if event is not None:
            mix.append((f"event-{language}", localized(event), "page"))
        if edition is not None:
            mix.append((f"edition-{language}", localized(edition.get_absolute_url()), "page"))
    mix += [
        ("ical", "/en/events/calendar.ics", "page"),
        ("api-organizations", "/api/organizations", "api"),
        ("api-people", "/api/people", "api"),
        ("api-activities", "/api/activities", "api"),
        ("api-events", "/api/events", "api"),
    ]
    return mix


# --- the clients ---


def drive(port, paths, duration, clients, seed):
    """`clients` threads request `paths` (in a shuffled cycle each) for `duration` seconds."""
    results = []
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def client(number):
        rng = random.Random(seed + number)
        order = list(paths)
        rng.shuffle(order)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        index = 0
        while time.perf_counter() < deadline:
            key, path = order[index % len(order)]
            index += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append((key, status, time.perf_counter() - started))
        connection.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - began


def percentiles(values):
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    ordered = sorted(values)
    cut = (
        statistics.quantiles(ordered, n=100, method="inclusive")
        if len(ordered) > 1
        else ordered * 99
    )
    return {"p50": cut[49] * 1000, "p95": cut[94] * 1000, "p99": cut[98] * 1000}


# --- the server ---


def worker_memory_kb(master_pid):
    """Resident memory of each gunicorn worker (children of the master), in kB."""
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return {}
    memory = {}
    for pid in children:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    memory[pid] = int(line.split()[1])
        except OSError:
            continue
    return memory


def start_gunicorn(port, access_log):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "coalition.wsgi",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        # The path and its query as the clients asked for them ("?" alone when none).
        "%(U)s?%(q)s %(s)s %(D)s",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=REPO_DIR)  # noqa: S603 - our own interpreter
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def server_times(access_log, key_of_path):
    """Server time per page key (seconds), from gunicorn's access log."""
    times = defaultdict(list)
    for line in Path(access_log).read_text().splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        path, _status, micros = parts
        key = key_of_path.get(path.removesuffix("?"))
        if key is not None:
            times[key].append(int(micros) / 1_000_000)
    return times


# --- one database ---


def _already_generated(args):
    """A kept database already holds the data of this size (from an earlier run)."""
    from coalition.activities.models import Activity
    from coalition.members.models import Organization, Person

    return (
        Organization.objects.count() == args.organizations
        and Person.objects.count() == args.people
        and Activity.objects.count() == args.activities
    )


def run_measurements(args):
    from django.core.management import call_command
    from django.db import connection

    from . import activities_data, data

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    vendor = connection.vendor
    print(f"[{vendor}] migrated in {time.perf_counter() - started:.1f} s; generating…", flush=True)
    started = time.perf_counter()
    if args.keep_database and _already_generated(args):
        print(f"[{vendor}] reusing the data in {args.keep_database}", flush=True)
    else:
        data.generate(organizations=args.organizations, people=args.people, seed=data.SEED)
        plan = activities_data.Plan(
            activities=args.activities, events=args.events, upcoming=args.upcoming
        )
        activities_data.generate(plan=plan, first=0, seed=data.SEED)
        databases.settle(connection)
    rows = {**data.row_counts(), **activities_data.row_counts()}
    print(f"[{vendor}] generated in {time.perf_counter() - started:.1f} s: {rows}", flush=True)
    mix = page_mix()
    connection.close()

    workdir = Path(os.environ["HUB_VAR_DIR"])
    port = free_port()
    access_log = workdir / "access.log"
    server = start_gunicorn(port, access_log)
    try:
        paths = [(key, path) for key, path, _kind in mix]
        # Warm-up: every page once per worker, so that the timed run sees started processes.
        drive(port, paths, duration=max(2, len(paths) // 10), clients=WORKERS, seed=1)
        memory_before = worker_memory_kb(server.pid)
        access_log.write_text("")
        samples, elapsed = drive(port, paths, args.duration, args.clients, seed=7)
        memory_after = worker_memory_kb(server.pid)
        measured_log = access_log.read_text()
        access_log.write_text("")
        floor_samples, floor_elapsed = drive(
            port, [("floor", "/bench/floor/")], args.duration, args.clients, seed=11
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    floor_log = access_log.read_text()

    access_log.write_text(measured_log)
    key_of_path = {path: key for key, path, _kind in mix}
    server = server_times(access_log, key_of_path)
    access_log.write_text(floor_log)
    floor_server = server_times(access_log, {"/bench/floor/": "floor"})["floor"]

    client_times = defaultdict(list)
    errors = defaultdict(int)
    for key, status, seconds in samples:
        client_times[key].append(seconds)
        if status != 200:
            errors[key] += 1
    pages = []
    for key, _path, kind in mix:
        target = TARGET_API_P95_MS if kind == "api" else TARGET_PAGE_P95_MS
        server_p = percentiles(server.get(key, []))
        pages.append(
            {
                "page": key,
                "requests": len(client_times[key]),
                "errors": errors[key],
                "server": server_p,
                "client": percentiles(client_times[key]),
                "target_p95_ms": target,
                "meets_target": server_p["p95"] is not None and server_p["p95"] < target,
            }
        )
    throughput = len(samples) / elapsed
    floor_throughput = len(floor_samples) / floor_elapsed
    result = {
        "benchmark": "load",
        "vendor": vendor,
        "database_version": process.database_version(connection),
        "python": platform.python_version(),
        "rows": rows,
        "clients": args.clients,
        "duration_s": args.duration,
        "workers": WORKERS,
        "requests": len(samples),
        "errors": sum(errors.values()),
        "requests_per_s": throughput,
        "floor": {
            "requests": len(floor_samples),
            "errors": sum(1 for _k, status, _s in floor_samples if status != 200),
            "requests_per_s": floor_throughput,
            "server": percentiles(floor_server),
            "client": percentiles([s for _k, _st, s in floor_samples]),
        },
        "share_of_floor": throughput / floor_throughput if floor_throughput else None,
        "worker_memory_kb": {"before": memory_before, "after": memory_after},
        "load_average": os.getloadavg()[0],
        "pages": pages,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    results_path(vendor).write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(format_result(result), flush=True)
    return result


def _ms(value):
    return "—" if value is None else f"{value:,.0f}"


def format_result(result):
    rows = result["rows"]
    size = ", ".join(f"{name} {count:,}" for name, count in rows.items())
    memory = result["worker_memory_kb"]
    growth = sum(memory["after"].values()) - sum(memory["before"].values())
    lines = [
        f"== load on {result['vendor']} {result['database_version']}: {result['clients']} "
        f"clients, {result['duration_s']} s, gunicorn {result['workers']} sync workers",
        f"   data: {size}",
        f"   {result['requests']:,} requests, {result['errors']} errors, "
        f"{result['requests_per_s']:.1f} requests/s; floor {result['floor']['requests_per_s']:.1f} "
        f"requests/s (server p50 {_ms(result['floor']['server']['p50'])} ms): "
        f"{100 * (result['share_of_floor'] or 0):.1f} % of the floor",
        f"   worker memory: {sum(memory['before'].values()) // 1024} MB before, "
        f"{sum(memory['after'].values()) // 1024} MB after ({growth // 1024:+d} MB)",
        f"   load average at the end: {result['load_average']:.1f} (2 cores shared)",
        "",
        f"   {'page':<22} {'req':>6} {'err':>4}  {'server p50/p95/p99 ms':>24}  "
        f"{'client p50/p95/p99 ms':>24}  target",
    ]
    for page in result["pages"]:
        server, client = page["server"], page["client"]
        lines.append(
            f"   {page['page']:<22} {page['requests']:>6} {page['errors']:>4}  "
            f"{_ms(server['p50']):>7} {_ms(server['p95']):>7} {_ms(server['p99']):>8}  "
            f"{_ms(client['p50']):>7} {_ms(client['p95']):>7} {_ms(client['p99']):>8}  "
            f"p95<{page['target_p95_ms']:.0f} {'ok' if page['meets_target'] else 'MISSED'}"
        )
    return "\n".join(lines)


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__)
    parser.add_argument(
        "--database", choices=["sqlite", "postgres", "both", "auto"], default="auto"
    )
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    for name in FULL:
        parser.add_argument(f"--{name}", type=int, default=None)
    parser.add_argument(
        "--keep-database",
        metavar="NAME",
        default="",
        help="PostgreSQL only: use (and create if absent) this database and keep it after the "
        "run; a rerun at the same size reuses its data instead of generating it again",
    )
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    defaults = QUICK if args.quick else FULL
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if not args.inner:
        arguments = ["--inner", *process.size_arguments(args, defaults)]
        if args.keep_database:
            if args.database != "postgres":
                raise SystemExit("--keep-database needs --database postgres")
            arguments += ["--keep-database", args.keep_database]
        status, _results = process.run_per_database(
            "bench.load", args.database, arguments, results_path
        )
        return status
    with (
        tempfile.TemporaryDirectory(prefix="hub-load-") as workdir,
        databases.database(args.database, workdir, kept=args.keep_database) as url,
    ):
        # Plain HTTP on the loopback: no redirect to HTTPS, no HSTS.
        process.configure(url, workdir, HUB_SECURE_SSL_REDIRECT="0", HUB_HSTS_SECONDS="0")
        # The gunicorn workers, started later, read the environment again.
        os.environ["HUB_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
        run_measurements(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
