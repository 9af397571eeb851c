"""Fixtures of the crafted-request tests: the app on a seeded database whose demo accounts (and the
lead of a second subgroup) sign in quickly, so a test can post what a browser would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from tests.conftest import DEMO_EMAILS, TODAY, copy_engine
from tests.crafted import OTHER_LEAD, give_password


@pytest.fixture(scope="session")
def _crafted_template(_template_engine: Engine) -> Iterator[Engine]:
    engine = copy_engine(_template_engine)
    give_password(engine, *DEMO_EMAILS.values(), OTHER_LEAD)
    yield engine
    engine.dispose()


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
