"""Migrations: bring any database to the current schema with Alembic, once, before the app starts.

- `upgrade(engine)`: an empty database gets every migration; a database made by an older version of
  the tracker with `create_all` (tables but no alembic_version) is stamped at the baseline first, then
  upgraded; a migrated one gets the migrations it lacks.
- `pending_changes(engine)`: what differs between the models and the migrated database (empty when
  they agree); a test keeps it empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001_baseline"


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(config()).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A connection to migrate on. On SQLite, foreign keys are off meanwhile: a migration that rebuilds
    a table (SQLite's way to change one) would otherwise cascade-delete the rows that point at it."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # outside any transaction
        try:
            with conn.begin():
                yield conn
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Migrate to `revision`; returns the revision the database is at afterwards."""
    with _migrating(engine) as conn:
        tables = set(inspect(conn).get_table_names())
        if tables and "alembic_version" not in tables:
            # Made by create_all before migrations existed: its tables are the baseline's.
            command.stamp(config(conn), BASELINE)
        command.upgrade(config(conn), revision)
    return current(engine)


def downgrade(engine: Engine, revision: str) -> str:
    with _migrating(engine) as conn:
        command.downgrade(config(conn), revision)
    return current(engine)


def pending_changes(engine: Engine) -> list:
    import tracker.models  # noqa: F401

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "render_as_batch": conn.dialect.name == "sqlite"})
        return compare_metadata(context, SQLModel.metadata)
