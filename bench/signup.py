"""`python -m bench signup`: sign-up takes as long for an address with an account as for a new one.

Nobody may learn from the sign-up page's timing whether an address has an account. Under
production settings (the real password hasher, account mails queued for the background
worker as `db_worker` would send them), ROUNDS sign-ups with new addresses and ROUNDS with
the address of an existing account are timed alternately through the whole page (Django's
test client). Printed, and written to var/bench/signup-<vendor>.json: the median and
spread of each path, and their ratio. The target: medians within 20 % of each other.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

from . import databases, process
from .report import REPO_DIR, RESULTS_DIR

ROUNDS = 7
TARGET_RATIO = 1.2
PASSWORD = "open-education-2019"  # noqa: S105 - a throwaway account's


def results_path(vendor):
    return RESULTS_DIR / f"signup-{vendor}.json"


def measure(rounds):
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    from coalition.members.models import User

    call_command("migrate", interactive=False, verbosity=0)
    User.objects.create_user(email="known@example.org", password=PASSWORD)
    times = {"new": [], "known": []}
    statuses = set()
    load_before = os.getloadavg()[0]
    # Rate limits would refuse a benchmark's 2 × ROUNDS sign-ups from one address.
    with override_settings(ACCOUNT_RATE_LIMITS=False):
        for number in range(rounds + 1):
            for path, email in (
                ("new", f"new{number}@example.org"),
                ("known", "known@example.org"),
            ):
                client = Client()
                started = time.perf_counter()
                response = client.post(
                    "/en/accounts/signup/",
                    {"email": email, "name": "Ada", "password1": PASSWORD, "password2": PASSWORD},
                )
                elapsed = time.perf_counter() - started
                statuses.add((path, response.status_code, response.get("Location", "")))
                if number:  # the first round warms up
                    times[path].append(elapsed * 1000)
    summary = {
        path: {
            "median_ms": statistics.median(values),
            "min_ms": min(values),
            "max_ms": max(values),
        }
        for path, values in times.items()
    }
    ratio = max(summary["new"]["median_ms"], summary["known"]["median_ms"]) / min(
        summary["new"]["median_ms"], summary["known"]["median_ms"]
    )
    answers = {(status, location) for _path, status, location in statuses}
    return {
        "benchmark": "signup",
        "vendor": connection.vendor,
        "database_version": process.database_version(connection),
        "hasher": settings.PASSWORD_HASHERS[0],
        "rounds": rounds,
        "paths": summary,
        "ratio": ratio,
        "same_answer": len(answers) == 1,
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "target_ratio": TARGET_RATIO,
        "verdict": "PASS" if ratio < TARGET_RATIO and len(answers) == 1 else "FAIL",
    }


def format_run(result):
    lines = [
        f"== sign-up timing on {result['vendor']} {result['database_version']}: "
        f"{result['rounds']} rounds, {result['hasher'].rsplit('.', 1)[-1]}, "
        f"load average {result['load_before']:.1f} → {result['load_after']:.1f}",
        f"   {'path':<28} {'median ms':>10} {'min':>8} {'max':>8}",
    ]
    names = {"new": "new address", "known": "address with an account"}
    for path, figures in result["paths"].items():
        lines.append(
            f"   {names[path]:<28} {figures['median_ms']:>10.1f} {figures['min_ms']:>8.1f} "
            f"{figures['max_ms']:>8.1f}"
        )
    lines.append(
        f"   ratio of the medians {result['ratio']:.2f} (target < {result['target_ratio']}); "
        f"same answer: {'yes' if result['same_answer'] else 'NO'}; {result['verdict']}"
    )
    return "\n".join(lines)


def one(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.signup")
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="hub-bench-signup-") as workdir,
        databases.database(args.database, workdir) as url,
    ):
        process.configure(
            url,
            workdir,
            HUB_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            # As in production: the account mails wait in the database for `db_worker`.
            HUB_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
            HUB_SECURE_SSL_REDIRECT="0",
        )
        from django.db import connections

        try:
            result = measure(args.rounds)
        finally:
            connections.close_all()
    path = results_path(result["vendor"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(format_run(result))
    print(f"Results written to {path.relative_to(REPO_DIR)}", flush=True)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench signup", description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--check", action="store_true", help="exit 1 unless every run passes")
    args = parser.parse_args(argv)
    status, results = process.run_per_database(
        "bench.signup", args.database, ["--rounds", str(args.rounds)], results_path
    )
    if status:
        return status
    if args.check and any(result["verdict"] != "PASS" for result in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(one())
