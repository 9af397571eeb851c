"""SQLite under load: what every request reads (the sign-in guard's look-ups, the readiness check) never
waits for the write lock. Before, they began BEGIN IMMEDIATE and, while a writer held the lock longer
than the busy timeout, answered 503 "database is locked" to a page that only reads."""

from __future__ import annotations

import time

from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, SEED_DIR
from tracker import migrate
from tracker.db import database_ready, make_engine, session_scope
from tracker.models import Person, StatusUpdate
from tracker.seed import seed_database
from tracker.services import auth


def test_the_sign_in_guard_and_readiness_answer_while_a_writer_holds_the_lock(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    migrate.upgrade(engine)
    seed_database(engine, SEED_DIR)
    with Session(engine) as s:
        lead = s.exec(select(Person).where(Person.email == DEMO_EMAILS["lead"])).one()
    with session_scope(engine) as writer:  # BEGIN IMMEDIATE: holds the write lock until the block ends
        writer.exec(select(StatusUpdate.id)).first()
        began = time.monotonic()
        assert auth.session_person(engine, lead.id, lead.session_epoch or 0).id == lead.id
        assert auth.locked_minutes(engine, DEMO_EMAILS["lead"]) == 0
        assert database_ready(engine) is True
        waited = time.monotonic() - began
    assert waited < 3, f"the reads waited {waited:.1f} s for the writer (busy timeout 10 s)"
    engine.dispose()
