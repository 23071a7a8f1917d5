"""Plain multi-row INSERTs for the harvester's hot path.

`bulk_create` prepares every value through every field's `get_db_prep_save` and, on
SQLite, splits rows into batches of 999 parameters: at 40 columns a record that is
most of a harvest's time (measured: about 1 ms per record, `python -m bench
catalogue-harvest`). Here each column's adapter is looked up once (JSON, date, datetime,
or nothing), only the columns that need one are touched, and rows go in as few
statements as the database's parameter limit allows, with `RETURNING id` where the
caller needs the new ids.

JSON goes through orjson, ten times quicker than the standard library at the dozen JSON
columns of a record; a field with its own encoder keeps Django's way.
"""

import json
from datetime import UTC
from functools import lru_cache, partial

import orjson
from django.db import connection, models

# SQLite's default limit on bound parameters (SQLITE_MAX_VARIABLE_NUMBER) is 32,766 since
# 3.32; PostgreSQL allows 65,535. Stay well under both.
MAX_PARAMETERS = 30_000


def _adapter(field):
    ops = connection.ops
    if isinstance(field, models.JSONField):
        dumps = _json_dumps(field)
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            return lambda value: Jsonb(value, dumps=dumps)
        return dumps
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "postgresql":
            return None  # psycopg sends aware datetimes as they are
        return sqlite_datetime
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.UUIDField):
        return lambda value: value if connection.vendor == "postgresql" else value.hex
    return None


@lru_cache(maxsize=1024)
def sqlite_datetime(value):
    """What Django's SQLite backend stores: naive UTC, ISO with a space (kept: a batch
    writes the same few moments, its `now` and the page's datestamps, thousands of times)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _json_dumps(field):
    """The JSON text of a JSON field's values: orjson, or the field's own encoder."""
    return dump_json if field.encoder is None else partial(json.dumps, cls=field.encoder)


def dump_json(value):
    """JSON text of plain values (dates and datetimes as ISO 8601, as Django's encoder)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def insert_rows(model, fields, rows, *, returning=False):
    """INSERT `rows` (tuples of values in `fields` order); the new ids if `returning`."""
    if not rows:
        return []
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql" and not returning:
        _copy_rows(meta.db_table, columns, rows)
        return []
    adapted = [(i, adapt) for i, field in enumerate(columns) if (adapt := _adapter(field))]
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = max(1, MAX_PARAMETERS // len(columns))
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = []
            for row in _prepared(chunk, adapted):
                params.extend(row)
            sql = head + "VALUES " + ", ".join([one] * len(chunk))
            if returning:
                cursor.execute(sql + " RETURNING " + quote(meta.pk.column), params)
                ids.extend(row[0] for row in cursor.fetchall())
            else:
                cursor.execute(sql, params)
    return ids


def _copy_rows(table, columns, rows):
    """PostgreSQL: rows through COPY, which psycopg feeds from C. An INSERT of 100
    records binds 4,300 parameters on the client first (Django's cursors bind there):
    measured, two thirds of the statement's time."""
    quote = connection.ops.quote_name
    json_columns = [
        (i, _json_dumps(field))
        for i, field in enumerate(columns)
        if isinstance(field, models.JSONField)
    ]
    sql = f"COPY {quote(table)} ({', '.join(quote(f.column) for f in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in _prepared(rows, json_columns):
            copy.write_row(row)


def _prepared(rows, adapted):
    """The rows with the columns of `adapted` ([(index, adapter)]) converted; None stays."""
    for row in rows:
        if adapted:
            row = list(row)
            for i, adapt in adapted:
                if row[i] is not None:
                    row[i] = adapt(row[i])
        yield row
