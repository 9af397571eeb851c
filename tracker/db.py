"""The engine and sessions. SQLite gets WAL, a busy timeout and foreign keys on every connection."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_own_transactions(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when a transaction begins (see _sqlite_begin).
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection) -> None:
    # A unit of work that writes takes the write lock at its start: a deferred transaction that read
    # first and writes later fails at once ("database is locked") when another writer committed in
    # between, whatever the busy timeout; an immediate one waits its turn instead. A unit of work that
    # only reads begins deferred, so readers never queue behind writers or each other (WAL).
    writes = connection.get_execution_options().get("tracker_write", True)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


class _OneCallAtATime:
    """A sqlite3 connection (or cursor) that lets one thread at a time call into it.

    The in-memory database has one connection, shared by the test server's threads and the test
    itself. The sqlite3 module is not safe for two threads running statements on one connection at
    once: it segfaulted the test process (two threads executing and fetching on cursors that share
    the connection's statement cache). Each call here holds the connection's lock for its length, so
    calls from threads interleave but never overlap. Transactions are not serialised: a test may keep
    a session open while the server works, as before.
    """

    def __init__(self, target, lock: threading.RLock):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_lock", lock)

    @property
    def raw(self):
        """The sqlite3 object itself, for the calls that need one (Connection.backup)."""
        return self._target

    def cursor(self, *args, **kwargs):
        with self._lock:
            return _OneCallAtATime(self._target.cursor(*args, **kwargs), self._lock)

    def __getattr__(self, name):
        value = getattr(self._target, name)
        if not callable(value):
            return value

        def locked(*args, **kwargs):
            with self._lock:
                return value(*args, **kwargs)
        return locked

    def __setattr__(self, name, value):
        setattr(self._target, name, value)

    def __iter__(self):
        return iter(self.fetchone, None)


def raw_sqlite(dbapi_connection):
    """The sqlite3.Connection behind a pooled connection, wrapped or not."""
    return getattr(dbapi_connection, "raw", dbapi_connection)


# The in-memory database's units of work, one at a time. Its one connection carries one transaction,
# so a unit that commits or rolls back ends every other thread's too: a preview rolled back while
# another request committed saved part of the preview. File and PostgreSQL engines give each unit its
# own connection and need no lock. (A test's own Session does not take the lock, so it may stay open
# while the server works.)
_UNIT_LOCKS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()


def _one_unit_at_a_time(engine: Engine):
    lock = _UNIT_LOCKS.get(engine)
    return lock if lock is not None else nullcontext()


def _shared_memory_connection() -> _OneCallAtATime:
    return _OneCallAtATime(sqlite3.connect(":memory:", check_same_thread=False), threading.RLock())


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        if url in ("sqlite://", "sqlite:///:memory:"):
            # One shared connection, so a test's server thread sees the same in-memory database.
            engine = create_engine("sqlite://", poolclass=StaticPool, creator=_shared_memory_connection)
            _UNIT_LOCKS[engine] = threading.RLock()
        else:
            path = url.split("///", 1)[1]
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
            event.listen(engine, "connect", _sqlite_own_transactions)
            event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    # A database that stalls must not hold a worker for ever: give up connecting after 5 s, on a
    # statement after 30 s, and on waiting for a pooled connection after 10 s; each is an error the
    # page shows as "temporarily unavailable".
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, pool_timeout=10,
                         connect_args={"connect_timeout": 5, "options": "-c statement_timeout=30000"})


def create_schema(engine: Engine) -> None:
    from tracker import models  # noqa: F401  (registers the tables on SQLModel.metadata)

    SQLModel.metadata.create_all(engine)


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Serialise start-up work (schema, seed) across gunicorn workers booting at once on PostgreSQL.
    SQLite needs none: its writers already queue (BEGIN IMMEDIATE) and there is one machine."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(727274001)"))
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(727274001)"))
            conn.commit()


@contextmanager
def session_scope(engine: Engine, write: bool = True) -> Iterator[Session]:
    """A unit of work: committed if the block succeeds, rolled back whole if it raises. `write=False`
    for one that only reads (on SQLite it then takes no write lock)."""
    with _one_unit_at_a_time(engine), \
            Session(engine.execution_options(tracker_write=write), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session that only reads, outside session_scope (e.g. the sign-in guard's look-ups on every
    request): on SQLite it begins deferred, so it never waits for the write lock. A plain
    Session(engine) would take it (BEGIN IMMEDIATE) and, under load, time out as "database is locked"."""
    with _one_unit_at_a_time(engine), Session(engine.execution_options(tracker_write=False)) as session:
        yield session


def database_ready(engine: Engine) -> bool:
    """Whether the database answers a trivial query now (the readiness check)."""
    try:
        with engine.execution_options(tracker_write=False).connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not ready"; the caller answers 503
        return False
