"""Reads and inserts for the few hottest paths, without building an ORM query each time.

Every API request looks up its token and every check-in reads a site and writes a visit and its
audit event. Through the ORM, compiling those small statements cost several times more than the
database took to run them (docs/performance.md). Here the statement text is built once per model
and database vendor and cached; values still go through the fields' own conversions, in both
directions, so what is read and written is exactly what the ORM would read and write.

On PostgreSQL the statements are prepared on the server (see ``_execute``). Only for models without save() logic beyond refusing updates, and without signal receivers: an
insert here sends no pre_save/post_save signal (a test checks that none is connected).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections, models, transaction

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any, Any, Any], Any]

_read_plans: dict[tuple[type[models.Model], str], tuple[str, list[str], list[list[Any]]]] = {}
_insert_plans: dict[tuple[type[models.Model], str], tuple[str, list[models.Field[Any, Any]]]] = {}


def _execute(connection: Any, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run one statement and return its rows. On PostgreSQL the statement is prepared once per
    connection (its parse and plan are not paid again) through a server-binding cursor, inside
    Django's transaction and with its error wrapping, so an IntegrityError is Django's."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found: list[tuple[Any, ...]] = cursor.fetchall()
            return found
    import psycopg

    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        rows = cursor.fetchall()
    if connection.queries_logged:  # DEBUG or a test counting queries sees these too
        connection.queries_log.append(
            {
                "sql": f"{sql} -- {len(params)} parameters",
                "time": f"{time.monotonic() - started:.3f}",
            }
        )
    return rows


def _read_plan(model: type[models.Model], alias: str) -> tuple[str, list[str], list[list[Any]]]:
    connection = connections[alias]
    key = (model, connection.vendor)
    plan = _read_plans.get(key)
    if plan is None:
        quote = connection.ops.quote_name
        table = model._meta.db_table
        fields = list(model._meta.concrete_fields)
        columns = ", ".join(f"{quote(table)}.{quote(str(f.column))}" for f in fields)
        converters = []
        for field in fields:
            col = field.get_col(table)
            converters.append(
                [
                    (convert, col)
                    for convert in connection.ops.get_db_converters(col)
                    + field.get_db_converters(connection)
                ]
            )
        plan = (columns, [f.attname for f in fields], converters)
        _read_plans[key] = plan
    return plan


def fetch(
    model: type[M],
    sql: str,
    params: Sequence[Any],
    *,
    extra: Sequence[str] = (),
    using: str = "default",
) -> list[M]:
    """Instances of ``model`` from ``sql``, a statement whose select list is written ``{columns}``
    (every concrete column of the model, in order) followed by the ``extra`` columns, which are
    set on each instance as plain attributes. ``{table}`` is the model's table."""
    connection = connections[using]
    columns, attnames, converters = _read_plan(model, using)
    text = sql.format(columns=columns, table=connection.ops.quote_name(model._meta.db_table))
    rows = _execute(connection, text, list(params))
    width = len(attnames)
    found = []
    for row in rows:
        values = list(row[:width])
        for i, convert_all in enumerate(converters):
            for convert, col in convert_all:
                values[i] = convert(values[i], col, connection)
        obj = model.from_db(using, attnames, values)
        for name, value in zip(extra, row[width:], strict=True):
            setattr(obj, name, value)
        found.append(obj)
    return found


def db_value(model: type[models.Model], field: str, value: Any, *, using: str = "default") -> Any:
    """``value`` as the database stores ``model.field`` (a UUID is text on SQLite), for a
    parameter of a hand-written statement."""
    found = model._meta.get_field(field)
    assert isinstance(found, models.Field)
    return found.get_db_prep_value(value, connections[using])


def _insert_plan(model: type[models.Model], connection: Any) -> tuple[str, list[Any]]:
    key = (model, connection.vendor)
    plan = _insert_plans.get(key)
    if plan is None:
        quote = connection.ops.quote_name
        pk = model._meta.pk
        fields = [f for f in model._meta.concrete_fields if f is not pk]
        sql = "INSERT INTO {} ({}) VALUES ({}) RETURNING {}".format(  # noqa: S608 - model names
            quote(model._meta.db_table),
            ", ".join(quote(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)),
            quote(pk.column),
        )
        plan = (sql, fields)
        _insert_plans[key] = plan
    return plan


def insert(*objs: models.Model, using: str = "default", savepoint: bool = True) -> None:
    """Insert new instances, all or none (defaults and auto_now fields filled as ``save()``
    does), and set their primary keys. Not for updates.

    On PostgreSQL the rows go in one statement (data-modifying CTEs), which is atomic by itself:
    outside a transaction, a check-in's visit and audit event cost one round trip and one commit
    instead of four. Elsewhere several rows go in one transaction. Inside a transaction the rows
    go under a savepoint, so that a refused insert (a unique constraint) leaves the enclosing
    transaction usable; ``savepoint=False`` spares that round trip where a failure is a bug."""
    connection = connections[using]
    statements, params = [], []
    for obj in objs:
        if obj.pk is not None or not obj._state.adding:
            raise ValueError("fastsql.insert only inserts new instances")
        sql, fields = _insert_plan(type(obj), connection)
        statements.append(sql)
        params.append([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])

    def run() -> tuple[Any, ...]:
        if connection.vendor == "postgresql" and len(statements) > 1:
            ctes = ", ".join(f"i{n} AS ({sql})" for n, sql in enumerate(statements))
            picks = ", ".join(f"(SELECT * FROM i{n})" for n in range(len(statements)))  # noqa: S608
            flat = [value for values in params for value in values]
            return _execute(connection, f"WITH {ctes} SELECT {picks}", flat)[0]
        return tuple(
            _execute(connection, sql, values)[0][0]
            for sql, values in zip(statements, params, strict=True)
        )

    one_statement = len(statements) == 1 or connection.vendor == "postgresql"
    if one_statement and not connection.in_atomic_block:
        pks = run()
    else:
        with transaction.atomic(using=using, savepoint=savepoint):
            pks = run()
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using
