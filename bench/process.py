"""What every benchmark does around its measurements: one process per database.

Django can be configured once per process, so each benchmark's `main` starts its own
module again for each database (`run_per_database`), and that process sets itself up as
production would run the Hub, pointing only at a throwaway database (`configure`).
"""

import json
import os
import subprocess
import sys

from . import databases
from .report import REPO_DIR

ENVIRONMENT_PREFIXES = ("HUB_", "DATABASE_URL", "DJANGO_")


def configure(database_url, workdir, *, settings_module="bench.settings", **environment):
    """Production-mode settings pointing only at the throwaway database and directory;
    `environment` adds or overrides HUB_* variables (inherited by child processes)."""
    # Nothing inherited from the developer's shell may point the run at their own
    # database, cache or mail server.
    for name in list(os.environ):
        if name.startswith(ENVIRONMENT_PREFIXES):
            del os.environ[name]
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "HUB_DEBUG": "0",
            "HUB_SECRET_KEY": os.urandom(32).hex(),
            "HUB_ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": database_url,
            "HUB_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "HUB_VAR_DIR": str(workdir),
            "HUB_STATIC_ROOT": os.path.join(workdir, "static"),
            "HUB_LOG_LEVEL": "ERROR",
            **environment,
        }
    )
    import django

    django.setup()


def database_version(connection):
    if connection.vendor == "sqlite":
        return connection.Database.sqlite_version
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0].split()[0]
    return ""


def chosen_databases(requested):
    """The databases a run covers: the one asked for, or both when PostgreSQL answers."""
    if requested in {"sqlite", "postgres"}:
        return [requested]
    if requested == "both":
        return ["sqlite", "postgres"]
    return ["sqlite", "postgres"] if databases.postgres_reachable() else ["sqlite"]


def run_per_database(module, requested, arguments, results_path):
    """Run `python -m <module> --database <db> <arguments>` for each chosen database.

    Returns (exit status, the results each run wrote to `results_path(vendor)`); the
    status is not 0 when PostgreSQL was asked for and is unreachable, or a run failed.
    """
    targets = chosen_databases(requested)
    if "postgres" in targets and not databases.postgres_reachable():
        print(f"PostgreSQL is not reachable at {databases.postgres_server_url()}", file=sys.stderr)
        return 2, []
    results = []
    for database in targets:
        command = [sys.executable, "-m", module, "--database", database, *arguments]
        # This same Python on this package's own module, with arguments argparse validated.
        completed = subprocess.run(command, cwd=REPO_DIR, check=False)  # noqa: S603
        if completed.returncode != 0:
            print(
                f"The {database} run failed (exit status {completed.returncode}).", file=sys.stderr
            )
            return completed.returncode, results
        vendor = "postgresql" if database == "postgres" else database
        results.append(json.loads(results_path(vendor).read_text(encoding="utf-8")))
    return 0, results


def size_arguments(args, defaults):
    """`--name value` for each size, the one given on the command line or the default."""
    arguments = []
    for name, value in defaults.items():
        chosen = getattr(args, name, None)
        arguments += [f"--{name.replace('_', '-')}", str(value if chosen is None else chosen)]
    return arguments
