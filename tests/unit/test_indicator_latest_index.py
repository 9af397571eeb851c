"""An indicator's latest value is found with one step down ix_indicatorvalue_latest, not by sorting
all of the indicator's values: the indicators page, the golden thread and the board report ask it of
every indicator (a county x10 has 300 with 60 values each). The query plan is read on the run's own
database: SQLite in the plain run, PostgreSQL in the PostgreSQL run (TRACKER_TEST_DATABASE_URL)."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import select

from benchmarks.view_sql import statements_of
from tracker.models import Partnership
from tracker.services.indicators import views


def test_the_latest_value_look_up_uses_its_index_and_sorts_nothing(engine, session):
    partnership_id = session.exec(select(Partnership.id)).first()
    found = []
    statements = statements_of(engine, lambda: found.extend(views.indicator_statuses(session, partnership_id)))
    assert found
    looked_up = [(sql, params) for sql, params in statements if "ORDER BY indicatorvalue.period_end DESC" in sql]
    assert looked_up, statements
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if not sqlite:
            # The seed's few values fit in a page, where reading the table whole is cheapest; told not
            # to, the planner shows whether the index can give the order the look-up asks for.
            conn.execute(text("SET enable_seqscan = off"))
        for sql, params in looked_up:
            if sqlite:
                plan = " | ".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
                assert "ix_indicatorvalue_latest" in plan, plan
                assert "TEMP B-TREE" not in plan, plan  # no sort of the indicator's values
            else:
                plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql, params))
                assert "ix_indicatorvalue_latest" in plan, plan
                assert "Sort" not in plan, plan
