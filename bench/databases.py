"""Throwaway databases: the benchmark never opens the developer's own.

SQLite: a new file in a temporary directory. PostgreSQL: a new database on the server of
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432), created for the run and
dropped after it (named BENCH_DATABASE_PREFIX_…, "bench_…" by default); the URL's database is
used only to issue CREATE and DROP DATABASE.
"""

import os
import secrets
import socket
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_server_url():
    return os.environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRES_URL


def postgres_reachable(timeout=1.0):
    parts = urlsplit(postgres_server_url())
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout):
            return True
    except OSError:
        return False


@contextmanager
def sqlite_database(workdir):
    yield f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"


@contextmanager
def postgres_database():
    import psycopg
    from psycopg import sql

    parts = urlsplit(postgres_server_url())
    maintenance = urlunsplit(
        parts._replace(path=parts.path if parts.path.strip("/") else "/postgres")
    )
    # BENCH_DATABASE_PREFIX: where several people share one server, each names their own.
    prefix = os.environ.get("BENCH_DATABASE_PREFIX") or "bench"
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextmanager
def kept_postgres_database(name):
    """A PostgreSQL database named by the caller, created when it does not exist and left in
    place after the run, so that a rerun can skip generating the same data again."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(postgres_server_url())
    maintenance = urlunsplit(
        parts._replace(path=parts.path if parts.path.strip("/") else "/postgres")
    )
    with psycopg.connect(maintenance, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield urlunsplit(parts._replace(path=f"/{name}"))


def database(kind, workdir, kept=None):
    if kind == "sqlite":
        return sqlite_database(workdir)
    if kind == "postgres":
        return kept_postgres_database(kept) if kept else postgres_database()
    raise ValueError(f"unknown database {kind!r}")


def settle(connection):
    """After a bulk load, what autovacuum soon does on PostgreSQL (since version 13 it also
    vacuums tables that only grew): statistics for the planner, and the visibility map that
    lets a count read an index without visiting the table. Nothing to do on SQLite."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
