"""Fixtures of the unit tests: `s`, the tiny partnership's session; `db_session` and `world`, an empty
database and the factories' small plan in it; and for the crafted-request tests,
the app on a seeded database whose demo accounts (and the lead of a second subgroup) sign in quickly,
so a test can post what a browser would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.conftest import DEMO_EMAILS, SEED_DIR, TODAY, copy_engine, seeded_engine
from tests.crafted import OTHER_LEAD, give_password
from tests.factories import build_world
from tracker.db import create_schema, make_engine


@pytest.fixture(scope="session")
def _crafted_template(_template_engine: Engine) -> Iterator[Engine]:
    engine = copy_engine(_template_engine)
    give_password(engine, *DEMO_EMAILS.values(), OTHER_LEAD)
    yield engine
    engine.dispose()


@pytest.fixture
def s(mini_session: Session) -> Session:
    """The tiny partnership of tests/fixtures/mini/, under the short name its service tests use."""
    return mini_session


@pytest.fixture
def db_session() -> Iterator[Session]:
    """An empty database of its own (in memory), for a test that builds what it needs."""
    engine = make_engine("sqlite://")
    create_schema(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def world(db_session: Session):
    """The small plan of tests/factories.py (two subgroups, their people and actions), in db_session."""
    world = build_world(db_session)
    db_session.commit()
    return world


@pytest.fixture
def db(_crafted_template: Engine) -> Iterator[Engine]:
    """This test's own copy of the database the crafted requests are posted against."""
    engine = copy_engine(_crafted_template)
    yield engine
    engine.dispose()


@pytest.fixture
def app(db: Engine):
    from tracker.config import Settings
    from tracker.web.app import create_app

    return create_app(Settings(database_url="sqlite://", seed_on_start=False, secret_key="test"),
                      engine=db, today=TODAY)


@pytest.fixture(scope="session")
def _two_partnerships() -> Iterator[Engine]:
    """Northamptonshire and Lancashire side by side, with accounts on both sides that sign in quickly."""
    from tracker.config import PROJECT_ROOT
    from tracker.seed import seed_database

    engine = seeded_engine(SEED_DIR)
    seed_database(engine, PROJECT_ROOT / "seeds" / "lancashire", demo_accounts=False)
    give_password(engine, "admin@lancashire.example.org", "chair@lancashire.example.org",
                  "owner@lancashire.example.org", "admin@cdp.example.org")
    yield engine
    engine.dispose()


@pytest.fixture
def both(_two_partnerships: Engine):
    """This test's own copy of the two partnerships, and the app on it: (engine, app)."""
    from tracker.config import Settings
    from tracker.web.app import create_app

    engine = copy_engine(_two_partnerships)
    yield engine, create_app(Settings(database_url="sqlite://", seed_on_start=False, secret_key="test"),
                             engine=engine, today=TODAY)
    engine.dispose()
