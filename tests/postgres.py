"""A PostgreSQL database of a test's own, on the server at TRACKER_TEST_POSTGRES_URL.

Without a server the test skips on a developer's machine but fails in CI, which always has one.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text

from tracker.db import make_engine

PG_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def create_database() -> tuple[str, callable]:
    """Create an empty database; return its URL and a function that drops it."""
    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    name = f"tracker_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {PG_URL} is required in CI: {exc}")
        pytest.skip(f"no PostgreSQL at {PG_URL}: {exc}")

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return PG_URL.rsplit("/", 1)[0] + f"/{name}", drop


def postgres_engine():
    url, drop = create_database()
    engine = make_engine(url)
    return engine, lambda: (engine.dispose(), drop())
