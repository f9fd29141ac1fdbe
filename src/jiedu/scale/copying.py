"""Streaming rows into PostgreSQL with COPY, and the bulk-load steps around it.

Rows are written as COPY text lines in large blocks (``cursor.copy(...).write``): formatting one
line per row in Python and letting PostgreSQL parse it is several times faster than INSERTs.
While a big table loads, its secondary indexes and its foreign-key and unique constraints are
set aside and then rebuilt: PostgreSQL builds an index from sorted data and validates a foreign
key with one join far faster than row by row. Re-adding the constraints validates every loaded
row, so nothing the models promise is skipped.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import models
from psycopg import sql

NULL = "\\N"
BLOCK_ROWS = 20_000
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def text(value: str) -> str:
    """A string as a COPY text field (tabs, newlines and backslashes escaped)."""
    return value.translate(_ESCAPES)


def stamp(value: datetime.datetime | None) -> str:
    return NULL if value is None else value.isoformat()


def day(value: datetime.date | None) -> str:
    return NULL if value is None else value.isoformat()


def flag(value: bool) -> str:
    return "t" if value else "f"


def ref(value: int | None) -> str:
    return NULL if value is None else str(value)


@dataclass
class Loaded:
    table: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def constant_defaults(model: type[models.Model], attnames: Sequence[str]) -> dict[str, object]:
    """NOT NULL columns left out of ``attnames`` whose model default is a constant (a record's
    ``version`` starting at 1): column → value, given to the table for the duration of the load."""
    return {
        f.column: f.default
        for f in model._meta.concrete_fields
        if f.attname not in attnames and not f.null and f.has_default() and not callable(f.default)
    }


def columns_of(model: type[models.Model], attnames: Sequence[str]) -> list[str]:
    """The database columns for ``attnames``; every NOT NULL column of the model must be among them
    or have a constant default (Django puts no defaults in the database, so a column left out
    would otherwise fail the load)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    unknown = [name for name in attnames if name not in fields]
    if unknown:
        raise ValueError(f"{model._meta.label} has no columns {unknown}")
    defaulted = constant_defaults(model, attnames)
    missing = [
        name for name, f in fields.items() if name not in attnames and not f.null and f.column not in defaulted
    ]
    if missing:
        raise ValueError(f"{model._meta.label}: NOT NULL columns not written: {missing}")
    return [fields[name].column for name in attnames]


@contextmanager
def database_defaults(cursor, model: type[models.Model], attnames: Sequence[str]):
    """The model's constant defaults of the columns a COPY leaves out, as database defaults while it runs."""
    table = sql.Identifier(model._meta.db_table)
    defaults = constant_defaults(model, attnames)
    for column, value in defaults.items():
        cursor.execute(
            sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}").format(
                table, sql.Identifier(column), sql.Literal(value)
            )
        )
    yield
    for column in defaults:
        cursor.execute(
            sql.SQL("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT").format(table, sql.Identifier(column))
        )


def copy_lines(cursor, model: type[models.Model], attnames: Sequence[str], lines: Iterable[str]) -> Loaded:
    """COPY ``lines`` (tab-separated, in ``attnames`` order, each ending in a newline) into the model's table."""
    table = model._meta.db_table
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns_of(model, attnames)))
    )
    started, count, block = time.perf_counter(), 0, []
    with database_defaults(cursor, model, attnames), cursor.copy(statement) as copy:
        for line in lines:
            block.append(line)
            if len(block) >= BLOCK_ROWS:
                copy.write("".join(block))
                count += len(block)
                block.clear()
        if block:
            copy.write("".join(block))
            count += len(block)
    return Loaded(table, count, time.perf_counter() - started)


@contextmanager
def indexes_set_aside(cursor, table: str):
    """Drop the table's secondary indexes and its foreign-key and unique constraints, and put them
    back (validating every row) when the block ends. The primary key stays."""
    cursor.execute(
        """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype IN ('f', 'u')""",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid
           WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)""",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in constraints:
        cursor.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.Identifier(table), sql.Identifier(name))
        )
    for name, _ in indexes:
        cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    yield
    for _, definition in indexes:
        cursor.execute(sql.SQL(definition))  # as PostgreSQL printed it
    for name, definition in constraints:
        cursor.execute(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                sql.Identifier(table), sql.Identifier(name), sql.SQL(definition)
            )
        )


def next_id(cursor, model: type[models.Model]) -> int:
    cursor.execute(
        sql.SQL("SELECT COALESCE(MAX(id), 0) + 1 FROM {}").format(sql.Identifier(model._meta.db_table))
    )
    return cursor.fetchone()[0]


def reset_sequence(cursor, model: type[models.Model]) -> None:
    """After rows were written with explicit ids, the id sequence continues after the largest."""
    table = model._meta.db_table
    cursor.execute(
        sql.SQL(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {}), 0) + 1, false)"
        ).format(sql.Identifier(table)),
        [f'"{table}"'],
    )


def analyze(cursor, model: type[models.Model]) -> None:
    cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(model._meta.db_table)))
