"""One benchmark run on one throwaway database, in a process of its own.

Django can be configured once per process, so `python -m bench` starts this module once
per database. It sets up the environment as production would run the Hub (HUB_DEBUG=0,
static files collected into a manifest), migrates, generates data, measures, and writes
var/bench/members-<vendor>.json.
"""

import argparse
import logging
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime

from . import databases

ENVIRONMENT_PREFIXES = ("HUB_", "DATABASE_URL", "DJANGO_")


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--organizations", type=int, default=5000)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--profile", action="store_true")
    return parser


def configure(database_url, workdir):
    """Production-mode settings pointing only at the throwaway database and directory."""
    # Nothing inherited from the developer's shell may point the run at their own
    # database, cache or mail server.
    for name in list(os.environ):
        if name.startswith(ENVIRONMENT_PREFIXES):
            del os.environ[name]
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        HUB_DEBUG="0",
        HUB_SECRET_KEY=os.urandom(32).hex(),
        HUB_ALLOWED_HOSTS="testserver",
        DATABASE_URL=database_url,
        HUB_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        HUB_VAR_DIR=workdir,
        HUB_STATIC_ROOT=os.path.join(workdir, "static"),
        HUB_LOG_LEVEL="ERROR",
    )
    import django

    django.setup()
    # Probing for the API (which may not exist yet) answers 404 on purpose; not worth a log line.
    logging.getLogger("django.request").setLevel(logging.ERROR)


def database_version(connection):
    if connection.vendor == "sqlite":
        return connection.Database.sqlite_version
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0].split()[0]
    return ""


def search_matches():
    from coalition.members import selectors

    from .data import BENCH_REGION, BENCH_TERM

    return selectors.directory_organizations(q=BENCH_TERM, region=BENCH_REGION).count()


def measure(args):
    import django
    from django.core.management import call_command
    from django.db import connection

    from . import data, members, report

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
    bench = members.run(requests=args.requests, warmup=args.warmup)
    load_after = os.getloadavg()[0]
    result = {
        "database": {"vendor": connection.vendor, "version": database_version(connection)},
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
        run_profile(connection.vendor, bench, report)
    return result


PROFILE_REQUESTS = 50
PROFILE_LINES = 45


def run_profile(vendor, bench, report):
    """Where the directory's time goes: functions by share of the total time, including
    Django's and other libraries' own (the HTML file beside it holds the whole tree)."""
    from . import members

    for row in bench["scenarios"]:
        if row["kind"] != "directory" or not row["available"]:
            continue
        profiler = members.profile(row["path"], requests=PROFILE_REQUESTS)
        if profiler is None:
            print("Profiling needs pyinstrument: .venv/bin/pip install 'pyinstrument>=5,<6'")
            return
        html = report.RESULTS_DIR / f"profile-{vendor}-{row['key']}.html"
        html.write_text(profiler.output_html(), encoding="utf-8")
        where = html.relative_to(report.REPO_DIR)
        print(f"\n== Profile of {PROFILE_REQUESTS} × {row['label']} on {vendor} ({where}) ==")
        text = profiler.output_text(flat=True, flat_time="total", time="percent_of_total")
        print("\n".join(line for line in text.splitlines()[:PROFILE_LINES] if line.strip()))


def main(argv=None):
    args = build_parser().parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="hub-bench-") as workdir,
        databases.database(args.database, workdir) as url,
    ):
        configure(url, workdir)
        from django.db import connections

        try:
            measure(args)
        finally:
            # PostgreSQL refuses to drop a database with open connections.
            connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
