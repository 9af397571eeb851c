"""The benchmark's "SQL the view needs": every SELECT a read sends is captured and replays to the same rows."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session, select

from benchmarks.view_sql import replayed_ms, statements_of
from tests.conftest import TODAY
from tracker.models import Partnership
from tracker.services import plan


def test_the_sql_of_a_read_is_captured_whole_and_replays_to_the_same_rows(db):
    with Session(db) as session:
        pid = session.exec(select(Partnership.id).order_by(Partnership.id)).first()
        rows: list = []
        statements = statements_of(db, lambda: rows.extend(plan.plan_rows(session, pid, TODAY)))

    assert rows and statements
    assert all(s.lstrip().upper().startswith(("SELECT", "WITH")) for s, _ in statements)
    with db.connect() as conn:  # the statement that lists the actions gives them all when replayed
        assert max(len(conn.exec_driver_sql(s, p).fetchall()) for s, p in statements) >= len(rows)
    assert replayed_ms(db, statements, runs=2) > 0


def test_writes_are_not_counted_as_a_views_sql(db):
    def write():
        with db.begin() as conn:
            conn.execute(text("UPDATE partnership SET name = name WHERE id = -1"))

    assert statements_of(db, write) == []
