"""Fixtures shared by every test: a seeded database per test, a pinned "today" and the demo people.

Seeding hashes five passwords with argon2, which is slow on purpose; so each pytest process seeds
once, into an in-memory template database, and every test gets its own copy of it (SQLite's backup
API, a few milliseconds) in a fresh in-memory engine. The copy uses tracker.db.make_engine, so it
is the same one-connection StaticPool engine the app uses, safe to share with a dash_duo server
thread, with foreign keys on.

With TRACKER_TEST_DATABASE_URL set, the same fixtures give PostgreSQL databases instead
(tests/databases.py); every test runs on both.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests import databases
from tracker.config import PROJECT_ROOT
from tracker.db import create_schema, make_engine, raw_sqlite
from tracker.models import Partnership, Person
from tracker.seed import seed_database

SEED_DIR = PROJECT_ROOT / "seeds" / "northamptonshire"
MINI_SEED_DIR = Path(__file__).parent / "fixtures" / "mini"
TODAY = date(2026, 11, 23)
DEMO_PASSWORD = "demo-password-1"
DEMO_EMAILS = {
    "admin": "admin@cdp.example.org",
    "chair": "chair@cdp.example.org",
    "lead": "lead@cdp.example.org",
    "owner": "owner@cdp.example.org",
    "viewer": "viewer@cdp.example.org",
}


def pytest_configure(config):
    # Selenium 4.2 (the newest dash[testing] allows) calls a urllib3 method urllib3 deprecates.
    config.addinivalue_line("filterwarnings", "ignore:HTTPResponse.getheader:DeprecationWarning")


def pytest_collection_modifyitems(items):
    browser_tests = Path(__file__).parent / "browser"
    for item in items:
        if browser_tests in item.path.parents:
            item.add_marker(pytest.mark.browser)


def empty_engine() -> Engine:
    """A fresh in-memory database with the schema and no rows (on PostgreSQL: Alembic's head)."""
    if databases.on_postgres():
        return databases.server().empty_engine()
    engine = make_engine("sqlite://")
    create_schema(engine)
    return engine


def seeded_engine(seed_dir: Path) -> Engine:
    engine = empty_engine()
    seed_database(engine, seed_dir)
    return engine


def copy_engine(template: Engine) -> Engine:
    """A new in-memory engine holding a copy of everything in `template` (on PostgreSQL: a database
    of its own, reset to the template's rows)."""
    if databases.on_postgres():
        return databases.server().copy_engine(template)
    engine = make_engine("sqlite://")
    with template.connect() as source, engine.connect() as target:
        raw_sqlite(source.connection.dbapi_connection).backup(raw_sqlite(target.connection.dbapi_connection))
    return engine


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return SEED_DIR


@pytest.fixture(scope="session")
def _template_engine(seed_dir: Path) -> Iterator[Engine]:
    engine = seeded_engine(seed_dir)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _mini_template_engine() -> Iterator[Engine]:
    engine = seeded_engine(MINI_SEED_DIR)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(_template_engine: Engine) -> Iterator[Engine]:
    """This test's own in-memory database, seeded with the Northamptonshire partnership."""
    engine = copy_engine(_template_engine)
    yield engine
    engine.dispose()


@pytest.fixture
def mini_engine(_mini_template_engine: Engine) -> Iterator[Engine]:
    """This test's own in-memory database, seeded with the tiny partnership in tests/fixtures/mini/."""
    engine = copy_engine(_mini_template_engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def mini_session(mini_engine: Engine) -> Iterator[Session]:
    with Session(mini_engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def partnership(session: Session) -> Partnership:
    return session.exec(select(Partnership).order_by(Partnership.id)).first()


def person_by_email(session: Session, email: str) -> Person:
    person = session.exec(select(Person).where(Person.email == email)).first()
    assert person is not None, f"the seed has no person {email}"
    return person


@pytest.fixture
def admin(session: Session) -> Person:
    return person_by_email(session, DEMO_EMAILS["admin"])


@pytest.fixture
def chair(session: Session) -> Person:
    return person_by_email(session, DEMO_EMAILS["chair"])


@pytest.fixture
def lead(session: Session) -> Person:
    return person_by_email(session, DEMO_EMAILS["lead"])


@pytest.fixture
def owner(session: Session) -> Person:
    return person_by_email(session, DEMO_EMAILS["owner"])


@pytest.fixture
def viewer(session: Session) -> Person:
    return person_by_email(session, DEMO_EMAILS["viewer"])
