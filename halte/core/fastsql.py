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
from typing import Any, NamedTuple, TypeVar

from django.db import DatabaseError, connections, models, transaction

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any, Any, Any], Any]

_read_plans: dict[tuple[type[models.Model], str], tuple[str, list[str], list[list[Any]]]] = {}
_insert_plans: dict[tuple[type[models.Model], str], _InsertPlan] = {}


def _execute(
    connection: Any, sql: str, params: list[Any], *, read: bool = False
) -> list[tuple[Any, ...]]:
    """Run one statement and return its rows. On PostgreSQL the statement is prepared once per
    connection (its parse and plan are not paid again) through a server-binding cursor, inside
    Django's transaction and with its error wrapping, so an IntegrityError is Django's.

    With CONN_HEALTH_CHECKS, Django checks a kept connection before the first statement of each
    request (a round trip) and reconnects if the server went away; so do these statements, except
    that a read outside a transaction (the token of every API request) is its own check: if it
    fails on a connection that no longer answers, it runs again on a new one. Only a read: a
    write whose answer was lost may have been committed."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found: list[tuple[Any, ...]] = cursor.fetchall()
            return found
    if (
        read
        and connection.health_check_enabled
        and not connection.health_check_done
        and connection.connection is not None
        and not connection.in_atomic_block
    ):
        connection.health_check_done = True
        try:
            return _run(connection, sql, params)
        except DatabaseError:
            if connection.is_usable():
                raise
            connection.close()
    connection.close_if_health_check_failed()
    return _run(connection, sql, params)


def _run(connection: Any, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    import psycopg

    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
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
    set on each instance as plain attributes. ``{table}`` is the model's table. A read only: it
    may run twice when the kept connection turned out dead (``_execute``)."""
    connection = connections[using]
    columns, attnames, converters = _read_plan(model, using)
    text = sql.format(columns=columns, table=connection.ops.quote_name(model._meta.db_table))
    rows = _execute(connection, text, list(params), read=True)
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


class _InsertPlan(NamedTuple):
    head: str  # INSERT INTO table (columns)
    returning: str  # the primary key's column
    fields: list[models.Field[Any, Any]]

    @property
    def sql(self) -> str:
        marks = ", ".join(["%s"] * len(self.fields))
        return f"{self.head} VALUES ({marks}) RETURNING {self.returning}"


def _insert_plan(model: type[models.Model], connection: Any) -> _InsertPlan:
    key = (model, connection.vendor)
    plan = _insert_plans.get(key)
    if plan is None:
        quote = connection.ops.quote_name
        pk = model._meta.pk
        fields = [f for f in model._meta.concrete_fields if f is not pk]
        head = "INSERT INTO {} ({})".format(
            quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
        )
        plan = _InsertPlan(head, quote(pk.column), fields)
        _insert_plans[key] = plan
    return plan


def _params(objs: Sequence[models.Model], connection: Any) -> list[list[Any]]:
    """Each instance's values for its insert plan, converted as save() converts them."""
    params = []
    for obj in objs:
        if obj.pk is not None or not obj._state.adding:
            raise ValueError("fastsql.insert only inserts new instances")
        fields = _insert_plan(type(obj), connection).fields
        params.append([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    return params


def _mark_saved(objs: Sequence[models.Model], pks: Sequence[Any], using: str) -> None:
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using


def insert(*objs: models.Model, using: str = "default", savepoint: bool = True) -> None:
    """Insert new instances, all or none (defaults and auto_now fields filled as ``save()``
    does), and set their primary keys. Not for updates.

    On PostgreSQL the rows go in one statement (data-modifying CTEs), which is atomic by itself:
    outside a transaction, a check-in's visit and audit event cost one round trip and one commit
    instead of four. Elsewhere several rows go in one transaction. Inside a transaction the rows
    go under a savepoint, so that a refused insert (a unique constraint) leaves the enclosing
    transaction usable; ``savepoint=False`` spares that round trip where a failure is a bug."""
    connection = connections[using]
    params = _params(objs, connection)
    statements = [_insert_plan(type(obj), connection).sql for obj in objs]

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
    _mark_saved(objs, pks, using)


def insert_if(
    guard: str,
    guard_params: Sequence[Any],
    *objs: models.Model,
    from_guard: dict[str, str],
    using: str = "default",
) -> bool:
    """Insert new instances only if ``guard`` finds a row, taking some of their columns from that
    row; False, with nothing written, when it finds none.

    ``guard`` is a SELECT returning at most one row whose columns are named; ``from_guard`` maps a
    field's attname (``site_id``) to the guard's column that fills it, in every instance that has
    the field. The instances get those values and their primary keys. On PostgreSQL it is one
    statement: the checks and the writes in a single round trip and a single commit, so nothing
    can change between them (under a savepoint inside a transaction, as ``insert``). Elsewhere, a
    transaction holds the read and the writes."""
    connection = connections[using]
    targets = []  # per instance, its fields filled from the guard: attname -> guard column
    for obj in objs:
        inserted = {f.attname for f in _insert_plan(type(obj), connection).fields}
        targets.append({a: column for a, column in from_guard.items() if a in inserted})

    def fill(found: dict[str, Any]) -> None:
        for obj, fills in zip(objs, targets, strict=True):
            for attname, column in fills.items():
                setattr(obj, attname, found[column])

    if connection.vendor != "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute(guard, list(guard_params))
                names = [d[0] for d in cursor.description]
                row = cursor.fetchone()
            if row is None:
                return False
            fill(dict(zip(names, row, strict=True)))
            insert(*objs, using=using, savepoint=False)
        return True
    params = _params(objs, connection)
    ctes = [f"g AS ({guard})"]
    flat = list(guard_params)
    columns = sorted(set(from_guard.values()))
    for n, (obj, fills, values) in enumerate(zip(objs, targets, params, strict=True)):
        plan = _insert_plan(type(obj), connection)
        picks = []
        for field, value in zip(plan.fields, values, strict=True):
            if field.attname in fills:
                picks.append(f"g.{connection.ops.quote_name(fills[field.attname])}")
            else:
                picks.append("%s")
                flat.append(value)
        ctes.append(
            f"i{n} AS ({plan.head} SELECT {', '.join(picks)} FROM g RETURNING {plan.returning})"  # noqa: S608 - model names
        )
    # Names only (models' and the caller's guard columns); every value is a parameter.
    selects = [f"(SELECT * FROM i{n})" for n in range(len(objs))]  # noqa: S608
    selects += [f"(SELECT g.{connection.ops.quote_name(c)} FROM g)" for c in columns]  # noqa: S608
    sql = f"WITH {', '.join(ctes)} SELECT {', '.join(selects)}"
    if connection.in_atomic_block:  # a refusal (a unique constraint) leaves the transaction usable
        with transaction.atomic(using=using):
            row = _execute(connection, sql, flat)[0]
    else:
        row = _execute(connection, sql, flat)[0]
    if row[0] is None:
        return False
    fill(dict(zip(columns, row[len(objs) :], strict=True)))
    _mark_saved(objs, row[: len(objs)], using)
    return True
