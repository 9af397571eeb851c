"""Make a large, realistic database for benchmarks and load tests: "county x10" or "region x100".

    python benchmarks/generate.py --scale 10  --out instance/bench-x10.db
    python benchmarks/generate.py --scale 100 --out instance/bench-x100.db
    python benchmarks/generate.py --scale 10  --url postgresql://postgres@127.0.0.1:5432/bench

It starts from the Northamptonshire seed (so the demo accounts can sign in) and adds, per county x10:
40 subgroups (10 per theme), about 4,000 actions, quarterly-to-monthly updates over three years
(about 100,000) with a realistic RAG mix, some deterioration and slipped due dates, 300 indicators
with 60 monthly values each, and 400 maturity rounds with four raters each.
Scale 100 is ten partnerships of x10: the seeded one and nine more with the same themes, outcomes,
objectives, RAG scale and maturity framework, each with its own people. The same scale gives the same
data every time (a fixed random seed), so figures can be compared between runs and machines.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.db import create_schema, make_engine  # noqa: E402
from tracker.models import (  # noqa: E402
    Action,
    Indicator,
    IndicatorValue,
    MaturityAssessment,
    MaturityDescriptor,
    MaturityDimension,
    MaturityFramework,
    MaturityLevel,
    MaturityRater,
    MaturityRating,
    MaturityScore,
    Objective,
    ObjectiveOutcome,
    Outcome,
    Partnership,
    Person,
    RagLevel,
    StatusUpdate,
    Subgroup,
    SubgroupMember,
    SubgroupTheme,
    Theme,
)
from tracker.seed import seed_database  # noqa: E402

SEED_DIR = Path(__file__).resolve().parent.parent / "seeds" / "northamptonshire"
TODAY = date(2026, 11, 23)
SUBGROUPS_PER_THEME = 10
ACTIONS_PER_SUBGROUP = 100
INDICATORS = 300
MONTHS = 60
ROUNDS = 400
RATERS_PER_ROUND = 4
# The RAG of a new action's first update, and how a later update moves from the one before.
FIRST_RAG = [("green", 55), ("amber", 30), ("red", 5), ("grey", 10)]
MOVES = {
    "grey": [("grey", 40), ("green", 45), ("amber", 15)],
    "green": [("green", 80), ("amber", 15), ("red", 2), ("blue", 3)],
    "amber": [("green", 30), ("amber", 55), ("red", 12), ("blue", 3)],
    "red": [("amber", 35), ("red", 62), ("green", 3)],
}


def pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def bulk(session: Session, model, rows: list[dict]) -> None:
    """Insert many rows in one statement per chunk (the ORM would take minutes at x100)."""
    for start in range(0, len(rows), 5000):
        session.execute(insert(model), rows[start:start + 5000])


def ids(session: Session, column, *where) -> list[int]:
    return list(session.execute(select(column).where(*where).order_by(column)).scalars())


def clone_skeleton(session: Session, source_id: int, n: int) -> int:
    """A new partnership with the source's RAG scale, themes, outcomes, objectives and framework."""
    src = session.get(Partnership, source_id)
    new = Partnership(slug=f"county-{n:02d}", name=f"County {n:02d} Combating Drugs Partnership",
                      area=f"County {n:02d} (generated)", rag_scale=src.rag_scale,
                      stale_after_days=src.stale_after_days, strategy_start=src.strategy_start,
                      strategy_end=src.strategy_end, notes="Generated for benchmarks.")
    session.add(new)
    session.flush()
    pid = new.id

    def copy(model, rows, **overrides):
        mapping = {}
        for row in rows:
            data = row.model_dump(exclude={"id"})
            data.update({k: (v(row) if callable(v) else v) for k, v in overrides.items()})
            clone = model(**data)
            session.add(clone)
            session.flush()
            mapping[row.id] = clone.id
        return mapping

    def of(model):
        return session.execute(select(model).where(model.partnership_id == source_id)).scalars().all()

    copy(RagLevel, of(RagLevel), partnership_id=pid)
    themes = copy(Theme, of(Theme), partnership_id=pid)
    outcomes = copy(Outcome, of(Outcome), partnership_id=pid)
    objectives = copy(Objective, of(Objective), partnership_id=pid, theme_id=lambda r: themes[r.theme_id])
    for link in session.execute(select(ObjectiveOutcome).where(
            ObjectiveOutcome.objective_id.in_(list(objectives)))).scalars().all():
        session.add(ObjectiveOutcome(objective_id=objectives[link.objective_id],
                                     outcome_id=outcomes[link.outcome_id]))
    frameworks = copy(MaturityFramework, of(MaturityFramework), partnership_id=pid)
    for old_fw, new_fw in frameworks.items():
        for level in session.execute(select(MaturityLevel).where(MaturityLevel.framework_id == old_fw)).scalars().all():
            session.add(MaturityLevel(framework_id=new_fw, level=level.level, name=level.name))
        dims = session.execute(select(MaturityDimension).where(MaturityDimension.framework_id == old_fw)).scalars().all()
        dim_map = copy(MaturityDimension, dims, framework_id=new_fw)
        for old_dim, new_dim in dim_map.items():
            for d in session.execute(select(MaturityDescriptor).where(
                    MaturityDescriptor.dimension_id == old_dim)).scalars().all():
                session.add(MaturityDescriptor(dimension_id=new_dim, level=d.level, text=d.text))
    session.flush()
    return pid


def grow(session: Session, pid: int, rng: random.Random, tag: str) -> dict[str, int]:
    """Add a county x10's subgroups, people, actions, updates, indicators and maturity rounds."""
    theme_ids = ids(session, Theme.id, Theme.partnership_id == pid)
    objectives = session.execute(select(Objective.id, Objective.theme_id).where(
        Objective.partnership_id == pid)).all()
    outcome_ids = ids(session, Outcome.id, Outcome.partnership_id == pid)
    people = [{"partnership_id": pid, "name": f"Person {tag}-{i:03d}", "email": f"p{i:03d}.{tag}@bench.example.org",
               "organisation": rng.choice(["Council", "Police", "NHS", "Provider", "Probation"]),
               "role": "member", "is_active": True} for i in range(200)]
    bulk(session, Person, people)
    person_ids = ids(session, Person.id, Person.partnership_id == pid, Person.email.like(f"%.{tag}@bench.example.org"))

    subgroup_rows = []
    for t_index, _theme_id in enumerate(theme_ids):
        for s in range(SUBGROUPS_PER_THEME):
            code = f"X{t_index + 1}{s:02d}"
            subgroup_rows.append({"partnership_id": pid, "code": code, "name": f"Generated subgroup {code}",
                                  "description": "", "status": "active", "version": 1,
                                  "lead_id": rng.choice(person_ids)})
    bulk(session, Subgroup, subgroup_rows)
    subgroups = session.execute(select(Subgroup.id, Subgroup.code, Subgroup.lead_id).where(
        Subgroup.partnership_id == pid, Subgroup.code.like("X%"))).all()
    bulk(session, SubgroupTheme, [{"subgroup_id": sid, "theme_id": theme_ids[int(code[1]) - 1]}
                                  for sid, code, _ in subgroups])
    members = []
    for sid, _code, lead in subgroups:
        chosen = set(rng.sample(person_ids, 8)) - {lead}
        members.append({"subgroup_id": sid, "person_id": lead, "role": "lead"})
        members += [{"subgroup_id": sid, "person_id": p, "role": "member"} for p in chosen]
    bulk(session, SubgroupMember, members)

    action_rows = []
    for sid, code, _lead in subgroups:
        theme_id = theme_ids[int(code[1]) - 1]
        theme_objectives = [o for o, t in objectives if t == theme_id] or [None]
        for a in range(ACTIONS_PER_SUBGROUP):
            start = date(2023, 4, 1) + timedelta(days=rng.randrange(0, 700))
            due = start + timedelta(days=rng.randrange(120, 1100))
            action_rows.append({
                "partnership_id": pid, "subgroup_id": sid, "objective_id": rng.choice(theme_objectives),
                "ref": f"{code}-{a:03d}", "title": f"Generated action {code}-{a:03d}: improve pathway {a % 17}",
                "description": "Generated for benchmarks.", "owner_id": rng.choice(person_ids),
                "lead_organisation": "", "start_date": start, "due_date": due, "status": "in_progress",
                "source": "generated", "illustrative": True, "version": 1})
    bulk(session, Action, action_rows)
    actions = session.execute(select(Action.id, Action.start_date, Action.owner_id).where(
        Action.partnership_id == pid, Action.source == "generated")).all()

    updates, finished, cancelled = [], [], []
    for action_id, start, owner in actions:
        day, rag, progress = start + timedelta(days=rng.randrange(10, 40)), pick(rng, FIRST_RAG), 0
        while day <= TODAY:
            progress = 100 if rag == "blue" else min(95, progress + rng.randrange(0, 12))
            if rag == "grey":
                progress = 0
            updates.append({"action_id": action_id, "update_date": day, "rag": rag, "progress": progress,
                            "narrative": "" if rag in ("green", "grey", "blue") else "Slipping: partner capacity.",
                            "next_steps": "Report to the subgroup.", "blockers": "", "author_id": owner,
                            "illustrative": True})
            if rag == "blue":
                finished.append(action_id)
                break
            day += timedelta(days=rng.choice([14, 30, 30, 45]))
            rag = pick(rng, MOVES[rag])
        else:
            if rng.random() < 0.02:
                cancelled.append(action_id)
    bulk(session, StatusUpdate, updates)
    for chunk_ids, status in ((finished, "complete"), (cancelled, "cancelled")):
        for start in range(0, len(chunk_ids), 900):
            session.execute(Action.__table__.update().where(Action.id.in_(chunk_ids[start:start + 900]))
                            .values(status=status))

    indicator_rows = [{"partnership_id": pid, "code": f"GEN-{tag}-{i:03d}", "name": f"Generated measure {i}",
                       "outcome_id": rng.choice(outcome_ids), "objective_id": rng.choice(objectives)[0],
                       "is_national": i < 10, "unit": rng.choice(["people", "%", "per 100,000"]),
                       "direction": rng.choice(["higher", "lower"]), "source": rng.choice(["NDTMS", "ONS", "Police"]),
                       "baseline_value": 100.0, "baseline_period": "2021/22", "target_value": 120.0,
                       "target_date": date(2027, 3, 31), "notes": "", "illustrative": True}
                      for i in range(INDICATORS)]
    bulk(session, Indicator, indicator_rows)
    indicator_ids = ids(session, Indicator.id, Indicator.partnership_id == pid, Indicator.code.like(f"GEN-{tag}-%"))
    values = []
    for ind in indicator_ids:
        level = 100.0
        for m in range(MONTHS):
            year, month = divmod(2021 * 12 + 11 + m, 12)  # Dec 2021 onwards
            month += 1
            end = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))
            level += rng.uniform(-3, 4)
            values.append({"indicator_id": ind, "period": f"{year}-{month:02d}", "period_end": end,
                           "value": round(level, 1), "note": "", "illustrative": True})
    bulk(session, IndicatorValue, values)

    framework = session.execute(select(MaturityFramework).where(
        MaturityFramework.partnership_id == pid, MaturityFramework.is_current)).scalars().first()
    dimension_ids = ids(session, MaturityDimension.id, MaturityDimension.framework_id == framework.id)
    rounds = 0
    for r in range(ROUNDS):
        sid, _code, lead = subgroups[r % len(subgroups)]
        opened = date(2024, 4, 1) + timedelta(days=91 * (r // len(subgroups)) + rng.randrange(30))
        status = "signed_off" if r < ROUNDS - len(subgroups) else "open"
        assessment = MaturityAssessment(subgroup_id=sid, framework_id=framework.id, title=f"Round {r + 1}",
                                        status=status, opened_by_id=lead, opened_on=opened,
                                        agreed_on=opened + timedelta(days=30) if status != "open" else None,
                                        signed_off_on=opened + timedelta(days=45) if status != "open" else None,
                                        illustrative=True)
        session.add(assessment)
        session.flush()
        raters = rng.sample(person_ids, RATERS_PER_ROUND)
        bulk(session, MaturityRater, [{"assessment_id": assessment.id, "person_id": p} for p in raters])
        bulk(session, MaturityRating, [{"assessment_id": assessment.id, "rater_id": p, "dimension_id": d,
                                        "score": rng.randint(1, 5), "evidence": "Generated.", "improvement": ""}
                                       for p in raters for d in dimension_ids])
        if status != "open":
            bulk(session, MaturityScore, [{"assessment_id": assessment.id, "dimension_id": d,
                                           "agreed_score": rng.randint(1, 5), "evidence": "Generated.",
                                           "improvement": "", "moderation_comment": ""} for d in dimension_ids])
        rounds += 1
    return {"subgroups": len(subgroups), "actions": len(actions), "updates": len(updates),
            "indicators": len(indicator_ids), "indicator values": len(values), "maturity rounds": rounds}


def generate(url: str, scale: int) -> dict[str, int]:
    if scale not in (1, 10, 100):
        raise SystemExit("--scale must be 1 (the seed alone), 10 (county x10) or 100 (ten partnerships of x10)")
    engine = make_engine(url)
    create_schema(engine)
    seed_database(engine, SEED_DIR)
    totals: dict[str, int] = {}
    if scale == 1:
        return totals
    with Session(engine) as session:
        seeded = session.execute(select(Partnership.id).order_by(Partnership.id)).scalars().first()
        partnerships = [seeded] + [clone_skeleton(session, seeded, n) for n in range(2, 11 if scale == 100 else 2)]
        for n, pid in enumerate(partnerships):
            figures = grow(session, pid, random.Random(1000 * scale + n), tag=f"c{n:02d}")
            for key, value in figures.items():
                totals[key] = totals.get(key, 0) + value
        session.commit()
    engine.dispose()
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="1, 10 or 100")
    parser.add_argument("--out", type=Path, help="an SQLite file to create (replaced if it exists)")
    parser.add_argument("--url", help="a database URL instead of --out (an empty database)")
    args = parser.parse_args()
    if not args.out and not args.url:
        args.out = Path(f"instance/bench-x{args.scale}.db")
    if args.out:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.out}{suffix}").unlink(missing_ok=True)
    url = args.url or f"sqlite:///{args.out.resolve()}"
    began = time.perf_counter()
    totals = generate(url, args.scale)
    print(f"scale x{args.scale} in {time.perf_counter() - began:.1f} s -> {url}")
    for key, value in totals.items():
        print(f"  {key:>17}: {value:,}")


if __name__ == "__main__":
    main()
