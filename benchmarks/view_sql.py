"""The SQL a view needs: the SELECT statements one load of it sends to the database, captured with their
parameters and replayed on a connection of their own, every row fetched. Replayed, they cost what the
database and its driver cost, without the ORM, the page building or Dash: the floor the issue's
"≤ 3× the SQL it needs" compares a view's time against."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.engine import Engine

Statement = tuple[str, object]  # the SQL text and its parameters, as the driver was given them


def statements_of(engine: Engine, run: Callable[[], object]) -> list[Statement]:
    """The SELECT statements, with their parameters, that `run()` sends through the engine."""
    seen: list[Statement] = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    return seen


def replayed_ms(engine: Engine, statements: list[Statement], runs: int = 5) -> float:
    """The best time (ms) over `runs` of sending the statements one after another, fetching every row."""
    best = float("inf")
    with engine.connect() as conn:
        for _ in range(max(runs, 1)):
            began = time.perf_counter()
            for statement, parameters in statements:
                conn.exec_driver_sql(statement, parameters).fetchall()
            best = min(best, (time.perf_counter() - began) * 1000)
    return best
