"""`make bench`: the member directory and API benchmark (see bench/__init__.py).

`python -m bench updates [...]` runs the Update sending benchmark instead (bench/updates.py).
`python -m bench activities [...]` runs only the activities benchmark (bench/activities.py),
which the default run also runs after the member directory's.
`python -m bench catalogue-harvest|catalogue-search|catalogue-oai [...]` run the catalogue's
benchmarks (bench/catalogue_harvest.py, catalogue_search.py, catalogue_oai.py).
"""

import argparse
import json
import subprocess
import sys

from . import databases, report

QUICK = {"organizations": 300, "people": 1200, "requests": 30, "warmup": 5}
FULL = {"organizations": 5000, "people": 20000, "requests": 200, "warmup": 20}


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Generate a member directory in throwaway databases; time its pages and API.",
        epilog="python -m bench updates --help: the Update sending benchmark.",
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres", "both"],
        help="default: both if PostgreSQL is reachable (BENCH_DATABASE_URL or 127.0.0.1:5432), "
        "else sqlite",
    )
    parser.add_argument("--organizations", type=int, help=f"default {FULL['organizations']}")
    parser.add_argument("--people", type=int, help=f"default {FULL['people']}")
    parser.add_argument(
        "--requests", type=int, help=f"timed requests per scenario, default {FULL['requests']}"
    )
    parser.add_argument(
        "--warmup", type=int, help=f"untimed requests per scenario first, default {FULL['warmup']}"
    )
    parser.add_argument("--seed", type=int, help="data generator seed (default fixed)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument(
        "--profile", action="store_true", help="also profile the directory with pyinstrument"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 unless the directory passes"
    )
    return parser


def chosen_databases(requested):
    if requested in {"sqlite", "postgres"}:
        return [requested]
    if requested == "both":
        return ["sqlite", "postgres"]
    return ["sqlite", "postgres"] if databases.postgres_reachable() else ["sqlite"]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["updates"]:
        from . import updates

        return updates.main(argv[1:])
    if argv[:1] == ["activities"]:
        from . import activities

        return activities.main(argv[1:])
    catalogue = {"catalogue-harvest", "catalogue-search", "catalogue-oai"}
    if argv[:1] and argv[0] in catalogue:
        import importlib

        return importlib.import_module(f"bench.{argv[0].replace('-', '_')}").main(argv[1:])
    args = build_parser().parse_args(argv)
    defaults = QUICK if args.quick else FULL
    sizes = {
        name: getattr(args, name) if getattr(args, name) is not None else value
        for name, value in defaults.items()
    }
    targets = chosen_databases(args.database)
    if "postgres" in targets and not databases.postgres_reachable():
        print(f"PostgreSQL is not reachable at {databases.postgres_server_url()}", file=sys.stderr)
        return 2

    results = []
    for database in targets:
        command = [sys.executable, "-m", "bench.run", "--database", database]
        for name, value in sizes.items():
            command += [f"--{name}", str(value)]
        if args.seed is not None:
            command += ["--seed", str(args.seed)]
        if args.profile:
            command.append("--profile")
        # This same Python on this package's own module, with arguments argparse validated.
        completed = subprocess.run(command, cwd=report.REPO_DIR, check=False)  # noqa: S603
        if completed.returncode != 0:
            print(
                f"The {database} run failed (exit status {completed.returncode}).", file=sys.stderr
            )
            return completed.returncode
        vendor = "postgresql" if database == "postgres" else database
        results.append(json.loads(report.results_path(vendor).read_text(encoding="utf-8")))

    print(report.format_summary(results))
    directory_failed = args.check and any(
        result["bench"]["verdict"] != "PASS" for result in results
    )
    from . import activities

    activities_argv = [*(["--database", args.database] if args.database else [])]
    activities_argv += [*(["--quick"] if args.quick else []), *(["--check"] if args.check else [])]
    activities_status = activities.main(activities_argv)
    if activities_status:
        return activities_status
    return 1 if directory_failed else 0


if __name__ == "__main__":
    sys.exit(main())
