"""An indicator's latest value is found with one step down ix_indicatorvalue_latest, not by sorting
all of the indicator's values: the indicators page, the golden thread and the board report ask it of
every indicator (a county x10 has 300 with 60 values each). Each database's own query plan is read."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from benchmarks.view_sql import statements_of
from tests.conftest import SEED_DIR
from tracker import migrate
from tracker.db import make_engine
from tracker.models import Partnership
from tracker.seed import seed_database
from tracker.services.indicators import views


def _look_ups(engine) -> list[tuple[str, object]]:
    """The statements indicator_statuses sends that look up a latest value."""
    with Session(engine) as session:
        partnership_id = session.exec(select(Partnership.id)).first()
        found = []
        statements = statements_of(engine, lambda: found.extend(views.indicator_statuses(session, partnership_id)))
    assert found
    looked_up = [(sql, params) for sql, params in statements if "ORDER BY indicatorvalue.period_end DESC" in sql]
    assert looked_up, statements
    return looked_up


def test_on_sqlite_the_look_up_uses_its_index_and_sorts_nothing(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    migrate.upgrade(engine)
    seed_database(engine, SEED_DIR)
    with engine.connect() as conn:
        for sql, params in _look_ups(engine):
            plan = " | ".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
            assert "ix_indicatorvalue_latest" in plan, plan
            assert "TEMP B-TREE" not in plan, plan  # no sort of the indicator's values
    engine.dispose()


@pytest.mark.postgres
def test_on_postgresql_the_index_gives_the_order_without_a_sort():
    from tests.postgres import postgres_engine  # skips (outside CI) when no server answers

    engine, drop = postgres_engine()
    try:
        migrate.upgrade(engine)
        seed_database(engine, SEED_DIR)
        with engine.connect() as conn:
            # The seed's few values fit in a page, where reading the table whole is cheapest; told not
            # to, the planner shows whether the index can give the order the look-up asks for.
            conn.execute(text("SET enable_seqscan = off"))
            for sql, params in _look_ups(engine):
                plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql, params))
                assert "ix_indicatorvalue_latest" in plan, plan
                assert "Sort" not in plan, plan
    finally:
        drop()
