"""Benchmark: how the chair's views and the update path scale with the size of the plan.

Builds plans of growing size in temporary SQLite files (WAL), then times, in one run:
  - plan.overview (the query behind the overview, theme and exception views);
  - the overview page's render, through the Flask app (sign-in included once);
  - recording one status update (validation, permission, audit, commit).
Prints the median of several repeats and the ratio against the smallest plan, so a shared, noisy
machine still shows whether a view grows linearly with the plan (ratio ~ size ratio) or worse.

    python benchmarks/bench.py            # sizes 100, 1000, 4000 actions
    python benchmarks/bench.py 200 2000   # chosen sizes
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.factories import build_world  # noqa: E402
from tracker.db import create_schema, make_engine, session_scope  # noqa: E402
from tracker.models import Action, Person, StatusUpdate, Subgroup  # noqa: E402
from tracker.services import actions, plan  # noqa: E402

TODAY = date(2026, 11, 23)
UPDATES_PER_ACTION = 8
REPEATS = 5


def build(path: Path, size: int):
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    rng = random.Random(size)
    with session_scope(engine) as session:
        world = build_world(session)
        groups = [world.subgroup_a.id, world.subgroup_b.id]
        for n in range(8):
            sub = Subgroup(partnership_id=world.partnership_id, code=f"G{chr(65 + n)}", name=f"Group {n}")
            session.add(sub)
            session.flush()
            groups.append(sub.id)
        for i in range(size):
            start = date(2025, 1, 1) + timedelta(days=rng.randrange(300))
            action = Action(partnership_id=world.partnership_id, subgroup_id=groups[i % len(groups)],
                            objective_id=world.objective.id, ref=f"B-{i:05d}", title=f"Benchmark action {i}",
                            owner_id=world.owner.id, start_date=start,
                            due_date=start + timedelta(days=rng.randrange(200, 900)), status="in_progress")
            session.add(action)
            session.flush()
            for u in range(UPDATES_PER_ACTION):
                rag = rng.choice(["green", "green", "amber", "red"])
                session.add(StatusUpdate(action_id=action.id, update_date=start + timedelta(days=45 * u),
                                         rag=rag, progress=min(100, 10 * u), narrative="x", author_id=world.owner.id))
    return engine, world


def median_seconds(fn) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(size: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        engine, world = build(Path(tmp) / "bench.db", size)

        def overview():
            with Session(engine) as session:
                plan.overview(session, world.partnership_id, TODAY)

        def page():
            from tracker.web.pages import overview as page_module

            with app.server.test_request_context("/"), Session(engine) as session:
                page_module.render(session, world.partnership_id, plan.PlanFilter())

        def update():
            with session_scope(engine) as session:
                lead = session.get(Person, world.lead.id)
                actions.record_status_update(session, lead, world.action.id,
                                             {"update_date": TODAY, "rag": "green", "progress": 50}, TODAY)

        from tracker.config import Settings
        from tracker.web.app import create_app

        app = create_app(Settings(database_url="sqlite://", seed_on_start=False, secret_key="bench"),
                         engine=engine, today=TODAY)
        result = {"overview query": median_seconds(overview), "overview render": median_seconds(page),
                  "record update": median_seconds(update)}
        engine.dispose()
        return result


def main(sizes: list[int]) -> None:
    print(f"{UPDATES_PER_ACTION} updates per action; median of {REPEATS} runs; ratio = time / time at {sizes[0]}")
    rows = {size: measure(size) for size in sizes}
    base = rows[sizes[0]]
    print(f"{'actions':>8} {'measure':<16} {'ms':>9} {'ratio':>7}")
    for size, figures in rows.items():
        for name, seconds in figures.items():
            print(f"{size:>8} {name:<16} {seconds * 1000:>9.1f} {seconds / base[name]:>7.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 4000])
