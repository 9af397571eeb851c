"""The tests' databases on PostgreSQL, when TRACKER_TEST_DATABASE_URL names a server.

Without that variable every database fixture is an in-memory SQLite database (tests/conftest.py).
With it, e.g. `postgresql+psycopg://postgres@127.0.0.1:5432/tracker_test`, the same fixtures give
PostgreSQL databases on that server instead, so the services run on the database production uses:

- The first database of this test process is built by Alembic (`upgrade head`): the empty template.
  Its name starts with the URL's database name and includes the xdist worker's id and the process
  id, so workers, and two people's runs on one server, never share a database.
- A database used as a template (a seeded one, once its fixture has seeded it) is *sealed*: every
  table's rows, and every sequence's position, are copied into a schema of its own
  (`tracker_snapshot`), and a reset script is written that puts them back.
- A copy of a template is a database made once with CREATE DATABASE ... TEMPLATE (about half a
  second) and then reused: each later test that asks for a copy gets one no test holds, reset to
  the template's rows by that script (DELETE and INSERT ... SELECT; tens of milliseconds).

Every database this process made is dropped when it ends.
"""

from __future__ import annotations

import atexit
import os
import threading
import uuid
import weakref

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from tracker.db import make_engine

URL_VARIABLE = "TRACKER_TEST_DATABASE_URL"
TEST_DATABASE_URL = os.environ.get(URL_VARIABLE, "").strip()
SNAPSHOT = "tracker_snapshot"


def on_postgres() -> bool:
    """Whether the database fixtures give PostgreSQL databases in this run."""
    return bool(TEST_DATABASE_URL)


class _Database:
    """One database of this process: a template (sealed, with copies) or a copy of one."""

    def __init__(self, name: str, parent: _Database | None):
        self.name = name
        self.parent = parent
        self.reset_sql: str | None = parent.reset_sql if parent else None
        self.sealed = False
        self.free_copies: list[_Database] = []
        self.in_use = False


class _Server:
    def __init__(self, url: str):
        parsed = make_url(url)
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self.url = parsed
        self.prefix = f"{parsed.database or 'tracker_test'}_{worker}_{os.getpid()}"
        # No statement timeout here: creating or dropping a database on a busy machine may take a while.
        self.admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.made: list[str] = []
        self.by_engine: weakref.WeakKeyDictionary[Engine, _Database] = weakref.WeakKeyDictionary()
        self.empty: _Database | None = None
        self.lock = threading.RLock()
        self._drop_left_behind(parsed.database or "tracker_test")
        atexit.register(self.drop_all)

    def _drop_left_behind(self, base: str) -> None:
        """Drop the databases of earlier runs on this machine that ended without dropping them (killed)."""
        if self.url.host not in (None, "", "localhost", "127.0.0.1", "::1") or not os.path.isdir("/proc"):
            return
        with self.admin.connect() as conn:
            names = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :like"),
                                 {"like": f"{base}\\_%"}).scalars().all()
            for name in names:
                parts = name[len(base) + 1:].split("_")
                if len(parts) == 4 and parts[1].isdigit() and not os.path.exists(f"/proc/{parts[1]}"):
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def url_of(self, database: _Database) -> str:
        return self.url.set(database=database.name).render_as_string(hide_password=False)

    def _new_name(self) -> str:
        return f"{self.prefix}_{len(self.made)}_{uuid.uuid4().hex[:6]}"

    def _terminate(self, conn, name: str) -> None:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})

    def _create(self, template: _Database | None) -> _Database:
        database = _Database(self._new_name(), template)
        with self.admin.connect() as conn:
            if template is None:
                conn.execute(text(f'CREATE DATABASE "{database.name}"'))
            else:
                # A template must have no connections while it is copied.
                for engine, db in list(self.by_engine.items()):
                    if db is template:
                        engine.dispose()
                self._terminate(conn, template.name)
                conn.execute(text(f'CREATE DATABASE "{database.name}" TEMPLATE "{template.name}"'))
            # A test's data need not survive a crash of the server: commits need not wait for the disk.
            conn.execute(text(f'ALTER DATABASE "{database.name}" SET synchronous_commit = off'))
        self.made.append(database.name)
        return database

    def _engine(self, database: _Database) -> Engine:
        engine = make_engine(self.url_of(database))
        self.by_engine[engine] = database
        database.in_use = True
        dispose = engine.dispose

        def dispose_and_release(close: bool = True) -> None:
            dispose(close)
            self._release(database)

        engine.dispose = dispose_and_release
        weakref.finalize(engine, self._release, database)
        return engine

    def _release(self, database: _Database) -> None:
        with self.lock:
            if not database.in_use:
                return
            database.in_use = False
            if not database.sealed and database.parent is not None:
                database.parent.free_copies.append(database)

    def _seal(self, database: _Database) -> None:
        """Snapshot the database's rows and sequences; from now on it is a template."""
        engine = make_engine(self.url_of(database))
        try:
            with engine.begin() as conn:
                tables = conn.execute(text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
                sequences = conn.execute(text(
                    "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")).all()
                conn.execute(text(f"DROP SCHEMA IF EXISTS {SNAPSHOT} CASCADE"))
                conn.execute(text(f"CREATE SCHEMA {SNAPSHOT}"))
                filled = []
                for table in tables:
                    conn.execute(text(f'CREATE TABLE {SNAPSHOT}."{table}" AS TABLE public."{table}"'))
                    if conn.execute(text(f'SELECT EXISTS (SELECT 1 FROM {SNAPSHOT}."{table}")')).scalar():
                        filled.append(table)
        finally:
            engine.dispose()
        statements = []
        # DELETE, children first, not TRUNCATE: on tables this small TRUNCATE (new files for every table)
        # takes most of a second, DELETE a few milliseconds. Rows go back parents first.
        for table in reversed(_parents_first(tables)):
            statements.append(f'DELETE FROM public."{table}"')
        for table in _parents_first(filled):
            statements.append(f'INSERT INTO public."{table}" SELECT * FROM {SNAPSHOT}."{table}"')
        for name, last_value in sequences:
            if last_value is not None:
                statements.append(f"SELECT setval('public.\"{name}\"', {int(last_value)}, true)")
        database.reset_sql = ";\n".join(statements)
        database.sealed = True
        if database.parent is not None and database in database.parent.free_copies:
            database.parent.free_copies.remove(database)

    def _reset(self, database: _Database) -> None:
        with self.admin.connect() as conn:
            self._terminate(conn, database.name)  # a copy's last user may have left a connection behind
        engine = make_engine(self.url_of(database))
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(database.reset_sql)
        finally:
            engine.dispose()

    def empty_engine(self) -> Engine:
        """A database of its own with the schema (Alembic's head) and no rows."""
        with self.lock:
            if self.empty is None:
                from tracker.migrate import upgrade

                empty = self._create(None)
                engine = make_engine(self.url_of(empty))
                try:
                    upgrade(engine)
                finally:
                    engine.dispose()
                self._seal(empty)
                self.empty = empty
            return self.copy(self.empty)

    def copy_engine(self, template_engine: Engine) -> Engine:
        """A database of its own holding what the template engine's database holds now."""
        with self.lock:
            template = self.by_engine.get(template_engine)
            if template is None:
                raise ValueError("copy_engine: the template is not one of the tests' PostgreSQL databases")
            if not template.sealed:
                self._seal(template)
            return self.copy(template)

    def copy(self, template: _Database) -> Engine:
        if template.free_copies:
            database = template.free_copies.pop()
            self._reset(database)
        else:
            database = self._create(template)
        return self._engine(database)

    def drop_all(self) -> None:
        for engine in list(self.by_engine.keys()):
            engine.pool.dispose()
        with self.admin.connect() as conn:
            for name in self.made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.made.clear()
        self.admin.dispose()


def _parents_first(tables: list[str]) -> list[str]:
    """The tables in an order where every table comes after those it refers to."""
    from sqlmodel import SQLModel

    from tracker import models  # noqa: F401  (registers the tables)

    order = [t.name for t in SQLModel.metadata.sorted_tables]
    known = [t for t in order if t in tables]
    return known + sorted(t for t in tables if t not in order)


_server: _Server | None = None


def server() -> _Server:
    global _server
    if _server is None:
        _server = _Server(TEST_DATABASE_URL)
    return _server
