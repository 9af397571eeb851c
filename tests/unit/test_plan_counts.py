"""The overview's figures counted in SQL (tracker.services.plan_counts) are those of a plain Python count
over every action's row, on the seed and on a generated partnership of realistic shape, for each filter."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pytest
from sqlmodel import select

from tests.generated import grow_plan
from tracker.models import Action, Person, RagLevel, Subgroup, Theme
from tracker.services import plan, plan_counts
from tracker.services.plan import PlanFilter


def python_count(rows: list[plan.ActionRow]) -> dict:
    """The figures counted one row at a time, with no shared code beyond the rows themselves."""
    by_theme, by_subgroup = defaultdict(Counter), defaultdict(Counter)
    for r in rows:
        by_theme[r.theme or "No theme"][r.rag] += 1
        by_subgroup[r.subgroup][r.rag] += 1
    worst = sorted((r for r in rows if r.rag == "red" or r.overdue or r.deteriorated or r.stale),
                   key=lambda r: (r.rag != "red", -len(r.exceptions), r.due_date or date.max, r.ref))
    return {"total": len(rows), "by_rag": Counter(r.rag for r in rows), "by_theme": dict(by_theme),
            "by_subgroup": dict(by_subgroup), "overdue": sum(r.overdue for r in rows),
            "stale": sum(r.stale for r in rows), "deteriorated": sum(r.deteriorated for r in rows),
            "red": sum(r.rag == "red" for r in rows), "exceptions": [r.id for r in worst]}


def sql_count(session, pid: int, today: date, plan_filter: PlanFilter, top: int) -> dict:
    f = plan_counts.overview_figures(session, pid, today, plan_filter, top=top)
    return {"total": f.total, "by_rag": f.by_rag, "by_theme": f.by_theme, "by_subgroup": f.by_subgroup,
            "overdue": f.overdue, "stale": f.stale, "deteriorated": f.deteriorated, "red": f.red,
            "exceptions": [r.id for r in f.exceptions]}, f


def filters(session, pid: int) -> list[PlanFilter]:
    theme = session.exec(select(Theme.id).where(Theme.partnership_id == pid).order_by(Theme.id.desc())).first()
    subgroup = session.exec(select(Subgroup.id).where(Subgroup.partnership_id == pid).order_by(Subgroup.id)).first()
    owner = session.exec(select(Action.owner_id).where(Action.partnership_id == pid, Action.owner_id.is_not(None))
                         .order_by(Action.id.desc())).first()
    return [PlanFilter(), PlanFilter(theme_id=theme), PlanFilter(subgroup_id=subgroup), PlanFilter(owner_id=owner),
            PlanFilter(theme_id=theme, owner_id=owner), PlanFilter(include_cancelled=True)]


def assert_same(session, pid: int, today: date) -> int:
    checked = 0
    for plan_filter in filters(session, pid):
        expected = python_count(plan.plan_rows(session, pid, today, plan_filter))
        top = 50
        got, figures = sql_count(session, pid, today, plan_filter, top)
        assert figures.exception_count == len(expected["exceptions"])
        expected["exceptions"] = expected["exceptions"][:top]
        assert got == expected, plan_filter
        # The rows listed are the plan's own rows for those actions.
        by_id = {r.id: r for r in plan.plan_rows(session, pid, today, plan_filter)}
        assert all(r == by_id[r.id] for r in figures.exceptions)
        checked += expected["total"]
    return checked


def test_the_seed_overview_counted_in_sql_is_the_python_count(session, partnership, today):
    assert assert_same(session, partnership.id, today) > 45
    # The page's old service agrees too (the figures the seed has always shown).
    ov = plan.overview(session, partnership.id, today)
    f = plan_counts.overview_figures(session, partnership.id, today, top=10_000)
    assert (f.total, f.by_rag, f.by_theme, f.by_subgroup, f.overdue, f.stale, f.deteriorated, f.red) == (
        ov.total, ov.by_rag, ov.by_theme, ov.by_subgroup, ov.overdue, ov.stale, ov.deteriorated, ov.red)
    assert [r.id for r in f.exceptions] == [r.id for r in ov.exceptions]


@pytest.fixture
def generated(session, partnership, monkeypatch):
    """A generated county (benchmarks/generate.py's shape, made smaller): 8 subgroups of 25 actions with
    three years of updates, completions, cancellations and deterioration, on top of the seed."""
    grow_plan(session, monkeypatch, subgroups_per_theme=2, actions_per_subgroup=25, indicators=2, months=2, seed=7,
              partnership_id=partnership.id)
    # Some never updated, one with no owner, one with no objective: the edge cases of the rules.
    generated_ids = session.exec(select(Action.id).where(Action.source == "generated").order_by(Action.id)).all()
    session.execute(Action.__table__.update().where(Action.id.in_(generated_ids[:5])).values(
        latest_rag=None, latest_progress=None, latest_update_date=None, latest_update_id=None, previous_rag=None,
        status="not_started"))
    session.execute(Action.__table__.update().where(Action.id == generated_ids[5]).values(owner_id=None))
    session.execute(Action.__table__.update().where(Action.id == generated_ids[6]).values(objective_id=None))
    session.commit()
    return partnership


def test_a_generated_county_counted_in_sql_is_the_python_count(session, generated, today):
    rows = plan.plan_rows(session, generated.id, today, PlanFilter(include_cancelled=True))
    assert len(rows) > 200
    statuses = Counter(r.status for r in rows)
    assert statuses["complete"] and statuses["cancelled"] and statuses["not_started"]  # a real mix
    assert sum(r.deteriorated for r in rows) and sum(r.stale for r in rows) and sum(r.overdue for r in rows)
    assert assert_same(session, generated.id, today) > 500  # actions compared, over the six filters


def test_a_generated_county_counts_from_another_day_match_too(session, generated):
    """Overdue and not-updated depend on the date: an earlier day gives other figures, still the same both ways."""
    assert assert_same(session, generated.id, date(2025, 6, 30)) > 500


def test_an_owner_with_no_actions_and_an_unknown_theme_give_an_empty_overview(session, partnership, today):
    nobody = session.exec(select(Person.id).order_by(Person.id.desc())).first() + 1000
    for plan_filter in (PlanFilter(owner_id=nobody), PlanFilter(theme_id=99_999)):
        f = plan_counts.overview_figures(session, partnership.id, today, plan_filter)
        assert (f.total, f.exception_count, f.exceptions, f.by_theme) == (0, 0, [], {})


def assert_theme_same(session, pid: int, today: date, shown: int, page: int = 1) -> int:
    """Each theme's page figures counted in SQL are plan.summarise's over all its rows, and page `page`
    of `shown` rows holds those rows of all its rows."""
    checked = 0
    for theme_id in session.exec(select(Theme.id).where(Theme.partnership_id == pid)).all():
        rows = plan.plan_rows(session, pid, today, PlanFilter(theme_id=theme_id))
        expected = plan.summarise(rows)
        got = plan_counts.theme_figures(session, pid, today, theme_id, shown, page=page)
        assert (got.total, got.by_rag, got.by_subgroup) == (expected.total, expected.by_rag, expected.by_subgroup)
        assert list(got.by_subgroup) == list(expected.by_subgroup)
        assert got.progress_by_objective == expected.progress_by_objective
        first = min(page, max(-(-len(rows) // shown), 1)) * shown - shown  # a page past the end is the last
        assert got.rows == rows[first:first + shown] and got.page.total == len(rows)
        checked += len(rows)
    return checked


def test_the_seed_theme_figures_counted_in_sql_are_summarise(session, partnership, today):
    assert assert_theme_same(session, partnership.id, today, shown=150) > 40
    assert assert_theme_same(session, partnership.id, today, shown=3) > 40


def test_a_generated_county_theme_figures_counted_in_sql_are_summarise(session, generated, today):
    assert assert_theme_same(session, generated.id, today, shown=150) > 200
    assert assert_theme_same(session, generated.id, date(2025, 6, 30), shown=20) > 200
    assert assert_theme_same(session, generated.id, today, shown=20, page=2) > 200
    assert assert_theme_same(session, generated.id, today, shown=20, page=99) > 200


def test_the_theme_figures_tell_a_difference(session, generated, today):
    """The comparison can fail: a completed action moves its theme's counts and progress."""
    theme_id = session.exec(select(Theme.id).order_by(Theme.id)).first()
    before = plan_counts.theme_figures(session, generated.id, today, theme_id, 10)
    row = next(r for r in plan.plan_rows(session, generated.id, today, PlanFilter(theme_id=theme_id))
               if r.status != "complete")
    session.execute(Action.__table__.update().where(Action.id == row.id).values(status="complete"))
    session.commit()
    after = plan.summarise(plan.plan_rows(session, generated.id, today, PlanFilter(theme_id=theme_id)))
    assert (before.by_rag, before.progress_by_objective) != (after.by_rag, after.progress_by_objective)


def test_kept_statements_follow_the_day_the_stale_period_and_the_scale(session, generated, today):
    """plan_counts and plan._rows keep each statement they build (functools.lru_cache). What changes the
    figures (the day, the partnership's "not updated in" period, its RAG severities, the actions asked
    for) must change the statement too: run one after another in one process, each still matches the
    plain Python count."""
    first = plan_counts.overview_figures(session, generated.id, today)
    later = plan_counts.overview_figures(session, generated.id, date(today.year + 2, today.month, 1))
    assert later.overdue > first.overdue and later.stale > first.stale  # two years on, more is late
    assert assert_same(session, generated.id, date(today.year + 2, today.month, 1)) > 500

    generated.stale_after_days = 10_000  # nothing is "not updated" over a period longer than the plan
    session.add(generated)
    session.commit()
    assert plan_counts.overview_figures(session, generated.id, today).stale == 0
    assert assert_same(session, generated.id, today) > 500

    # Red counted as no worse than green: nothing has deteriorated (the severities are in the statement).
    for level in session.exec(select(RagLevel).where(RagLevel.partnership_id == generated.id)).all():
        level.severity = 1 if level.severity is not None else None
        session.add(level)
    session.commit()
    assert first.deteriorated > 0
    assert plan_counts.overview_figures(session, generated.id, today).deteriorated == 0
    assert assert_same(session, generated.id, today) > 500

    # The actions asked for are bound as the kept statement runs: two asks, two answers.
    ids = session.exec(select(Action.id).where(Action.partnership_id == generated.id).order_by(Action.id)).all()
    assert [r.id for r in plan.rows_by_id(session, generated.id, ids[:3], today)] == ids[:3]
    assert [r.id for r in plan.rows_by_id(session, generated.id, ids[-2:], today)] == ids[-2:]
    assert [plan.plan_row(session, generated.id, i, today).id for i in (ids[0], ids[-1])] == [ids[0], ids[-1]]
