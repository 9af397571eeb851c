"""Backup and restore: the whole database in one portable file, from and to SQLite or PostgreSQL.

The file is gzip-compressed JSON lines: a header (format, schema revision, the tables and their
columns), then one line per row, `{"t": table, "r": [values in column order]}`, tables in foreign-key
order. Dates and timestamps are ISO 8601 (timestamps in UTC). Restore loads it into an empty
database: one never migrated is first built at the backup's revision; after loading, the schema is
upgraded to this version's head. The whole restore is one transaction: all rows or none.
"""

from __future__ import annotations

import base64
import gzip
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from tracker.migrate import current as current_revision
from tracker.migrate import upgrade as migrate

FORMAT = "cdp-tracker-backup"
VERSION = 1
BATCH = 1000


class BackupError(Exception):
    """A backup or restore that cannot go ahead: the message says why and what to do."""


def _tables():
    import tracker.models  # noqa: F401  (registers every table)

    return list(SQLModel.metadata.sorted_tables)


def _encode(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _decoder(column):
    kind_of = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
    try:
        kind = kind_of.python_type
    except NotImplementedError:
        return lambda v: v
    if kind is datetime:
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if kind is date:
        return lambda v: None if v is None else date.fromisoformat(v)
    if kind is Decimal:
        return lambda v: None if v is None else Decimal(v)
    if kind is bytes:
        return lambda v: None if v is None else base64.b64decode(v)
    return lambda v: v


def backup(engine: Engine, file: str | Path) -> str:
    """Write every row of every table to `file`; returns a summary line."""
    revision = current_revision(engine)
    if revision is None:
        raise BackupError("This database has never been migrated: run `python -m tracker.cli init` first.")
    tables = _tables()
    counts = {}
    with engine.connect() as conn, gzip.open(file, "wt", encoding="utf-8") as out:
        header = {"format": FORMAT, "version": VERSION, "revision": revision,
                  "tables": {t.name: [c.name for c in t.columns] for t in tables}}
        out.write(json.dumps(header) + "\n")
        for table in tables:
            order = list(table.primary_key.columns) or list(table.columns)
            result = conn.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
            counts[table.name] = 0
            for row in result:
                out.write(json.dumps({"t": table.name, "r": [_encode(v) for v in row]}) + "\n")
                counts[table.name] += 1
        conn.rollback()
    total = sum(counts.values())
    return f"Backed up {total} rows from {len(tables)} tables (schema {revision}) to {file}."


def _read_header(file: str | Path) -> dict:
    try:
        with gzip.open(file, "rt", encoding="utf-8") as handle:
            header = json.loads(handle.readline())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{file} is not a tracker backup ({exc}).") from None
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise BackupError(f"{file} is not a tracker backup of format {FORMAT} version {VERSION}.")
    return header


def _reset_sequences(conn: Connection, tables) -> None:
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) == 1 and keys[0].autoincrement in (True, "auto") and keys[0].type.python_type is int:
            name = keys[0].name
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{name}'), "
                f"COALESCE((SELECT MAX(\"{name}\") FROM \"{table.name}\"), 0) + 1, false)"))


def restore(engine: Engine, file: str | Path) -> str:
    """Load `file` into this empty database (all rows or none); returns a summary line."""
    header = _read_header(file)
    revision = header["revision"]
    current = current_revision(engine)
    if current is None:
        migrate(engine, revision)
    elif current != revision:
        raise BackupError(f"The backup is of schema {revision} and this database is at {current}: restore "
                          "into an empty database (it is built at the backup's revision, then upgraded).")
    tables = {t.name: t for t in _tables()}
    unknown = set(header["tables"]) - set(tables)
    if unknown:
        raise BackupError(f"The backup has tables this version does not know: {', '.join(sorted(unknown))}.")
    counts = dict.fromkeys(header["tables"], 0)
    with engine.execution_options(tracker_write=True).begin() as conn:  # SQLite: BEGIN IMMEDIATE
        for name, table in tables.items():
            if name in header["tables"] and conn.execute(select(func.count()).select_from(table)).scalar():
                raise BackupError(f"The database is not empty (table {name} has rows): restore into an empty one.")
        decoders = {name: [(c, _decoder(tables[name].c[c])) for c in columns]
                    for name, columns in header["tables"].items()}
        pending: dict[str, list[dict]] = {}

        def flush(name: str) -> None:
            if pending.get(name):
                conn.execute(insert(tables[name]), pending[name])
                pending[name] = []

        previous = None
        with gzip.open(file, "rt", encoding="utf-8") as handle:
            handle.readline()
            for line in handle:
                item = json.loads(line)
                name = item["t"]
                if name != previous and previous is not None:
                    flush(previous)  # tables come in foreign-key order: finish one before the next
                previous = name
                pending.setdefault(name, []).append(
                    {column: decode(value) for (column, decode), value in zip(decoders[name], item["r"], strict=True)})
                counts[name] += 1
                if len(pending[name]) >= BATCH:
                    flush(name)
        if previous is not None:
            flush(previous)
        _reset_sequences(conn, tables.values())
    upgraded = migrate(engine)
    total = sum(counts.values())
    return (f"Restored {total} rows into {len(counts)} tables from {file} (schema {revision}"
            + (f", upgraded to {upgraded})." if upgraded != revision else ")."))
