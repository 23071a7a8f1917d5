"""`python -m bench demo`: how long `make run`'s demo loading takes, first and again.

The demo (every `load_demo*` command, in the order the Makefile's `demo` target runs them)
is loaded into a fresh throwaway database, then loaded a second time,
which must find everything there and create nothing. Both loads are timed per command,
with the rows the database then holds. The target: the whole first load under 30 seconds,
so that `make run` on a new machine shows the Hub quickly. Results are printed and written
to var/bench/demo-<vendor>.json.

One database per process (`python -m bench.demo --database sqlite`, bench.process).
"""

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime

from . import databases, process
from .report import REPO_DIR, RESULTS_DIR

COMMANDS = (
    "load_demo",
    "load_demo_activities",
    "load_demo_updates",
    "load_demo_consultations",
    "load_demo_monitoring",
    "load_demo_catalogue",
)
TARGET_FIRST_LOAD_SECONDS = 30.0
# Tables whose rows the report counts: what a visitor of the demo sees.
COUNTED = (
    "members.Organization",
    "members.Person",
    "activities.Activity",
    "activities.Registration",
    "updates.UpdateIssue",
    "updates.Subscriber",
    "consultations.Response",
    "monitoring.Report",
    "catalogue.Record",
)


def results_path(vendor):
    return RESULTS_DIR / f"demo-{vendor}.json"


def _load():
    """Run each demo command once; their seconds, in order."""
    from io import StringIO

    from django.core.management import call_command

    seconds = {}
    for command in COMMANDS:
        started = time.perf_counter()
        call_command(command, stdout=StringIO())
        seconds[command] = round(time.perf_counter() - started, 3)
    return seconds


def _data_files():
    """The demo's data files (`<app>/demo/*.toml`): how many, and their size in bytes."""
    from importlib import import_module
    from pathlib import Path

    sizes = {}
    for app in ("members", "activities", "updates", "consultations", "monitoring", "catalogue"):
        folder = Path(import_module(f"coalition.{app}.demo").__file__).parent
        files = sorted(folder.glob("*.toml"))
        sizes[app] = {"files": len(files), "bytes": sum(f.stat().st_size for f in files)}
    return sizes


def _row_counts():
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def _queued_tasks():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.count()


def measure():
    import django
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    vendor = connection.vendor
    print(f"[{vendor}] migrated; loading the demo twice…", flush=True)
    load_before = os.getloadavg()[0]
    first = _load()
    rows = _row_counts()
    again = _load()
    load_after = os.getloadavg()[0]
    total = sum(first.values())
    return {
        "database": {"vendor": vendor, "version": process.database_version(connection)},
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "environment": {
            "django": django.get_version(),
            "cpus": os.cpu_count(),
            "load_before": round(load_before, 2),
            "load_after": round(load_after, 2),
        },
        "first_seconds": first,
        "again_seconds": again,
        "rows": rows,
        "tasks_left_for_the_worker": _queued_tasks(),
        "data_files": _data_files(),
        "rows_unchanged_by_second_load": rows == _row_counts(),
        "target_first_load_seconds": TARGET_FIRST_LOAD_SECONDS,
        "verdict": "PASS"
        if total < TARGET_FIRST_LOAD_SECONDS and rows == _row_counts()
        else "FAIL",
    }


def format_run(result):
    database = result["database"]
    environment = result["environment"]
    lines = [
        "",
        f"== Demo loading benchmark on {database['vendor']} {database['version']} ==",
        f"Load average {environment['load_before']:.2f} before, "
        f"{environment['load_after']:.2f} after, on {environment['cpus']} CPUs",
        "",
        f"{'command':<24} {'first s':>8} {'again s':>8}",
    ]
    for command in COMMANDS:
        lines.append(
            f"{command:<24} {result['first_seconds'][command]:>8.2f} "
            f"{result['again_seconds'][command]:>8.2f}"
        )
    first, again = sum(result["first_seconds"].values()), sum(result["again_seconds"].values())
    lines += [
        f"{'total':<24} {first:>8.2f} {again:>8.2f}",
        "",
        "Rows: " + ", ".join(f"{label} {count}" for label, count in result["rows"].items()),
        "Data files: "
        + ", ".join(
            f"{app} {size['files']} files, {size['bytes'] / 1000:.0f} kB"
            for app, size in result.get("data_files", {}).items()
        ),
        f"Tasks left for the worker (as `make run` starts it): "
        f"{result.get('tasks_left_for_the_worker', '?')}",
        "Second load left every count as it was: "
        + ("yes" if result["rows_unchanged_by_second_load"] else "NO"),
        f"Target: first load under {TARGET_FIRST_LOAD_SECONDS:.0f} s; "
        f"verdict on {database['vendor']}: {result['verdict']}",
    ]
    return "\n".join(lines)


def one(argv=None):
    """One database, in this process (started by `main`)."""
    parser = argparse.ArgumentParser(prog="python -m bench.demo")
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="hub-bench-demo-") as workdir,
        databases.database(args.database, workdir) as url,
    ):
        # As under `make run`, tasks the demo asks for (the synthesis PDFs) wait in the
        # database for the worker instead of running inside the load; no mail leaves.
        process.configure(
            url,
            workdir,
            HUB_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            HUB_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        )
        from django.db import connections

        try:
            result = measure()
        finally:
            connections.close_all()  # PostgreSQL refuses to drop a database in use
    path = results_path(result["database"]["vendor"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(format_run(result))
    print(f"Results written to {path.relative_to(REPO_DIR)}", flush=True)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench demo",
        description="Load the demo data twice into throwaway databases; time each command.",
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres", "both"],
        help="default: both if PostgreSQL is reachable, else sqlite",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 unless every run passes"
    )
    args = parser.parse_args(argv)
    status, results = process.run_per_database("bench.demo", args.database, [], results_path)
    if status:
        return status
    for result in results:
        first = sum(result["first_seconds"].values())
        vendor = result["database"]["vendor"]
        print(f"{vendor:<12} demo first load {first:.1f} s: {result['verdict']}")
    if args.check and any(result["verdict"] != "PASS" for result in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(one())
