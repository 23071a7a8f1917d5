"""Plain multi-row INSERTs for the harvester's hot path.

`bulk_create` prepares every value through every field's `get_db_prep_save` and, on
SQLite, splits rows into batches of 999 parameters: at 40 columns a record that is
most of a harvest's time (measured: about 1 ms per record, `python -m bench
catalogue-harvest`). Here each column's adapter is looked up once (JSON, date, datetime,
or nothing) and rows go in as few statements as the database's parameter limit allows,
with `RETURNING id` where the caller needs the new ids.
"""

from datetime import UTC

from django.db import connection, models

# SQLite's default limit on bound parameters (SQLITE_MAX_VARIABLE_NUMBER) is 32,766 since
# 3.32; PostgreSQL allows 65,535. Stay well under both.
MAX_PARAMETERS = 30_000


def _adapter(field):
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return lambda value: ops.adapt_json_value(value, field.encoder)
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "postgresql":
            return None  # psycopg sends aware datetimes as they are
        # What Django's SQLite backend stores: naive UTC, ISO with a space.
        return lambda value: value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.UUIDField):
        return lambda value: value if connection.vendor == "postgresql" else value.hex
    return None


def insert_rows(model, fields, rows, *, returning=False):
    """INSERT `rows` (tuples of values in `fields` order); the new ids if `returning`."""
    if not rows:
        return []
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    adapters = [_adapter(field) for field in columns]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = max(1, MAX_PARAMETERS // len(columns))
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = []
            for row in chunk:
                params.extend(
                    value if adapt is None or value is None else adapt(value)
                    for value, adapt in zip(row, adapters, strict=True)
                )
            sql = head + "VALUES " + ", ".join([one] * len(chunk))
            if returning:
                cursor.execute(sql + " RETURNING " + quote(meta.pk.column), params)
                ids.extend(row[0] for row in cursor.fetchall())
            else:
                cursor.execute(sql, params)
    return ids
