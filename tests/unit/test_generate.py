"""The benchmark data generator: deterministic, and of the shape the benchmark promises."""

from __future__ import annotations

from sqlalchemy import func, select

from benchmarks.generate import generate
from tracker.db import make_engine
from tracker.models import Action, StatusUpdate


def _fingerprint(url: str) -> tuple:
    engine = make_engine(url)
    with engine.connect() as conn:
        rags = conn.execute(select(StatusUpdate.rag, func.count()).group_by(StatusUpdate.rag)
                            .order_by(StatusUpdate.rag)).all()
        statuses = conn.execute(select(Action.status, func.count()).group_by(Action.status)
                                .order_by(Action.status)).all()
    engine.dispose()
    return tuple(rags), tuple(statuses)


def test_county_x10_has_the_promised_shape_and_is_the_same_every_time(tmp_path):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    totals = generate(f"sqlite:///{first}", 10)
    generate(f"sqlite:///{second}", 10)

    assert totals["subgroups"] == 40
    assert totals["actions"] == 4000
    assert 70_000 <= totals["updates"] <= 130_000
    assert totals["indicator values"] == 300 * 60
    assert _fingerprint(f"sqlite:///{first}") == _fingerprint(f"sqlite:///{second}")
    rags, statuses = _fingerprint(f"sqlite:///{first}")
    mix = dict(rags)
    assert mix["green"] > mix["amber"] > mix["red"] > 0  # a realistic mix, with some reds
    assert dict(statuses)["complete"] > 0 and dict(statuses)["cancelled"] > 0
