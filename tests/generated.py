"""A plan grown on top of the seed by benchmarks/generate.py, at a size the test chooses: the shape of a
county x10 (subgroups per theme, actions per subgroup, months of updates, indicators, maturity rounds),
made small enough for a test."""

from __future__ import annotations

import random

from sqlmodel import Session, select

from benchmarks import generate
from tracker.models import Partnership


def grow_plan(session: Session, monkeypatch, *, subgroups_per_theme: int, actions_per_subgroup: int,
              indicators: int = 1, months: int = 1, rounds: int = 0, seed: int = 3, tag: str = "t",
              partnership_id: int | None = None) -> int:
    """Grow the (first) partnership's plan and commit; returns its id. The same seed grows the same plan."""
    for name, value in {"SUBGROUPS_PER_THEME": subgroups_per_theme, "ACTIONS_PER_SUBGROUP": actions_per_subgroup,
                        "INDICATORS": indicators, "MONTHS": months, "ROUNDS": rounds}.items():
        monkeypatch.setattr(generate, name, value)
    pid = partnership_id or session.exec(select(Partnership.id).order_by(Partnership.id)).first()
    generate.grow(session, pid, random.Random(seed), tag=tag)
    session.commit()
    return pid
